import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

export interface FinalizedPeriodRow {
  id: string;
  poolId: string;
  period: string;
  periodKind: 'month' | 'quarter' | 'year';
  from: string;
  to: string;
  finalizedAt: Date;
}

export interface IssuedStatementRow {
  municipalityId: string;
  number: string;
  checksum: string;
  totalCents: number;
  creditsCents: number;
  netCents: number;
  baseOwedCents: number;
  baseCreditsCents: number;
}

export interface NewStatement {
  municipalityId: string;
  totalCents: number;
  creditsCents: number;
  netCents: number;
  baseOwedCents: number;
  baseCreditsCents: number;
  /** Computes the checksum once the number is known (it is part of the content). */
  checksum: (number: string) => string;
}

export interface NewCorrection {
  correctedPeriod: string;
  municipalityId: string;
  owedCents: number;
  creditsCents: number;
}

const PERIOD_COLUMNS = `id, pool_id, period, period_kind, period_from::text AS period_from,
  period_to::text AS period_to, finalized_at`;

function periodFromRow(r: Record<string, unknown>): FinalizedPeriodRow {
  return {
    id: r.id as string,
    poolId: r.pool_id as string,
    period: r.period as string,
    periodKind: r.period_kind as FinalizedPeriodRow['periodKind'],
    from: r.period_from as string,
    to: r.period_to as string,
    finalizedAt: r.finalized_at as Date,
  };
}

/**
 * Finalized periods, their numbered statements and the corrections booked into them. Insert
 * only: the database refuses to change or delete a finalized row.
 */
@Injectable()
export class StatementRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Serializes finalizing within a pool (numbers are consecutive per pool and year). */
  async lockPool(poolId: string): Promise<void> {
    await this.uow
      .manager()
      .query(`SELECT pg_advisory_xact_lock(hashtextextended('allmende.statements.' || $1, 0))`, [poolId]);
  }

  async finalizedPeriods(poolId: string): Promise<FinalizedPeriodRow[]> {
    const rows: Record<string, unknown>[] = await this.uow
      .manager()
      .query(`SELECT ${PERIOD_COLUMNS} FROM statement_periods WHERE pool_id = $1 ORDER BY period_from`, [
        poolId,
      ]);
    return rows.map(periodFromRow);
  }

  async findPeriod(
    poolId: string,
    period: string,
  ): Promise<(FinalizedPeriodRow & { facts: unknown; statements: IssuedStatementRow[] }) | null> {
    const rows: Record<string, unknown>[] = await this.uow
      .manager()
      .query(`SELECT ${PERIOD_COLUMNS}, facts FROM statement_periods WHERE pool_id = $1 AND period = $2`, [
        poolId,
        period,
      ]);
    if (rows.length === 0) return null;
    return {
      ...periodFromRow(rows[0]),
      facts: rows[0].facts,
      statements: await this.statementsOf(rows[0].id as string),
    };
  }

  async statementsOf(periodId: string): Promise<IssuedStatementRow[]> {
    const rows: Record<string, unknown>[] = await this.uow.manager().query(
      `SELECT municipality_id, number, checksum, total_cents, credits_cents, net_cents, base_owed_cents,
              base_credits_cents
         FROM statements WHERE statement_period_id = $1 ORDER BY sequence`,
      [periodId],
    );
    return rows.map((r) => ({
      municipalityId: r.municipality_id as string,
      number: r.number as string,
      checksum: r.checksum as string,
      totalCents: Number(r.total_cents),
      creditsCents: Number(r.credits_cents),
      netCents: Number(r.net_cents),
      baseOwedCents: Number(r.base_owed_cents),
      baseCreditsCents: Number(r.base_credits_cents),
    }));
  }

  /** Corrections of `periods` already booked into finalized periods, summed per period and member. */
  async bookedCorrections(
    poolId: string,
    periods: string[],
  ): Promise<{ correctedPeriod: string; municipalityId: string; owedCents: number; creditsCents: number }[]> {
    if (periods.length === 0) return [];
    const rows: Record<string, unknown>[] = await this.uow.manager().query(
      `SELECT corrected_period, municipality_id, sum(owed_cents) AS owed, sum(credits_cents) AS credits
         FROM statement_corrections WHERE pool_id = $1 AND corrected_period = ANY($2::text[])
        GROUP BY corrected_period, municipality_id`,
      [poolId, periods],
    );
    return rows.map((r) => ({
      correctedPeriod: r.corrected_period as string,
      municipalityId: r.municipality_id as string,
      owedCents: Number(r.owed),
      creditsCents: Number(r.credits),
    }));
  }

  /**
   * Finalizes a period: the facts, a numbered statement per member (consecutive per pool and
   * year) and the corrections it books. Null when the period is already finalized (nothing is
   * written): the unique key decides, so a second run or a concurrent one issues nothing twice.
   * Call under lockPool.
   */
  async insertFinalized(input: {
    poolId: string;
    period: string;
    periodKind: string;
    from: string;
    to: string;
    year: number;
    facts: unknown;
    finalizedBy: string | null;
    finalizedByToken: string;
    statements: NewStatement[];
    corrections: NewCorrection[];
  }): Promise<{
    id: string;
    finalizedAt: Date;
    numbers: { municipalityId: string; number: string; checksum: string }[];
  } | null> {
    const m = this.uow.manager();
    const inserted: { id: string; finalized_at: Date }[] = await m.query(
      `INSERT INTO statement_periods (pool_id, period, period_kind, period_from, period_to, facts, finalized_by,
                                      finalized_by_token)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (pool_id, period) DO NOTHING
       RETURNING id, finalized_at`,
      [
        input.poolId,
        input.period,
        input.periodKind,
        input.from,
        input.to,
        JSON.stringify(input.facts),
        input.finalizedBy,
        input.finalizedByToken,
      ],
    );
    if (inserted.length === 0) return null;
    const periodId = inserted[0].id;
    const [{ last }]: { last: number }[] = await m.query(
      `SELECT coalesce(max(sequence), 0)::int AS last FROM statements WHERE pool_id = $1 AND year = $2`,
      [input.poolId, input.year],
    );
    const numbers = input.statements.map((s, i) => {
      const sequence = last + i + 1;
      const number = `${input.year}-${String(sequence).padStart(4, '0')}`;
      return { statement: s, sequence, number, checksum: s.checksum(number) };
    });
    if (numbers.length > 0) {
      await m.query(
        `INSERT INTO statements (statement_period_id, pool_id, period, municipality_id, year, sequence, number,
                                 total_cents, credits_cents, net_cents, base_owed_cents, base_credits_cents, checksum)
         SELECT $1, $2, $3, x.municipality_id, $4, x.sequence, x.number, x.total, x.credits, x.net, x.base_owed,
                x.base_credits, x.checksum
           FROM unnest($5::uuid[], $6::int[], $7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[],
                       $12::bigint[], $13::text[])
                AS x(municipality_id, sequence, number, total, credits, net, base_owed, base_credits, checksum)`,
        [
          periodId,
          input.poolId,
          input.period,
          input.year,
          numbers.map((n) => n.statement.municipalityId),
          numbers.map((n) => n.sequence),
          numbers.map((n) => n.number),
          numbers.map((n) => n.statement.totalCents),
          numbers.map((n) => n.statement.creditsCents),
          numbers.map((n) => n.statement.netCents),
          numbers.map((n) => n.statement.baseOwedCents),
          numbers.map((n) => n.statement.baseCreditsCents),
          numbers.map((n) => n.checksum),
        ],
      );
    }
    if (input.corrections.length > 0) {
      await m.query(
        `INSERT INTO statement_corrections (statement_period_id, pool_id, corrected_period, municipality_id,
                                            owed_cents, credits_cents)
         SELECT $1, $2, x.period, x.municipality_id, x.owed, x.credits
           FROM unnest($3::text[], $4::uuid[], $5::bigint[], $6::bigint[]) AS x(period, municipality_id, owed, credits)`,
        [
          periodId,
          input.poolId,
          input.corrections.map((c) => c.correctedPeriod),
          input.corrections.map((c) => c.municipalityId),
          input.corrections.map((c) => c.owedCents),
          input.corrections.map((c) => c.creditsCents),
        ],
      );
    }
    return {
      id: periodId,
      finalizedAt: inserted[0].finalized_at,
      numbers: numbers.map((n) => ({
        municipalityId: n.statement.municipalityId,
        number: n.number,
        checksum: n.checksum,
      })),
    };
  }
}
