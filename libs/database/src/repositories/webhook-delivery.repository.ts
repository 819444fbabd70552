import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed' | 'skipped';

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  messageId: string;
  payload: Record<string, unknown>;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  succeededAt: Date | null;
  createdAt: Date;
}

export interface NewWebhookDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  messageId: string;
  payload: Record<string, unknown>;
}

/** An outbox event as the fan-out reads it. */
export interface OutboxEvent {
  id: string;
  bookingId: string | null;
  municipalityId: string;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** What a booking webhook says about a booking: ids with names, times, state. */
export interface WebhookBookingFacts {
  id: string;
  status: string;
  poolId: string;
  poolName: string;
  resourceId: string;
  resourceName: string;
  resourceKind: string;
  resourceType: string;
  municipalityId: string;
  municipalityName: string;
  siteMunicipalityId: string;
  siteMunicipalityName: string;
  startAt: Date;
  endAt: Date;
  priority: string;
  sequence: number;
  operatorForBookingId: string | null;
  seriesId: string | null;
  notes: string | null;
}

type Row = Record<string, unknown>;
const orNull = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (v as T));

function deliveryFromRow(r: Row): WebhookDeliveryRow {
  return {
    id: r.id as string,
    endpointId: r.endpoint_id as string,
    eventId: String(r.event_id),
    eventType: r.event_type as string,
    messageId: r.message_id as string,
    payload: r.payload as Record<string, unknown>,
    status: r.status as WebhookDeliveryStatus,
    attempts: Number(r.attempts),
    responseStatus: orNull(r.response_status),
    lastError: orNull(r.last_error),
    lastAttemptAt: orNull(r.last_attempt_at),
    nextAttemptAt: orNull(r.next_attempt_at),
    succeededAt: orNull(r.succeeded_at),
    createdAt: r.created_at as Date,
  };
}

/**
 * Webhook deliveries and the fan-out's progress through the booking outbox. The fan-out keeps its
 * own cursor (booking_events.delivered_at belongs to the notification relay): every event at or
 * below the cursor is handled; above it, handled events carry a marker until the cursor passes.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** The cursor, locked until the unit of work ends: one fan-out at a time. */
  async lockCursor(): Promise<string> {
    const rows: { cursor_event_id: string }[] = await this.uow
      .manager()
      .query(`SELECT cursor_event_id FROM webhook_fanout FOR UPDATE`);
    return String(rows[0].cursor_event_id);
  }

  /** Events of `kinds` above the cursor that are not handled yet, oldest first. */
  async unhandledEvents(cursor: string, kinds: string[], limit: number): Promise<OutboxEvent[]> {
    const rows: Row[] = await this.uow.manager().query(
      `SELECT e.id, e.booking_id, e.municipality_id, e.kind, e.payload, e.created_at
         FROM booking_events e
        WHERE e.id > $1 AND e.kind = ANY($2::text[])
          AND NOT EXISTS (SELECT 1 FROM webhook_fanout_events f WHERE f.event_id = e.id)
        ORDER BY e.id LIMIT $3`,
      [cursor, kinds, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      bookingId: orNull(r.booking_id),
      municipalityId: r.municipality_id as string,
      kind: r.kind as string,
      payload: r.payload as Record<string, unknown>,
      createdAt: r.created_at as Date,
    }));
  }

  /** Inserts the deliveries that do not exist yet; returns the ids of those inserted. */
  async insertDeliveries(deliveries: NewWebhookDelivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    const rows: { id: string }[] = await this.uow.manager().query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, message_id, payload)
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::jsonb[])
       ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`,
      [
        deliveries.map((d) => d.endpointId),
        deliveries.map((d) => d.eventId),
        deliveries.map((d) => d.eventType),
        deliveries.map((d) => d.messageId),
        deliveries.map((d) => JSON.stringify(d.payload)),
      ],
    );
    return rows.map((r) => r.id);
  }

  async markHandled(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.uow
      .manager()
      .query(
        `INSERT INTO webhook_fanout_events (event_id) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING`,
        [eventIds],
      );
  }

  /**
   * Moves the cursor up to the first event of `kinds` that is unhandled or younger than
   * `settleSeconds` (a transaction that took an id earlier may still commit below a younger
   * event), and drops the markers below it.
   */
  async advanceCursor(cursor: string, kinds: string[], settleSeconds: number): Promise<string> {
    const [row]: { next: string }[] = await this.uow.manager().query(
      `SELECT coalesce(
                (SELECT min(e.id) - 1 FROM booking_events e
                  WHERE e.id > $1 AND e.kind = ANY($2::text[])
                    AND (e.created_at > now() - make_interval(secs => $3)
                         OR NOT EXISTS (SELECT 1 FROM webhook_fanout_events f WHERE f.event_id = e.id))),
                (SELECT max(e.id) FROM booking_events e WHERE e.id > $1 AND e.kind = ANY($2::text[])),
                $1) AS next`,
      [cursor, kinds, settleSeconds],
    );
    const next = String(row.next);
    if (next !== cursor) {
      await this.uow.manager().query(`UPDATE webhook_fanout SET cursor_event_id = $1`, [next]);
      await this.uow.manager().query(`DELETE FROM webhook_fanout_events WHERE event_id <= $1`, [next]);
    }
    return next;
  }

  async bookingFacts(ids: string[]): Promise<Map<string, WebhookBookingFacts>> {
    if (ids.length === 0) return new Map();
    const rows: Row[] = await this.uow.manager().query(
      `SELECT b.id, b.status, b.pool_id, p.name AS pool_name, b.resource_id, r.name AS resource_name,
              r.kind AS resource_kind, r.type AS resource_type, b.municipality_id, m.name AS municipality_name,
              b.site_municipality_id, s.name AS site_name, b.start_at, b.end_at, b.priority, b.sequence,
              b.operator_for_booking_id, b.series_id, b.notes
         FROM bookings b
         JOIN pools p ON p.id = b.pool_id
         JOIN resources r ON r.id = b.resource_id
         JOIN municipalities m ON m.id = b.municipality_id
         JOIN municipalities s ON s.id = b.site_municipality_id
        WHERE b.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.id as string,
        {
          id: r.id as string,
          status: r.status as string,
          poolId: r.pool_id as string,
          poolName: r.pool_name as string,
          resourceId: r.resource_id as string,
          resourceName: r.resource_name as string,
          resourceKind: r.resource_kind as string,
          resourceType: r.resource_type as string,
          municipalityId: r.municipality_id as string,
          municipalityName: r.municipality_name as string,
          siteMunicipalityId: r.site_municipality_id as string,
          siteMunicipalityName: r.site_name as string,
          startAt: r.start_at as Date,
          endAt: r.end_at as Date,
          priority: r.priority as string,
          sequence: Number(r.sequence),
          operatorForBookingId: orNull(r.operator_for_booking_id),
          seriesId: orNull(r.series_id),
          notes: orNull(r.notes),
        },
      ]),
    );
  }

  /** Names of pools and municipalities, for payloads that carry ids. */
  async names(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; name: string }[] = await this.uow.manager().query(
      `SELECT id, name FROM pools WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id, name FROM municipalities WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async findById(id: string): Promise<WebhookDeliveryRow | null> {
    const rows: Row[] = await this.uow
      .manager()
      .query(`SELECT * FROM webhook_deliveries WHERE id = $1`, [id]);
    return rows[0] ? deliveryFromRow(rows[0]) : null;
  }

  /** Locks the delivery for one attempt: two runs of the same job cannot send at once. */
  async lock(id: string): Promise<WebhookDeliveryRow | null> {
    const rows: Row[] = await this.uow
      .manager()
      .query(`SELECT * FROM webhook_deliveries WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ? deliveryFromRow(rows[0]) : null;
  }

  /** Newest event first (an endpoint has one delivery per event). */
  async list(
    endpointId: string,
    limit: number,
    after?: { eventId: string },
    status?: WebhookDeliveryStatus,
  ): Promise<WebhookDeliveryRow[]> {
    const rows: Row[] = await this.uow.manager().query(
      `SELECT * FROM webhook_deliveries
        WHERE endpoint_id = $1
          AND ($3::bigint IS NULL OR event_id < $3::bigint)
          AND ($4::text IS NULL OR status = $4)
        ORDER BY event_id DESC LIMIT $2`,
      [endpointId, limit, after?.eventId ?? null, status ?? null],
    );
    return rows.map(deliveryFromRow);
  }

  /** Deliveries never tried although created a while ago: their job was lost before it was queued. */
  async stranded(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.uow.manager().query(
      `SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND attempts = 0 AND created_at < now() - make_interval(secs => $1)
        ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  async recordAttempt(
    id: string,
    outcome: {
      status: WebhookDeliveryStatus;
      attempts: number;
      at: Date;
      responseStatus: number | null;
      error: string | null;
      nextAttemptAt: Date | null;
    },
  ): Promise<void> {
    await this.uow.manager().query(
      `UPDATE webhook_deliveries
          SET status = $2, attempts = $3, last_attempt_at = $4, response_status = $5, last_error = $6,
              next_attempt_at = $7, succeeded_at = CASE WHEN $2 = 'succeeded' THEN $4 ELSE succeeded_at END
        WHERE id = $1`,
      [
        id,
        outcome.status,
        outcome.attempts,
        outcome.at,
        outcome.responseStatus,
        outcome.error,
        outcome.nextAttemptAt,
      ],
    );
  }

  async skip(id: string, reason: string): Promise<void> {
    await this.uow
      .manager()
      .query(
        `UPDATE webhook_deliveries SET status = 'skipped', last_error = $2, next_attempt_at = NULL WHERE id = $1`,
        [id, reason],
      );
  }

  /** Puts a finished delivery back to pending for a manual retry. */
  async reset(id: string): Promise<void> {
    await this.uow
      .manager()
      .query(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = NULL WHERE id = $1`, [id]);
  }
}
