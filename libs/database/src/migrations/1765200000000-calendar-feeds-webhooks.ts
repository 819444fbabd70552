import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calendar feeds (iCalendar subscriptions by secret URL) and webhooks for integrators.
 *
 * - calendar_feeds: a user's feed, or a resource's feed seen with the user's rights; the token in
 *   the URL is stored only as its SHA-256 hash. Visible to its user (and admins).
 * - webhook_endpoints: a URL, the event types it wants, and its scope: the whole installation
 *   (admins), one pool (its coordinators) or one municipality (its yard managers and finance).
 *   The signing secret must be kept to sign; it is shown once and never returned again.
 * - webhook_deliveries: one row per (endpoint, outbox event), unique, so a fan-out that runs twice
 *   creates one delivery; attempts, response code and last error for the API.
 * - webhook_fanout: the fan-out's own progress through booking_events (it never touches
 *   booking_events.delivered_at, which belongs to the notification relay): a cursor below which
 *   every event is handled, and a marker per handled event above it.
 */
export class CalendarFeedsWebhooks1765200000000 implements MigrationInterface {
  name = 'CalendarFeedsWebhooks1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feeds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        resource_id uuid REFERENCES resources(id),
        name text NOT NULL CHECK (length(trim(name)) > 0),
        language text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id, created_at)`);

    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_user_id uuid REFERENCES users(id),
        pool_id uuid REFERENCES pools(id),
        municipality_id uuid REFERENCES municipalities(id),
        url text NOT NULL,
        description text,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret text NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        failing_since timestamptz,
        disabled_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (pool_id IS NULL OR municipality_id IS NULL)
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_owner_idx ON webhook_endpoints (owner_user_id)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
        event_id bigint NOT NULL REFERENCES booking_events(id),
        event_type text NOT NULL,
        message_id text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed', 'skipped')),
        attempts integer NOT NULL DEFAULT 0,
        response_status integer,
        last_error text,
        last_attempt_at timestamptz,
        next_attempt_at timestamptz,
        succeeded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- also the index of the API's list: an endpoint's deliveries, newest event first
        UNIQUE (endpoint_id, event_id)
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (created_at) WHERE status = 'pending' AND attempts = 0`,
    );
    await q.query(`
      CREATE TABLE webhook_fanout (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        cursor_event_id bigint NOT NULL DEFAULT 0
      )`);
    // No endpoint exists yet, so no earlier event is anybody's: the fan-out starts after them.
    await q.query(`SELECT set_config('allmende.role', 'admin', true)`);
    await q.query(
      `INSERT INTO webhook_fanout (cursor_event_id) SELECT coalesce(max(id), 0) FROM booking_events`,
    );
    await q.query(`
      CREATE TABLE webhook_fanout_events (
        event_id bigint PRIMARY KEY,
        handled_at timestamptz NOT NULL DEFAULT now()
      )`);

    const admin = `(SELECT allmende_is_admin())`;
    const self = `(SELECT allmende_user_id())`;
    const coordinatedPools = `(SELECT allmende_coordinated_pools())`;
    const policies: { table: string; using: string }[] = [
      { table: 'calendar_feeds', using: `${admin} OR user_id = ${self}` },
      {
        table: 'webhook_endpoints',
        using: `${admin} OR owner_user_id = ${self} OR pool_id = ANY (${coordinatedPools}::uuid[])`,
      },
      {
        // webhook_endpoints' own policy applies inside the sub-query.
        table: 'webhook_deliveries',
        using: `${admin} OR EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = endpoint_id)`,
      },
      // The fan-out's bookkeeping: the worker's (admin) business only.
      { table: 'webhook_fanout', using: admin },
      { table: 'webhook_fanout_events', using: admin },
    ];
    for (const p of policies) {
      await q.query(`ALTER TABLE ${p.table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${p.table} FORCE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY ${p.table}_tenant ON ${p.table} FOR ALL USING (${p.using}) WITH CHECK (${p.using})`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_fanout_events',
      'webhook_fanout',
      'webhook_deliveries',
      'webhook_endpoints',
      'calendar_feeds',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
