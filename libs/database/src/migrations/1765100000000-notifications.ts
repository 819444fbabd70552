import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: the operator's email on staff resources, the pool's default reminder offsets,
 * per-user preferences, the notifications ledger (one row per event, kind and recipient: the
 * exactly-once key, claimed before the send and marked after) and the reminders derived from
 * bookings (durable, so they survive worker and Redis restarts), plus the wake-up signal of the
 * outbox relay (NOTIFY on every new booking_events row).
 */
export class Notifications1765100000000 implements MigrationInterface {
  name = 'Notifications1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resources ADD COLUMN email text
      CHECK (email IS NULL OR (kind = 'staff' AND email ~ '^[^@\\s]+@[^@\\s]+$'))`);
    await q.query(
      `ALTER TABLE pools ADD COLUMN reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440,120}'`,
    );
    await q.query(`
      CREATE TABLE notification_preferences (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        language text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
        disabled_kinds text[] NOT NULL DEFAULT '{}',
        reminder_offsets_minutes integer[],
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        event_id bigint REFERENCES booking_events(id),
        booking_id uuid REFERENCES bookings(id),
        user_id uuid REFERENCES users(id),
        recipient_email text NOT NULL,
        recipient_name text NOT NULL,
        language text NOT NULL CHECK (language IN ('de', 'en')),
        facts jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        generation integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        last_error text,
        message_id text,
        due_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX notifications_open_idx ON notifications (updated_at) WHERE status IN ('pending', 'sending')`,
    );
    await q.query(
      `CREATE INDEX notifications_failed_idx ON notifications (updated_at) WHERE status = 'failed'`,
    );
    await q.query(`CREATE INDEX notifications_booking_idx ON notifications (booking_id)`);
    await q.query(`
      CREATE TABLE booking_reminders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL REFERENCES bookings(id),
        recipient_key text NOT NULL,
        user_id uuid REFERENCES users(id),
        recipient_email text NOT NULL,
        recipient_name text NOT NULL,
        language text NOT NULL CHECK (language IN ('de', 'en')),
        offset_minutes integer NOT NULL CHECK (offset_minutes > 0),
        start_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed')),
        claimed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (booking_id, recipient_key, offset_minutes, start_at)
      )`);
    await q.query(
      `CREATE INDEX booking_reminders_due_idx ON booking_reminders (due_at) WHERE status = 'pending'`,
    );

    // Preferences: the user and the admin. The ledger and reminders hold no tenant's data beyond
    // addresses: under the app role only the admin sees them; the worker's sends run as the
    // connecting user outside a unit of work (one statement each, no transaction: the hot path).
    const admin = `(SELECT allmende_is_admin())`;
    const self = `(SELECT allmende_user_id())`;
    const installation = `${admin} OR current_user <> 'allmende_app'`;
    const policies = [
      { table: 'notification_preferences', using: `${admin} OR user_id = ${self}` },
      { table: 'notifications', using: installation },
      { table: 'booking_reminders', using: installation },
    ];
    for (const p of policies) {
      await q.query(`ALTER TABLE ${p.table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${p.table} FORCE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY ${p.table}_tenant ON ${p.table} FOR ALL USING (${p.using}) WITH CHECK (${p.using})`,
      );
    }

    // The relay sleeps on LISTEN allmende_outbox; each committed event wakes it.
    await q.query(`
      CREATE FUNCTION allmende_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('allmende_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER booking_events_notify AFTER INSERT ON booking_events
        FOR EACH STATEMENT EXECUTE FUNCTION allmende_outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER booking_events_notify ON booking_events`);
    await q.query(`DROP FUNCTION allmende_outbox_notify()`);
    await q.query(`DROP TABLE booking_reminders`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE notification_preferences`);
    await q.query(`ALTER TABLE pools DROP COLUMN reminder_offsets_minutes`);
    await q.query(`ALTER TABLE resources DROP COLUMN email`);
  }
}
