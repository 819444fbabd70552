import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { queryRows } from './rows';

/** A user who may receive mail, with the notification preferences in force. */
export interface NotifiableUser {
  id: string;
  email: string;
  name: string;
  role: string;
  municipalityId: string | null;
  language: 'de' | 'en';
  disabledKinds: string[];
  reminderOffsetsMinutes: number[] | null;
}

/** A booking with the names a message speaks of. */
export interface BookingFacts {
  id: string;
  poolId: string;
  poolName: string;
  poolReminderOffsetsMinutes: number[];
  status: 'active' | 'cancelled' | 'displaced';
  priority: 'normal' | 'emergency';
  sequence: number;
  startAt: Date;
  endAt: Date;
  notes: string | null;
  createdBy: string | null;
  municipalityId: string;
  municipalityName: string;
  siteMunicipalityId: string;
  siteName: string;
  resourceId: string;
  resourceName: string;
  resourceKind: 'machine' | 'staff';
  resourceType: string;
  resourceEmail: string | null;
  homeMunicipalityId: string;
  homeMunicipalityName: string;
  /** For an operator booking: the machine booking it staffs. */
  operatorForBookingId: string | null;
  /** For an operator booking: the machine's name. */
  machineName: string | null;
  /** For a machine booking: its operators (staff resources) by name. */
  operators: { name: string; email: string | null }[];
}

export interface WaitlistFacts {
  id: string;
  poolId: string;
  poolName: string;
  resourceType: string;
  municipalityId: string;
  municipalityName: string;
  siteName: string;
  startAt: Date;
  endAt: Date;
  createdBy: string | null;
  offerResourceName: string | null;
  status: string;
}

export interface InspectionFacts {
  resourceId: string;
  resourceName: string;
  poolName: string;
  homeMunicipalityId: string;
  homeMunicipalityName: string;
  /** yyyy-MM-dd */
  nextInspectionDue: string;
}

export interface NotificationOutboxEvent {
  id: string;
  bookingId: string | null;
  waitlistEntryId: string | null;
  municipalityId: string;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

type Row = Record<string, unknown>;

const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.municipality_id, u.language,
  coalesce(np.disabled_kinds, '{}') AS disabled_kinds, np.reminder_offsets_minutes`;

function userFromRow(r: Row): NotifiableUser {
  return {
    id: r.id as string,
    email: r.email as string,
    name: r.name as string,
    role: r.role as string,
    municipalityId: (r.municipality_id as string | null) ?? null,
    language: r.language as 'de' | 'en',
    disabledKinds: r.disabled_kinds as string[],
    reminderOffsetsMinutes: (r.reminder_offsets_minutes as number[] | null) ?? null,
  };
}

/** The reads of the notification side: events, the facts a message names, who receives it. */
@Injectable()
export class NotificationFactsQuery {
  constructor(private readonly uow: UnitOfWork) {}

  private async q<T = Row>(text: string, values: unknown[] = []): Promise<T[]> {
    return queryRows<T>(await this.uow.manager().query(text, values));
  }

  async event(id: string): Promise<NotificationOutboxEvent | null> {
    const rows = await this.q(`SELECT * FROM booking_events WHERE id = $1`, [id]);
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      id: String(r.id),
      bookingId: (r.booking_id as string | null) ?? null,
      waitlistEntryId: (r.waitlist_entry_id as string | null) ?? null,
      municipalityId: r.municipality_id as string,
      kind: r.kind as string,
      payload: r.payload as Record<string, unknown>,
      createdAt: new Date(r.created_at as string),
    };
  }

  /** Outbox rows not handed to the queue yet, oldest first, locked for this relay's transaction. */
  async lockUndelivered(limit: number): Promise<string[]> {
    const rows = await this.q<{ id: string }>(
      `SELECT id FROM booking_events WHERE delivered_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => String(r.id));
  }

  /** The event's ledger rows are written (in the fan-out's transaction). */
  async markFannedOut(id: string): Promise<void> {
    await this.q(`UPDATE booking_events SET fanned_out_at = now() WHERE id = $1 AND fanned_out_at IS NULL`, [
      id,
    ]);
  }

  /** Events the relay handed to the queue longer than `olderThanMs` ago that no fan-out has seen: their job was lost. */
  async awaitingFanout(olderThanMs: number, limit: number): Promise<string[]> {
    const rows = await this.q<{ id: string }>(
      `SELECT id FROM booking_events
        WHERE fanned_out_at IS NULL AND delivered_at IS NOT NULL
          AND delivered_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY id LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((r) => String(r.id));
  }

  async markDelivered(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.q(`UPDATE booking_events SET delivered_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async booking(id: string): Promise<BookingFacts | null> {
    return (await this.bookings([id]))[0] ?? null;
  }

  async bookings(ids: string[]): Promise<BookingFacts[]> {
    if (ids.length === 0) return [];
    const rows = await this.q(
      `SELECT b.id, b.pool_id, p.name AS pool_name, p.reminder_offsets_minutes, b.status, b.priority, b.sequence,
              b.start_at, b.end_at, b.notes, b.created_by, b.municipality_id, bm.name AS municipality_name,
              b.site_municipality_id, sm.name AS site_name, r.id AS resource_id, r.name AS resource_name,
              r.kind AS resource_kind, r.type AS resource_type, r.email AS resource_email,
              r.home_municipality_id, hm.name AS home_municipality_name, b.operator_for_booking_id,
              (SELECT mr.name FROM bookings mb JOIN resources mr ON mr.id = mb.resource_id
                WHERE mb.id = b.operator_for_booking_id) AS machine_name,
              coalesce((SELECT json_agg(json_build_object('name', orr.name, 'email', orr.email) ORDER BY orr.name)
                          FROM bookings ob JOIN resources orr ON orr.id = ob.resource_id
                         WHERE ob.operator_for_booking_id = b.id AND ob.status = b.status), '[]') AS operators
         FROM bookings b
         JOIN pools p ON p.id = b.pool_id
         JOIN resources r ON r.id = b.resource_id
         JOIN municipalities bm ON bm.id = b.municipality_id
         JOIN municipalities sm ON sm.id = b.site_municipality_id
         JOIN municipalities hm ON hm.id = r.home_municipality_id
        WHERE b.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({
      id: r.id as string,
      poolId: r.pool_id as string,
      poolName: r.pool_name as string,
      poolReminderOffsetsMinutes: r.reminder_offsets_minutes as number[],
      status: r.status as BookingFacts['status'],
      priority: r.priority as BookingFacts['priority'],
      sequence: Number(r.sequence),
      startAt: new Date(r.start_at as string),
      endAt: new Date(r.end_at as string),
      notes: (r.notes as string | null) ?? null,
      createdBy: (r.created_by as string | null) ?? null,
      municipalityId: r.municipality_id as string,
      municipalityName: r.municipality_name as string,
      siteMunicipalityId: r.site_municipality_id as string,
      siteName: r.site_name as string,
      resourceId: r.resource_id as string,
      resourceName: r.resource_name as string,
      resourceKind: r.resource_kind as 'machine' | 'staff',
      resourceType: r.resource_type as string,
      resourceEmail: (r.resource_email as string | null) ?? null,
      homeMunicipalityId: r.home_municipality_id as string,
      homeMunicipalityName: r.home_municipality_name as string,
      operatorForBookingId: (r.operator_for_booking_id as string | null) ?? null,
      machineName: (r.machine_name as string | null) ?? null,
      operators: r.operators as { name: string; email: string | null }[],
    }));
  }

  async waitlistEntry(id: string): Promise<WaitlistFacts | null> {
    const rows = await this.q(
      `SELECT w.id, w.pool_id, p.name AS pool_name, w.resource_type, w.municipality_id, m.name AS municipality_name,
              s.name AS site_name, w.start_at, w.end_at, w.created_by, w.status,
              (SELECT r.name FROM resources r WHERE r.id = (w.offer->>'resourceId')::uuid) AS offer_resource_name
         FROM waitlist_entries w
         JOIN pools p ON p.id = w.pool_id
         JOIN municipalities m ON m.id = w.municipality_id
         JOIN municipalities s ON s.id = w.site_municipality_id
        WHERE w.id = $1`,
      [id],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      id: r.id as string,
      poolId: r.pool_id as string,
      poolName: r.pool_name as string,
      resourceType: r.resource_type as string,
      municipalityId: r.municipality_id as string,
      municipalityName: r.municipality_name as string,
      siteName: r.site_name as string,
      startAt: new Date(r.start_at as string),
      endAt: new Date(r.end_at as string),
      createdBy: (r.created_by as string | null) ?? null,
      offerResourceName: (r.offer_resource_name as string | null) ?? null,
      status: r.status as string,
    };
  }

  async resourceName(id: string): Promise<string | null> {
    const rows = await this.q<{ name: string }>(`SELECT name FROM resources WHERE id = $1`, [id]);
    return rows[0]?.name ?? null;
  }

  async poolName(id: string): Promise<string | null> {
    const rows = await this.q<{ name: string }>(`SELECT name FROM pools WHERE id = $1`, [id]);
    return rows[0]?.name ?? null;
  }

  async municipalityName(id: string): Promise<string | null> {
    const rows = await this.q<{ name: string }>(`SELECT name FROM municipalities WHERE id = $1`, [id]);
    return rows[0]?.name ?? null;
  }

  /** Active users of a municipality in a role. */
  async usersOf(municipalityId: string, role: string): Promise<NotifiableUser[]> {
    const rows = await this.q(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN notification_preferences np ON np.user_id = u.id
        WHERE u.municipality_id = $1 AND u.role = $2 AND u.disabled_at IS NULL ORDER BY u.name, u.id`,
      [municipalityId, role],
    );
    return rows.map(userFromRow);
  }

  async coordinatorsOf(poolId: string): Promise<NotifiableUser[]> {
    const rows = await this.q(
      `SELECT ${USER_COLUMNS} FROM users u JOIN user_pools up ON up.user_id = u.id
         LEFT JOIN notification_preferences np ON np.user_id = u.id
        WHERE up.pool_id = $1 AND u.role = 'coordinator' AND u.disabled_at IS NULL ORDER BY u.name, u.id`,
      [poolId],
    );
    return rows.map(userFromRow);
  }

  async user(id: string): Promise<NotifiableUser | null> {
    const rows = await this.q(
      `SELECT ${USER_COLUMNS} FROM users u LEFT JOIN notification_preferences np ON np.user_id = u.id
        WHERE u.id = $1 AND u.disabled_at IS NULL`,
      [id],
    );
    return rows.length > 0 ? userFromRow(rows[0]) : null;
  }

  /** Active machines whose inspection is due within `days` days (Europe/Berlin) or overdue. */
  async inspectionsDue(days: number): Promise<InspectionFacts[]> {
    const rows = await this.q(
      `SELECT r.id, r.name, p.name AS pool_name, r.home_municipality_id, m.name AS home_name,
              to_char(r.next_inspection_due, 'YYYY-MM-DD') AS due
         FROM resources r JOIN pools p ON p.id = r.pool_id JOIN municipalities m ON m.id = r.home_municipality_id
        WHERE r.kind = 'machine' AND r.active AND r.next_inspection_due IS NOT NULL
          AND r.next_inspection_due <= (now() AT TIME ZONE 'Europe/Berlin')::date + $1::integer
        ORDER BY r.next_inspection_due, r.name`,
      [days],
    );
    return rows.map((r) => ({
      resourceId: r.id as string,
      resourceName: r.name as string,
      poolName: r.pool_name as string,
      homeMunicipalityId: r.home_municipality_id as string,
      homeMunicipalityName: r.home_name as string,
      nextInspectionDue: r.due as string,
    }));
  }

  async poolReminderOffsets(poolId: string): Promise<number[] | null> {
    const rows = await this.q<{ o: number[] }>(
      `SELECT reminder_offsets_minutes AS o FROM pools WHERE id = $1`,
      [poolId],
    );
    return rows[0]?.o ?? null;
  }

  async setPoolReminderOffsets(poolId: string, offsets: number[]): Promise<boolean> {
    const rows = await this.q(
      `UPDATE pools SET reminder_offsets_minutes = $2, updated_at = now() WHERE id = $1 RETURNING id`,
      [poolId, offsets],
    );
    return rows.length > 0;
  }
}
