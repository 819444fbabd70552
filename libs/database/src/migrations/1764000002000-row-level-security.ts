import { MigrationInterface, QueryRunner } from 'typeorm';

/** Spelled out here rather than imported: a migration must not change when the code does. */
const APP_ROLE = 'allmende_app';

/**
 * Isolation between municipalities in the database itself: a forgotten WHERE clause cannot leak.
 *
 * - `allmende_app` (NOLOGIN, NOBYPASSRLS) gets table privileges but owns nothing; every unit of
 *   work switches to it with SET LOCAL ROLE after setting the acting tenant with set_config(…, true):
 *   `allmende.role`, `allmende.municipality_id`, `allmende.pool_ids` (coordinated pools),
 *   `allmende.user_id`, `allmende.member_pool_ids` (pools the municipality is a member of).
 * - Tenant tables have ROW LEVEL SECURITY enabled and FORCEd, so even the owner is filtered; with no
 *   tenant set a query sees 0 rows. The `admin` role setting (the installation, CLI, worker jobs)
 *   sees everything. Superusers (the embedded PGlite's `postgres`) bypass RLS when not switched.
 * - Pool data (pools, members, travel times, resources, blackouts) is visible to the pools'
 *   members and coordinators and written only by coordinators. Bookings, waitlist, usage and
 *   booking events are visible pool-wide (other members see busy time; the API masks private
 *   fields) and written there too, because an emergency displaces another member's booking.
 * - Users are visible within their municipality and to coordinators of pools it belongs to;
 *   tokens only to their user; audit entries to their municipality and its coordinators.
 * - municipalities is public reference data; idempotency_keys is scoped by principal in code.
 *
 * A new tenant table: `ALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY` plus a
 * policy built from the helpers below, e.g. `USING ((SELECT allmende_is_admin()) OR pool_id =
 * ANY ((SELECT allmende_visible_pools())::uuid[]))` (the sub-SELECT makes PostgreSQL evaluate it once per
 * query, not once per row). test/rls.e2e-spec.ts fails for a table with a pool_id or
 * municipality_id column that lacks forced RLS. Migrations that change data as a non-superuser
 * must `SELECT set_config('allmende.role', 'admin', true)` first.
 */
export class RowLevelSecurity1764000002000 implements MigrationInterface {
  name = 'RowLevelSecurity1764000002000';

  async up(q: QueryRunner): Promise<void> {
    // Roles are cluster-wide: idempotent, and safe when two databases migrate at the same time.
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          BEGIN
            CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
          EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
              RAISE EXCEPTION 'The role ${APP_ROLE} does not exist and % may not create it.', current_user
                USING HINT = 'As a superuser run: CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS; GRANT ${APP_ROLE} TO ' || current_user || ';';
          END;
        END IF;
        -- The user DATABASE_URL names must be able to SET ROLE to it (superusers always can).
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
           AND NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
          BEGIN
            EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
          EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION '% may not SET ROLE ${APP_ROLE}.', current_user
              USING HINT = 'As a superuser run: GRANT ${APP_ROLE} TO ' || current_user || ';';
          END;
        END IF;
      END
      $$`);

    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON schema_migrations FROM ${APP_ROLE}`);
    await q.query(`REVOKE UPDATE, DELETE ON audit_log FROM ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`,
    );

    // The acting tenant, read from the transaction's settings. Pure: no table access, no recursion.
    await q.query(`
      CREATE FUNCTION allmende_setting_uuids(setting text) RETURNS uuid[]
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT coalesce(string_to_array(nullif(current_setting(setting, true), ''), ',')::uuid[], '{}') $$`);
    await q.query(`
      CREATE FUNCTION allmende_is_admin() RETURNS boolean
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT coalesce(current_setting('allmende.role', true) = 'admin', false) $$`);
    await q.query(`
      CREATE FUNCTION allmende_municipality_id() RETURNS uuid
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT nullif(current_setting('allmende.municipality_id', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION allmende_user_id() RETURNS uuid
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT nullif(current_setting('allmende.user_id', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION allmende_coordinated_pools() RETURNS uuid[]
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT CASE WHEN current_setting('allmende.role', true) = 'coordinator'
                          THEN allmende_setting_uuids('allmende.pool_ids') ELSE '{}'::uuid[] END $$`);
    await q.query(`
      CREATE FUNCTION allmende_visible_pools() RETURNS uuid[]
        LANGUAGE sql STABLE PARALLEL SAFE
        AS $$ SELECT allmende_coordinated_pools() || allmende_setting_uuids('allmende.member_pool_ids') $$`);

    const admin = `(SELECT allmende_is_admin())`;
    const visiblePools = `(SELECT allmende_visible_pools())`;
    const coordinatedPools = `(SELECT allmende_coordinated_pools())`;
    const ownMunicipality = `(SELECT allmende_municipality_id())`;
    const self = `(SELECT allmende_user_id())`;
    /** Municipalities that are members of a pool the actor coordinates. */
    const coordinatedMunicipalities = `(SELECT pm.municipality_id FROM pool_members pm WHERE pm.pool_id = ANY (${coordinatedPools}::uuid[]))`;

    const policies: { table: string; using: string; check?: string }[] = [
      {
        table: 'pools',
        using: `${admin} OR id = ANY (${visiblePools}::uuid[])`,
        check: `${admin} OR id = ANY (${coordinatedPools}::uuid[])`,
      },
      {
        table: 'pool_members',
        using: `${admin} OR municipality_id = ${ownMunicipality} OR pool_id = ANY (${visiblePools}::uuid[])`,
        check: `${admin} OR pool_id = ANY (${coordinatedPools}::uuid[])`,
      },
      {
        table: 'pool_travel_times',
        using: `${admin} OR pool_id = ANY (${visiblePools}::uuid[])`,
        check: `${admin} OR pool_id = ANY (${coordinatedPools}::uuid[])`,
      },
      {
        table: 'resources',
        using: `${admin} OR pool_id = ANY (${visiblePools}::uuid[])`,
        check: `${admin} OR pool_id = ANY (${coordinatedPools}::uuid[])`,
      },
      {
        // resources' own policy applies inside the sub-query.
        table: 'blackouts',
        using: `${admin} OR EXISTS (SELECT 1 FROM resources r WHERE r.id = resource_id)`,
        check: `${admin} OR EXISTS (SELECT 1 FROM resources r WHERE r.id = resource_id AND r.pool_id = ANY (${coordinatedPools}::uuid[]))`,
      },
      { table: 'bookings', using: `${admin} OR pool_id = ANY (${visiblePools}::uuid[])` },
      {
        table: 'booking_usages',
        using: `${admin} OR EXISTS (SELECT 1 FROM bookings b WHERE b.id = booking_id)`,
      },
      { table: 'waitlist_entries', using: `${admin} OR pool_id = ANY (${visiblePools}::uuid[])` },
      {
        table: 'booking_events',
        using: `${admin} OR municipality_id = ${ownMunicipality}
          OR EXISTS (SELECT 1 FROM bookings b WHERE b.id = booking_id)
          OR EXISTS (SELECT 1 FROM waitlist_entries w WHERE w.id = waitlist_entry_id)`,
      },
      {
        table: 'users',
        using: `${admin} OR id = ${self} OR municipality_id = ${ownMunicipality}
          OR municipality_id IN ${coordinatedMunicipalities}`,
        check: `${admin} OR id = ${self}`,
      },
      {
        // users' own policy applies inside the sub-query.
        table: 'user_pools',
        using: `${admin} OR EXISTS (SELECT 1 FROM users u WHERE u.id = user_id)`,
        check: admin,
      },
      { table: 'api_tokens', using: `${admin} OR user_id = ${self}` },
    ];
    for (const p of policies) {
      await q.query(`ALTER TABLE ${p.table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${p.table} FORCE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY ${p.table}_tenant ON ${p.table} FOR ALL USING (${p.using}) WITH CHECK (${p.check ?? p.using})`,
      );
    }

    // Append-only: read by the municipality and its pools' coordinators; written by whoever acts.
    await q.query(`ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE audit_log FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (
        ${admin} OR actor_user_id = ${self} OR municipality_id = ${ownMunicipality}
        OR municipality_id IN ${coordinatedMunicipalities})`);
    await q.query(`
      CREATE POLICY audit_log_append ON audit_log FOR INSERT WITH CHECK (
        ${admin} OR actor_user_id IS NOT DISTINCT FROM ${self})`);

    // The policies' lookups, indexed.
    await q.query(`CREATE INDEX users_municipality_idx ON users (municipality_id)`);
    await q.query(`CREATE INDEX audit_log_municipality_idx ON audit_log (municipality_id, at)`);
    await q.query(`CREATE INDEX resources_pool_idx ON resources (pool_id)`);
    await q.query(`CREATE INDEX waitlist_entries_pool_idx ON waitlist_entries (pool_id)`);
    await q.query(`CREATE INDEX booking_events_booking_idx ON booking_events (booking_id)`);
    // A token's name is what the audit log shows: unique among a user's live tokens.
    await q.query(
      `CREATE UNIQUE INDEX api_tokens_user_name_idx ON api_tokens (user_id, name) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX api_tokens_user_name_idx`);
    await q.query(`DROP INDEX booking_events_booking_idx`);
    await q.query(`DROP INDEX waitlist_entries_pool_idx`);
    await q.query(`DROP INDEX resources_pool_idx`);
    await q.query(`DROP INDEX audit_log_municipality_idx`);
    await q.query(`DROP INDEX users_municipality_idx`);
    await q.query(`DROP POLICY audit_log_append ON audit_log`);
    await q.query(`DROP POLICY audit_log_read ON audit_log`);
    await q.query(`ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY`);
    for (const table of [
      'api_tokens',
      'user_pools',
      'users',
      'booking_events',
      'waitlist_entries',
      'booking_usages',
      'bookings',
      'blackouts',
      'resources',
      'pool_travel_times',
      'pool_members',
      'pools',
    ]) {
      await q.query(`DROP POLICY ${table}_tenant ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
    for (const fn of [
      'allmende_visible_pools()',
      'allmende_coordinated_pools()',
      'allmende_user_id()',
      'allmende_municipality_id()',
      'allmende_is_admin()',
      'allmende_setting_uuids(text)',
    ]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
    // The role is cluster-wide and other databases may use it: it stays.
  }
}
