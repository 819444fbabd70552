import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { queryRows } from './rows';

/** A reminder a booking should have: one per recipient and offset, due `offset` before the start. */
export interface DesiredReminder {
  recipientKey: string;
  userId: string | null;
  recipientEmail: string;
  recipientName: string;
  language: 'de' | 'en';
  offsetMinutes: number;
  startAt: Date;
  dueAt: Date;
}

export interface ClaimedReminder extends DesiredReminder {
  id: string;
  bookingId: string;
}

export interface ReminderRow extends ClaimedReminder {
  status: 'pending' | 'claimed';
}

type Row = Record<string, unknown>;

function fromRow(r: Row): ReminderRow {
  return {
    id: r.id as string,
    bookingId: r.booking_id as string,
    recipientKey: r.recipient_key as string,
    userId: (r.user_id as string | null) ?? null,
    recipientEmail: r.recipient_email as string,
    recipientName: r.recipient_name as string,
    language: r.language as 'de' | 'en',
    offsetMinutes: Number(r.offset_minutes),
    startAt: new Date(r.start_at as string),
    dueAt: new Date(r.due_at as string),
    status: r.status as 'pending' | 'claimed',
  };
}

/**
 * Reminders live in the database, derived from the bookings: a reschedule replaces a booking's
 * pending reminders, a cancel deletes them, and a claimer takes the due ones. Nothing depends on
 * a delayed job surviving in Redis.
 */
@Injectable()
export class ReminderRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private async q<T = Row>(text: string, values: unknown[] = []): Promise<T[]> {
    return queryRows<T>(await this.uow.manager().query(text, values));
  }

  /** Makes the booking's pending reminders exactly `desired` (claimed ones stay as they are). */
  async replacePending(bookingId: string, desired: DesiredReminder[]): Promise<void> {
    const json = JSON.stringify(
      desired.map((d) => ({
        recipient_key: d.recipientKey,
        user_id: d.userId,
        recipient_email: d.recipientEmail,
        recipient_name: d.recipientName,
        language: d.language,
        offset_minutes: d.offsetMinutes,
        start_at: d.startAt.toISOString(),
        due_at: d.dueAt.toISOString(),
      })),
    );
    const wanted = `jsonb_to_recordset($2::jsonb) AS d(recipient_key text, user_id uuid, recipient_email text,
      recipient_name text, language text, offset_minutes integer, start_at timestamptz, due_at timestamptz)`;
    await this.q(
      `DELETE FROM booking_reminders r
        WHERE r.booking_id = $1 AND r.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM ${wanted}
                           WHERE d.recipient_key = r.recipient_key AND d.offset_minutes = r.offset_minutes
                             AND d.start_at = r.start_at AND d.recipient_email = r.recipient_email
                             AND d.language = r.language)`,
      [bookingId, json],
    );
    await this.q(
      `INSERT INTO booking_reminders (booking_id, recipient_key, user_id, recipient_email, recipient_name,
                                      language, offset_minutes, start_at, due_at)
       SELECT $1, d.recipient_key, d.user_id, d.recipient_email, d.recipient_name, d.language,
              d.offset_minutes, d.start_at, d.due_at
         FROM ${wanted}
       ON CONFLICT (booking_id, recipient_key, offset_minutes, start_at) DO NOTHING`,
      [bookingId, json],
    );
  }

  async deletePending(bookingId: string): Promise<void> {
    await this.q(`DELETE FROM booking_reminders WHERE booking_id = $1 AND status = 'pending'`, [bookingId]);
  }

  /** Takes up to `limit` due reminders; concurrent claimers skip each other's rows. */
  async claimDue(limit: number): Promise<ClaimedReminder[]> {
    const rows = await this.q(
      `UPDATE booking_reminders SET status = 'claimed', claimed_at = now()
        WHERE id IN (SELECT id FROM booking_reminders WHERE status = 'pending' AND due_at <= now()
                      ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [limit],
    );
    return rows.map(fromRow);
  }

  /** Milliseconds until the next pending reminder is due, or null if none is pending. */
  async msUntilNextDue(): Promise<number | null> {
    const rows = await this.q<{ ms: number | null }>(
      `SELECT extract(epoch FROM (min(due_at) - now())) * 1000 AS ms FROM booking_reminders WHERE status = 'pending'`,
    );
    return rows[0]?.ms === null || rows[0]?.ms === undefined ? null : Number(rows[0].ms);
  }

  async ofBooking(bookingId: string): Promise<ReminderRow[]> {
    const rows = await this.q(
      `SELECT * FROM booking_reminders WHERE booking_id = $1 ORDER BY due_at, recipient_key`,
      [bookingId],
    );
    return rows.map(fromRow);
  }
}
