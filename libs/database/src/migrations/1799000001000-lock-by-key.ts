import { MigrationInterface, QueryRunner } from 'typeorm';

/** Spelled out here rather than imported: a migration must not change when the code does. */
const APP_ROLE = 'allmende_app';

const SIGNATURE_LOCK =
  'allmende_lock_and_place(text, text, text, text, uuid[], uuid, timestamptz, timestamptz, uuid[], timestamptz, uuid, uuid, date, date)';
const SIGNATURE_INSERT = `allmende_insert_booking(uuid, uuid, uuid, uuid, uuid, timestamptz, timestamptz, timestamptz,
  timestamptz, text, uuid, uuid, timestamptz, timestamptz, text, text, uuid, uuid, timestamptz, uuid, text, text, text,
  text, uuid, jsonb, jsonb, uuid, uuid, uuid, text, jsonb)`;

const TENANT = `
        IF p_role IS NOT NULL THEN
          -- UnitOfWork's tenant statement: the member pools are read after the tenant settings
          -- they are filtered by, and the role is switched last.
          PERFORM set_config('allmende.role', p_role, true), set_config('allmende.municipality_id', p_municipality, true),
                  set_config('allmende.pool_ids', p_pools, true), set_config('allmende.user_id', p_user, true);
          PERFORM set_config('allmende.member_pool_ids',
                             coalesce((SELECT string_agg(DISTINCT pm.pool_id::text, ',') FROM pool_members pm
                                        WHERE pm.municipality_id = nullif(p_municipality, '')::uuid), ''), true);
          PERFORM set_config('role', '${APP_ROLE}', true);
        END IF;`;

/** The booked resource's facts and its week, as both versions declare them. */
const BOOKED_RESOURCE_VARIABLES = `        v_home uuid;
        v_pool uuid;
        v_kind text;
        v_weekly numeric;
        v_monday timestamp;
        v_week_from timestamptz;
        v_week_to timestamptz;`;

const WEEK_AND_PLACEMENT = `
        IF v_kind = 'staff' AND v_weekly IS NOT NULL THEN
          -- The local (Europe/Berlin) Monday-to-Monday week of the start.
          v_monday := date_trunc('week', p_start AT TIME ZONE 'Europe/Berlin');
          v_week_from := v_monday AT TIME ZONE 'Europe/Berlin';
          v_week_to := (v_monday + interval '7 days') AT TIME ZONE 'Europe/Berlin';
        END IF;`;

const lockAndPlace = (body: string) => `
      CREATE OR REPLACE FUNCTION allmende_lock_and_place(
        p_role text, p_municipality text, p_pools text, p_user text,
        p_lock uuid[], p_resource uuid, p_start timestamptz, p_end timestamptz, p_except uuid[],
        p_lookback timestamptz, p_site uuid, p_booker uuid, p_first_day date, p_last_day date) RETURNS json
      LANGUAGE plpgsql AS $$
      ${body}
      $$`;

/** Before: one statement locks all, and the booked resource is read again. */
const LOCK_BY_SCAN = `
      DECLARE
        v_locked json;
${BOOKED_RESOURCE_VARIABLES}
      BEGIN${TENANT}
        -- Rows are locked in the order they are returned, by id: no deadlock between two locking sets.
        SELECT coalesce(json_agg(row_to_json(r) ORDER BY r.id), '[]') INTO v_locked
          FROM (SELECT * FROM resources WHERE id = ANY (p_lock) ORDER BY id FOR UPDATE) r;
        SELECT r.home_municipality_id, r.pool_id, r.kind, r.weekly_hours INTO v_home, v_pool, v_kind, v_weekly
          FROM resources r WHERE r.id = p_resource;
        IF NOT FOUND THEN
          RETURN json_build_object('locked', v_locked, 'placement', NULL,
                                   'member_pools', current_setting('allmende.member_pool_ids', true));
        END IF;${WEEK_AND_PLACEMENT}
        RETURN json_build_object('locked', v_locked, 'placement', allmende_placement(
          p_resource, v_pool, p_start, p_end, p_except, p_lookback, ARRAY[v_home, p_site, p_booker],
          p_booker, p_first_day, p_last_day, v_week_from, v_week_to),
          'member_pools', current_setting('allmende.member_pool_ids', true));
      END`;

const LOCK_BY_KEY = `
      DECLARE
        v_id uuid;
        v_row resources%ROWTYPE;
        v_locked json[] := '{}';
        v_found boolean := false;
${BOOKED_RESOURCE_VARIABLES}
      BEGIN${TENANT}
        -- In id order, so that two locking sets never deadlock; one primary-key lookup each.
        FOR v_id IN SELECT DISTINCT l.id FROM unnest(p_lock) AS l(id) ORDER BY l.id LOOP
          SELECT * INTO v_row FROM resources WHERE id = v_id FOR UPDATE;
          CONTINUE WHEN NOT FOUND;
          v_locked := v_locked || row_to_json(v_row);
          IF v_id = p_resource THEN
            v_home := v_row.home_municipality_id; v_pool := v_row.pool_id;
            v_kind := v_row.kind; v_weekly := v_row.weekly_hours; v_found := true;
          END IF;
        END LOOP;
        IF NOT v_found THEN
          -- The booked resource is not among the locked ones (or not visible): read it as before.
          SELECT r.home_municipality_id, r.pool_id, r.kind, r.weekly_hours INTO v_home, v_pool, v_kind, v_weekly
            FROM resources r WHERE r.id = p_resource;
          v_found := FOUND;
        END IF;
        IF NOT v_found THEN
          RETURN json_build_object('locked', array_to_json(v_locked), 'placement', NULL,
                                   'member_pools', current_setting('allmende.member_pool_ids', true));
        END IF;${WEEK_AND_PLACEMENT}
        RETURN json_build_object('locked', array_to_json(v_locked), 'placement', allmende_placement(
          p_resource, v_pool, p_start, p_end, p_except, p_lookback, ARRAY[v_home, p_site, p_booker],
          p_booker, p_first_day, p_last_day, v_week_from, v_week_to),
          'member_pools', current_setting('allmende.member_pool_ids', true));
      END`;

const insertBooking = (leg: { cte: string; statement: string }) => `
      CREATE OR REPLACE FUNCTION allmende_insert_booking(
        p_id uuid, p_pool uuid, p_resource uuid, p_municipality uuid, p_site uuid,
        p_start timestamptz, p_end timestamptz, p_blocked_start timestamptz, p_blocked_end timestamptz,
        p_priority text, p_operator_for uuid, p_series uuid, p_flexible_start timestamptz,
        p_flexible_end timestamptz, p_notes text, p_contact text, p_created_by uuid,
        p_leg_booking uuid, p_leg_start timestamptz,
        p_audit_user uuid, p_audit_token text, p_audit_action text, p_audit_entity_type text,
        p_audit_entity text, p_audit_municipality uuid, p_audit_before jsonb, p_audit_after jsonb,
        p_event_booking uuid, p_event_waitlist uuid, p_event_municipality uuid, p_event_kind text,
        p_event_payload jsonb) RETURNS json
      LANGUAGE plpgsql AS $$
      DECLARE
        v_booking json;
      BEGIN
        WITH ins AS (
          INSERT INTO bookings (id, pool_id, resource_id, municipality_id, site_municipality_id, start_at,
                                end_at, blocked_start, blocked_end, status, priority, operator_for_booking_id,
                                series_id, flexible_start, flexible_end, notes, contact, sequence, created_by)
          VALUES (p_id, p_pool, p_resource, p_municipality, p_site, p_start, p_end, p_blocked_start,
                  p_blocked_end, 'active', p_priority, p_operator_for, p_series, p_flexible_start,
                  p_flexible_end, p_notes, p_contact, 0, p_created_by)
          RETURNING *),${leg.cte}
        au AS (
          INSERT INTO audit_log (actor_user_id, actor_token_name, action, entity_type, entity_id,
                                 municipality_id, before, after)
          VALUES (p_audit_user, p_audit_token, p_audit_action, p_audit_entity_type, p_audit_entity,
                  p_audit_municipality, p_audit_before, p_audit_after))
        SELECT row_to_json(ins) INTO v_booking FROM ins;${leg.statement}
        INSERT INTO booking_events (booking_id, waitlist_entry_id, municipality_id, kind, payload)
        VALUES (p_event_booking, p_event_waitlist, p_event_municipality, p_event_kind, p_event_payload);
        RETURN v_booking;
      END $$`;

const LEG_IN_EVERY_CALL = {
  cte: `
        leg AS (
          UPDATE bookings SET blocked_start = p_leg_start, updated_at = now()
           WHERE p_leg_booking IS NOT NULL AND id = p_leg_booking),`,
  statement: '',
};
const LEG_WHEN_THERE_IS_ONE = {
  cte: '',
  statement: `
        IF p_leg_booking IS NOT NULL THEN
          UPDATE bookings SET blocked_start = p_leg_start, updated_at = now() WHERE id = p_leg_booking;
        END IF;`,
};

/**
 * Two statements less work in every create:
 *
 * - allmende_lock_and_place locks each resource by its primary key, in id order, and takes the
 *   booked resource's home, pool, kind and weekly hours from its locked row. It locked with
 *   `id = ANY (p_lock)`, whose generic plan (the functions plan once per connection) PostgreSQL
 *   answered with a sequential scan of all resources while they are few (0.11–0.15 ms of each
 *   create with the bench's 1,000 machines, EXPLAIN ANALYZE), and then read the booked one again.
 * - allmende_insert_booking moves the next booking's transport leg only when there is one; the
 *   UPDATE was planned and started with every insert, most of them with nothing to move.
 */
export class LockByKey1799000001000 implements MigrationInterface {
  name = 'LockByKey1799000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(lockAndPlace(LOCK_BY_KEY));
    await q.query(insertBooking(LEG_WHEN_THERE_IS_ONE));
    // CREATE OR REPLACE drops a function's settings: plan once per connection, as before.
    await q.query(`ALTER FUNCTION ${SIGNATURE_LOCK} SET plan_cache_mode = force_generic_plan`);
    await q.query(`ALTER FUNCTION ${SIGNATURE_INSERT} SET plan_cache_mode = force_generic_plan`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(lockAndPlace(LOCK_BY_SCAN));
    await q.query(insertBooking(LEG_IN_EVERY_CALL));
    await q.query(`ALTER FUNCTION ${SIGNATURE_LOCK} SET plan_cache_mode = force_generic_plan`);
    await q.query(`ALTER FUNCTION ${SIGNATURE_INSERT} SET plan_cache_mode = force_generic_plan`);
  }
}
