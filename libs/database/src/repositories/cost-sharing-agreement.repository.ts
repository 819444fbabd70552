import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

/** A version of a pool's cost-sharing agreement, as stored (terms are the cost-sharing lib's). */
export interface AgreementRow {
  id: string;
  poolId: string;
  validFrom: string;
  terms: Record<string, unknown>;
  createdBy: string | null;
  createdAt: Date;
}

/** The agreement's later versions; the pool's own cost_sharing is the first. One writer. */
@Injectable()
export class CostSharingAgreementRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async list(poolId: string): Promise<AgreementRow[]> {
    const rows: {
      id: string;
      pool_id: string;
      valid_from: string;
      terms: Record<string, unknown>;
      created_by: string | null;
      created_at: Date;
    }[] = await this.uow.manager().query(
      `SELECT id, pool_id, valid_from::text AS valid_from, terms, created_by, created_at
           FROM cost_sharing_agreements WHERE pool_id = $1 ORDER BY valid_from`,
      [poolId],
    );
    return rows.map((r) => ({
      id: r.id,
      poolId: r.pool_id,
      validFrom: r.valid_from,
      terms: r.terms,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  /** Inserts a version; null when one with the same valid_from exists. */
  async insert(row: {
    poolId: string;
    validFrom: string;
    terms: object;
    createdBy: string | null;
  }): Promise<AgreementRow | null> {
    const rows: { id: string; created_at: Date }[] = await this.uow.manager().query(
      `INSERT INTO cost_sharing_agreements (pool_id, valid_from, terms, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (pool_id, valid_from) DO NOTHING RETURNING id, created_at`,
      [row.poolId, row.validFrom, JSON.stringify(row.terms), row.createdBy],
    );
    if (rows.length === 0) return null;
    return {
      id: rows[0].id,
      poolId: row.poolId,
      validFrom: row.validFrom,
      terms: row.terms as Record<string, unknown>,
      createdBy: row.createdBy,
      createdAt: rows[0].created_at,
    };
  }
}

/** What the cost-sharing arithmetic reads about a pool besides usage: members and resources. */
export interface CostMemberRow {
  municipalityId: string;
  name: string;
  population: number;
  joinedOn: string;
  leftOn: string | null;
}

export interface CostResourceRow {
  id: string;
  name: string;
  type: string;
  kind: 'machine' | 'staff';
  homeMunicipalityId: string;
  /** 0 for an inactive resource: it no longer costs the pool. */
  annualFixedCostCents: number;
  hourlyRateCents: number;
  perUseCents: number;
}

@Injectable()
export class CostInputsQuery {
  constructor(private readonly uow: UnitOfWork) {}

  /** Memberships of the pool that touch [from, to) (local days). */
  async members(poolId: string, from: string, to: string): Promise<CostMemberRow[]> {
    const rows: {
      municipality_id: string;
      name: string;
      population: number;
      joined_on: string;
      left_on: string | null;
    }[] = await this.uow.manager().query(
      `SELECT pm.municipality_id, m.name, m.population, pm.joined_on::text AS joined_on, pm.left_on::text AS left_on
         FROM pool_members pm JOIN municipalities m ON m.id = pm.municipality_id
        WHERE pm.pool_id = $1 AND pm.joined_on < $3 AND (pm.left_on IS NULL OR pm.left_on > $2)
        ORDER BY m.name, pm.joined_on`,
      [poolId, from, to],
    );
    return rows.map((r) => ({
      municipalityId: r.municipality_id,
      name: r.name,
      population: r.population,
      joinedOn: r.joined_on,
      leftOn: r.left_on,
    }));
  }

  async resources(poolId: string): Promise<CostResourceRow[]> {
    const rows: {
      id: string;
      name: string;
      type: string;
      kind: 'machine' | 'staff';
      home_municipality_id: string;
      annual_fixed_cost_cents: string;
      hourly_rate_cents: number;
      per_use_cents: number;
    }[] = await this.uow.manager().query(
      `SELECT id, name, type, kind, home_municipality_id,
              CASE WHEN active THEN annual_fixed_cost_cents ELSE 0 END AS annual_fixed_cost_cents,
              hourly_rate_cents, per_use_cents
         FROM resources WHERE pool_id = $1 ORDER BY name, id`,
      [poolId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      kind: r.kind,
      homeMunicipalityId: r.home_municipality_id,
      annualFixedCostCents: Number(r.annual_fixed_cost_cents),
      hourlyRateCents: r.hourly_rate_cents,
      perUseCents: r.per_use_cents,
    }));
  }

  /** Municipalities by id: names and population (for joiners in a what-if, owners, hosts). */
  async municipalities(ids: string[]): Promise<{ id: string; name: string; population: number }[]> {
    if (ids.length === 0) return [];
    return this.uow
      .manager()
      .query(`SELECT id, name, population FROM municipalities WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Pools that had a member on some day of [from, to): those the monthly run issues for. */
  async poolsWithMembers(from: string, to: string): Promise<string[]> {
    const rows: { pool_id: string }[] = await this.uow.manager().query(
      `SELECT DISTINCT pool_id FROM pool_members
        WHERE joined_on < $2 AND (left_on IS NULL OR left_on > $1) ORDER BY pool_id`,
      [from, to],
    );
    return rows.map((r) => r.pool_id);
  }
}
