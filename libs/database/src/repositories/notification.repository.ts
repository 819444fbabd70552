import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import type { DatabaseOptions } from '../data-source';
import { DATABASE_OPTIONS, UnitOfWork } from '../unit-of-work';
import { queryRows } from './rows';
import { GuardedClient } from '../guarded-client';

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** One message to one recipient: the exactly-once ledger row. */
export interface NotificationRow {
  id: string;
  dedupeKey: string;
  kind: string;
  eventId: string | null;
  bookingId: string | null;
  userId: string | null;
  recipientEmail: string;
  recipientName: string;
  language: 'de' | 'en';
  facts: Record<string, unknown>;
  status: NotificationStatus;
  attempts: number;
  generation: number;
  lastError: string | null;
  messageId: string | null;
  dueAt: Date;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

export type NewNotification = Pick<
  NotificationRow,
  | 'dedupeKey'
  | 'kind'
  | 'eventId'
  | 'bookingId'
  | 'userId'
  | 'recipientEmail'
  | 'recipientName'
  | 'language'
  | 'facts'
> & { dueAt?: Date };

/** What a send job names: the row and the generation it was queued for. */
export interface QueuedNotification {
  id: string;
  generation: number;
}

type Row = Record<string, unknown>;
const dateOrNull = (v: unknown): Date | null =>
  v === null || v === undefined ? null : new Date(v as string);

function fromRow(r: Row): NotificationRow {
  return {
    id: r.id as string,
    dedupeKey: r.dedupe_key as string,
    kind: r.kind as string,
    eventId: r.event_id === null ? null : (r.event_id as string | number).toString(),
    bookingId: (r.booking_id as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    recipientEmail: r.recipient_email as string,
    recipientName: r.recipient_name as string,
    language: r.language as 'de' | 'en',
    facts: r.facts as Record<string, unknown>,
    status: r.status as NotificationStatus,
    attempts: Number(r.attempts),
    generation: Number(r.generation),
    lastError: (r.last_error as string | null) ?? null,
    messageId: (r.message_id as string | null) ?? null,
    dueAt: new Date(r.due_at as string),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    sentAt: dateOrNull(r.sent_at),
  };
}

interface PendingMark {
  id: string;
  messageId: string;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const MARK_CONNECTIONS = 2;

const MARK_SENT = `UPDATE notifications n
    SET status = 'sent', sent_at = now(), updated_at = now(), lease_until = NULL, message_id = m.message_id,
        last_error = NULL
   FROM unnest($1::uuid[], $2::text[]) AS m(id, message_id)
  WHERE n.id = m.id AND n.status = 'sending'`;

const COLUMNS = `id, dedupe_key, kind, event_id, booking_id, user_id, recipient_email, recipient_name, language,
  facts, status, attempts, generation, last_error, message_id, due_at, created_at, updated_at, sent_at`;

/**
 * The notifications ledger. A row's dedupe key is (event or reminder, kind, recipient): inserted
 * once, claimed (status sending, with a lease) before the send and marked sent after, so a send
 * job that runs twice sends once.
 */
@Injectable()
export class NotificationRepository implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationRepository.name);
  /** Connections of their own for the sent-marks, opened at the first mark (see markSent). */
  private marks: Pool | null = null;
  private closing = false;
  /** Marks waiting for one of the mark connections, and how many statements are running. */
  private pendingMarks: PendingMark[] = [];
  private marksInFlight = 0;

  constructor(
    private readonly uow: UnitOfWork,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions,
  ) {}

  /**
   * The own connections close when the modules do, which is before the queue's workers have let
   * their jobs finish (they close at application shutdown): a send still in flight then marks
   * through the shared pool, which stays open until after the workers.
   */
  async onModuleDestroy(): Promise<void> {
    const marks = this.marks;
    this.marks = null;
    this.closing = true;
    await marks?.end().catch(() => undefined);
  }

  private async q<T = Row>(text: string, values: unknown[] = []): Promise<T[]> {
    return queryRows<T>(await this.uow.manager().query(text, values));
  }

  /** Inserts the rows not there yet; returns every row of the keys (new or old) still to send. */
  async insertMany(rows: NewNotification[]): Promise<QueuedNotification[]> {
    if (rows.length === 0) return [];
    const result = await this.q<{ id: string; generation: number }>(
      `INSERT INTO notifications (dedupe_key, kind, event_id, booking_id, user_id, recipient_email,
                                  recipient_name, language, facts, due_at)
       SELECT r.dedupe_key, r.kind, r.event_id, r.booking_id, r.user_id, r.recipient_email,
              r.recipient_name, r.language, r.facts, coalesce(r.due_at, now())
         FROM jsonb_to_recordset($1::jsonb) AS r(dedupe_key text, kind text, event_id bigint, booking_id uuid,
              user_id uuid, recipient_email text, recipient_name text, language text, facts jsonb,
              due_at timestamptz)
       ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
       RETURNING id, generation, status`,
      [
        JSON.stringify(
          rows.map((r) => ({
            dedupe_key: r.dedupeKey,
            kind: r.kind,
            event_id: r.eventId,
            booking_id: r.bookingId,
            user_id: r.userId,
            recipient_email: r.recipientEmail,
            recipient_name: r.recipientName,
            language: r.language,
            facts: r.facts,
            due_at: r.dueAt?.toISOString() ?? null,
          })),
        ),
      ],
    );
    return (result as unknown as { id: string; generation: number; status: string }[])
      .filter((r) => r.status === 'pending')
      .map((r) => ({ id: r.id, generation: Number(r.generation) }));
  }

  /**
   * Claims rows for sending, in one statement: pending, or sending whose lease ran out (its sender
   * died). Rows sent, failed, or being sent by a live sender are not returned.
   */
  async claimMany(ids: string[], leaseMs: number): Promise<NotificationRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.q(
      `UPDATE notifications
          SET status = 'sending', attempts = attempts + 1, updated_at = now(),
              lease_until = now() + make_interval(secs => $2::double precision / 1000)
        WHERE id = ANY($1::uuid[]) AND (status = 'pending' OR (status = 'sending' AND lease_until < now()))
        RETURNING ${COLUMNS}`,
      [ids, leaseMs],
    );
    const byId = new Map(rows.map((r) => [r.id as string, fromRow(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async statusesOf(ids: string[]): Promise<Map<string, NotificationStatus>> {
    if (ids.length === 0) return new Map();
    const rows = await this.q<{ id: string; status: NotificationStatus }>(
      `SELECT id, status FROM notifications WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * The message is out: a sender that dies before this commits sends it again, so the marks take
   * connections of their own (two) and never wait behind the claims and reads that share the pool.
   * Marks that arrive while both are busy go together in the next statement, so a worker sending
   * many messages at once marks them in a few statements, each mark as soon as a connection is free.
   * On a server whose connections share one session (the embedded PGlite) it takes the pool's.
   */
  markSent(id: string, messageId: string): Promise<void> {
    if (!this.options.preparedStatements || this.closing)
      return this.q(MARK_SENT, [[id], [messageId]]).then(() => undefined);
    return new Promise<void>((resolve, reject) => {
      this.pendingMarks.push({ id, messageId, resolve, reject });
      this.flushMarks();
    });
  }

  private flushMarks(): void {
    while (this.pendingMarks.length > 0 && this.marksInFlight < MARK_CONNECTIONS) {
      const batch = this.pendingMarks.splice(0);
      this.marksInFlight++;
      const values = [batch.map((m) => m.id), batch.map((m) => m.messageId)];
      // After the own connections closed (shutdown with sends in flight): the shared pool.
      const statement = this.closing
        ? this.q(MARK_SENT, values)
        : this.markPool().query({ name: 'notifications-mark-sent', text: MARK_SENT, values });
      statement
        .then(
          () => batch.forEach((m) => m.resolve()),
          (e: unknown) => batch.forEach((m) => m.reject(e)),
        )
        .finally(() => {
          this.marksInFlight--;
          this.flushMarks();
        });
    }
  }

  private markPool(): Pool {
    if (!this.marks) {
      this.marks = new Pool({
        connectionString: this.options.url,
        application_name: `${this.options.applicationName}-marks`,
        max: MARK_CONNECTIONS,
        connectionTimeoutMillis: 10_000,
        Client: GuardedClient,
      });
      // A connection that breaks while idle (a restart) is dropped; the next mark opens another.
      this.marks.on('error', (e) => this.logger.warn({ err: e }, 'ledger mark connection lost'));
    }
    return this.marks;
  }

  /**
   * A claimed row never handed to the mail server: pending again, the try not counted. Only while
   * it is still this claim's (`attempts` as the claim left it): a row another sender took over
   * after the lease is left alone.
   */
  async release(id: string, attempts: number): Promise<void> {
    await this.q(
      `UPDATE notifications SET status = 'pending', attempts = attempts - 1, updated_at = now(), lease_until = NULL
        WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [id, attempts],
    );
  }

  /** A failed try: back to pending for the next one, or failed for good after the last. */
  async markTryFailed(id: string, error: string, final: boolean): Promise<void> {
    await this.q(
      `UPDATE notifications SET status = $3, updated_at = now(), lease_until = NULL, last_error = $2
        WHERE id = $1 AND status = 'sending'`,
      [id, error.slice(0, 2000), final ? 'failed' : 'pending'],
    );
  }

  /** An admin's retry of a failed row: pending again, under a new generation (a new job id). */
  async retry(id: string): Promise<QueuedNotification | null> {
    const rows = await this.q<{ id: string; generation: number }>(
      `UPDATE notifications SET status = 'pending', attempts = 0, generation = generation + 1, updated_at = now()
        WHERE id = $1 AND status = 'failed' RETURNING id, generation`,
      [id],
    );
    return rows.length > 0 ? { id: rows[0].id, generation: Number(rows[0].generation) } : null;
  }

  /**
   * Rows whose job may be lost (Redis flushed or away, a crash between commit and enqueue):
   * pending and untouched for `pendingMs`, or sending with a lease that ran out (its sender died).
   * For pending ones the caller asks the queue whether the job is really lost (a row may simply
   * wait its turn in a backlog).
   */
  async stale(
    pendingMs: number,
    limit: number,
  ): Promise<(QueuedNotification & { status: NotificationStatus; jobId: string | null })[]> {
    const rows = await this.q<{
      id: string;
      generation: number;
      status: NotificationStatus;
      job_id: string | null;
    }>(
      `SELECT id, generation, status, job_id FROM notifications
        WHERE (status = 'pending' AND updated_at < now() - make_interval(secs => $1::double precision / 1000))
           OR (status = 'sending' AND lease_until < now())
        ORDER BY updated_at LIMIT $2`,
      [pendingMs, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      generation: Number(r.generation),
      status: r.status,
      jobId: r.job_id ?? null,
    }));
  }

  /** Notes the queue job that carries each row (see the sweeper). */
  async assignJobs(rows: { id: string; jobId: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.q(
      `UPDATE notifications n SET job_id = r.job_id
         FROM unnest($1::uuid[], $2::text[]) AS r(id, job_id)
        WHERE n.id = r.id`,
      [rows.map((r) => r.id), rows.map((r) => r.jobId)],
    );
  }

  /**
   * A new generation for rows whose job is lost, so that their new job id is not swallowed by a
   * finished or failed job of the old one. Only rows still as they were found (same generation,
   * not sent or failed meanwhile).
   */
  async newGeneration(rows: QueuedNotification[]): Promise<QueuedNotification[]> {
    if (rows.length === 0) return [];
    const bumped = await this.q<{ id: string; generation: number }>(
      `UPDATE notifications n SET generation = n.generation + 1, updated_at = now()
         FROM unnest($1::uuid[], $2::int[]) AS r(id, generation)
        WHERE n.id = r.id AND n.generation = r.generation AND n.status IN ('pending', 'sending')
        RETURNING n.id, n.generation`,
      [rows.map((r) => r.id), rows.map((r) => r.generation)],
    );
    return bumped.map((r) => ({ id: r.id, generation: Number(r.generation) }));
  }

  async findById(id: string): Promise<NotificationRow | null> {
    const rows = await this.q(`SELECT ${COLUMNS} FROM notifications WHERE id = $1`, [id]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /** Newest first, keyset-paginated by (updated_at, id). */
  async list(
    filter: { status?: NotificationStatus; bookingId?: string },
    limit: number,
    after?: { updatedAt: string; id: string },
  ): Promise<NotificationRow[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM notifications
        WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR booking_id = $2)
          AND ($3::timestamptz IS NULL OR (updated_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY updated_at DESC, id DESC LIMIT $5`,
      [filter.status ?? null, filter.bookingId ?? null, after?.updatedAt ?? null, after?.id ?? null, limit],
    );
    return rows.map(fromRow);
  }
}
