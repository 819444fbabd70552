import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

export type WebhookEndpointStatus = 'active' | 'disabled';

export interface WebhookEndpointRow {
  id: string;
  ownerUserId: string | null;
  ownerName: string | null;
  ownerMunicipalityId: string | null;
  poolId: string | null;
  poolName: string | null;
  municipalityId: string | null;
  municipalityName: string | null;
  url: string;
  description: string | null;
  events: string[];
  status: WebhookEndpointStatus;
  failingSince: Date | null;
  disabledAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The endpoint with its signing secret: for the sender only, never for the API. */
export interface WebhookTarget extends WebhookEndpointRow {
  secret: string;
}

export interface NewWebhookEndpoint {
  ownerUserId: string | null;
  poolId: string | null;
  municipalityId: string | null;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
}

const COLUMNS = `e.id, e.owner_user_id, u.name AS owner_name, u.municipality_id AS owner_municipality_id,
                 e.pool_id, p.name AS pool_name, e.municipality_id, m.name AS municipality_name, e.url,
                 e.description, e.events, e.status, e.failing_since, e.disabled_at, e.last_error,
                 e.created_at, e.updated_at`;
const JOINS = `LEFT JOIN users u ON u.id = e.owner_user_id
               LEFT JOIN pools p ON p.id = e.pool_id
               LEFT JOIN municipalities m ON m.id = e.municipality_id`;

type Row = Record<string, unknown>;
const orNull = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (v as T));

function endpointFromRow(r: Row): WebhookEndpointRow {
  return {
    id: r.id as string,
    ownerUserId: orNull(r.owner_user_id),
    ownerName: orNull(r.owner_name),
    ownerMunicipalityId: orNull(r.owner_municipality_id),
    poolId: orNull(r.pool_id),
    poolName: orNull(r.pool_name),
    municipalityId: orNull(r.municipality_id),
    municipalityName: orNull(r.municipality_name),
    url: r.url as string,
    description: orNull(r.description),
    events: r.events as string[],
    status: r.status as WebhookEndpointStatus,
    failingSince: orNull(r.failing_since),
    disabledAt: orNull(r.disabled_at),
    lastError: orNull(r.last_error),
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/**
 * Webhook endpoints: registered through the API, their failure streak kept by the sender.
 * (UPDATE … RETURNING runs inside a CTE: TypeORM answers a bare UPDATE with [rows, count].)
 */
@Injectable()
export class WebhookEndpointRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(e: NewWebhookEndpoint): Promise<WebhookEndpointRow> {
    const [row]: { id: string }[] = await this.uow.manager().query(
      `INSERT INTO webhook_endpoints (owner_user_id, pool_id, municipality_id, url, description, events, secret)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [e.ownerUserId, e.poolId, e.municipalityId, e.url, e.description, e.events, e.secret],
    );
    return (await this.findById(row.id))!;
  }

  async findById(id: string): Promise<WebhookEndpointRow | null> {
    const rows: Row[] = await this.uow
      .manager()
      .query(`SELECT ${COLUMNS} FROM webhook_endpoints e ${JOINS} WHERE e.id = $1`, [id]);
    return rows[0] ? endpointFromRow(rows[0]) : null;
  }

  async findTarget(id: string): Promise<WebhookTarget | null> {
    const rows: Row[] = await this.uow
      .manager()
      .query(`SELECT ${COLUMNS}, e.secret FROM webhook_endpoints e ${JOINS} WHERE e.id = $1`, [id]);
    return rows[0] ? { ...endpointFromRow(rows[0]), secret: rows[0].secret as string } : null;
  }

  /** What the tenant sees (row-level security), newest first; `scope` narrows further. */
  async list(
    limit: number,
    after?: { createdAt: string; id: string },
    scope?: { ownerUserId: string | null; poolIds: string[] },
  ): Promise<WebhookEndpointRow[]> {
    const rows: Row[] = await this.uow.manager().query(
      `SELECT ${COLUMNS} FROM webhook_endpoints e ${JOINS}
        WHERE ($2::timestamptz IS NULL OR (e.created_at, e.id) < ($2::timestamptz, $3::uuid))
          AND ($4::boolean IS FALSE OR e.owner_user_id = $5 OR e.pool_id = ANY($6::uuid[]))
        ORDER BY e.created_at DESC, e.id DESC LIMIT $1`,
      [
        limit,
        after?.createdAt ?? null,
        after?.id ?? null,
        scope !== undefined,
        scope?.ownerUserId ?? null,
        scope?.poolIds ?? [],
      ],
    );
    return rows.map(endpointFromRow);
  }

  /** Active endpoints that want one of `types` and whose owner is not disabled, for the fan-out. */
  async activeFor(types: string[]): Promise<WebhookEndpointRow[]> {
    const rows: Row[] = await this.uow.manager().query(
      `SELECT ${COLUMNS} FROM webhook_endpoints e ${JOINS}
        WHERE e.status = 'active' AND e.events && $1::text[] AND u.disabled_at IS NULL
        ORDER BY e.created_at, e.id`,
      [types],
    );
    return rows.map(endpointFromRow);
  }

  async update(
    id: string,
    patch: { url?: string; events?: string[]; description?: string | null },
  ): Promise<void> {
    await this.uow.manager().query(
      `UPDATE webhook_endpoints
          SET url = coalesce($2, url), events = coalesce($3, events),
              description = CASE WHEN $4::boolean THEN $5 ELSE description END, updated_at = now()
        WHERE id = $1`,
      [
        id,
        patch.url ?? null,
        patch.events ?? null,
        patch.description !== undefined,
        patch.description ?? null,
      ],
    );
  }

  async delete(id: string): Promise<void> {
    await this.uow.manager().query(`DELETE FROM webhook_endpoints WHERE id = $1`, [id]);
  }

  async enable(id: string): Promise<void> {
    await this.uow.manager().query(
      `UPDATE webhook_endpoints SET status = 'active', failing_since = NULL, disabled_at = NULL,
              updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  async recordSuccess(id: string): Promise<void> {
    await this.uow
      .manager()
      .query(
        `UPDATE webhook_endpoints SET failing_since = NULL, last_error = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
        [id],
      );
  }

  /**
   * Records a failed attempt at `at`: the failure streak starts unless it runs already. Returns
   * when the streak started; the row is locked until the unit of work ends.
   */
  async recordFailure(id: string, at: Date, error: string): Promise<Date | null> {
    const rows: { failing_since: Date }[] = await this.uow.manager().query(
      `WITH u AS (UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, $2), last_error = $3
                   WHERE id = $1 RETURNING failing_since)
       SELECT failing_since FROM u`,
      [id, at, error],
    );
    return rows[0]?.failing_since ?? null;
  }

  /** Disables an active endpoint; false when it was disabled already (someone else did it). */
  async disable(id: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.uow.manager().query(
      `WITH u AS (UPDATE webhook_endpoints SET status = 'disabled', disabled_at = $2, updated_at = $2
                   WHERE id = $1 AND status = 'active' RETURNING id)
       SELECT id FROM u`,
      [id, at],
    );
    return rows.length > 0;
  }
}
