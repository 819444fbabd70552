import { MigrationInterface, QueryRunner } from 'typeorm';

/** Spelled out here rather than imported: a migration must not change when the code does. */
const APP_ROLE = 'allmende_app';

const SIGNATURE_LOCK_MANY = `allmende_lock_and_place_many(text, text, text, text, uuid[], timestamptz[],
  timestamptz[], timestamptz[], uuid[], uuid[], date[], date[])`;
const SIGNATURE_INSERT_MANY = 'allmende_insert_bookings(jsonb, jsonb, jsonb, jsonb)';

/**
 * Several creates of one tenant in one transaction (the API's create batches, CreateBatches in
 * libs/bookings), each booking of its own resource:
 *
 * - allmende_lock_and_place_many sets the tenant as allmende_lock_and_place does, locks the
 *   resources (given in id order, each once) by primary key, and reads every booking's calendar
 *   with the rule facts in one statement: allmende_placement's query, with the booking's values
 *   taken from the row of `unnest` it is joined to (LATERAL) instead of from parameters. One
 *   statement for all, so PostgreSQL starts its executor once per batch, not once per booking
 *   (starting it was more than a quarter of PostgreSQL's CPU in a create).
 * - allmende_insert_bookings writes the bookings with their audit entries in one statement, moves
 *   the following bookings' transport legs, and writes the outbox events in a statement of their
 *   own (row-level security on booking_events checks that the booking is visible).
 *
 * Both plan once per connection, as the single-booking functions do.
 */
export class BookingBatches1799100000000 implements MigrationInterface {
  name = 'BookingBatches1799100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION allmende_lock_and_place_many(
        p_role text, p_municipality text, p_pools text, p_user text,
        p_resources uuid[], p_starts timestamptz[], p_ends timestamptz[], p_lookbacks timestamptz[],
        p_sites uuid[], p_bookers uuid[], p_first_days date[], p_last_days date[]) RETURNS json
      LANGUAGE plpgsql AS $$
      DECLARE
        v_n integer := coalesce(array_length(p_resources, 1), 0);
        v_row resources%ROWTYPE;
        v_locked json[] := array_fill(NULL::json, ARRAY[v_n]);
        v_homes uuid[] := array_fill(NULL::uuid, ARRAY[v_n]);
        v_pools uuid[] := array_fill(NULL::uuid, ARRAY[v_n]);
        v_week_from timestamptz[] := array_fill(NULL::timestamptz, ARRAY[v_n]);
        v_week_to timestamptz[] := array_fill(NULL::timestamptz, ARRAY[v_n]);
        v_monday timestamp;
      BEGIN
        IF p_role IS NOT NULL THEN
          PERFORM set_config('allmende.role', p_role, true), set_config('allmende.municipality_id', p_municipality, true),
                  set_config('allmende.pool_ids', p_pools, true), set_config('allmende.user_id', p_user, true);
          PERFORM set_config('allmende.member_pool_ids',
                             coalesce((SELECT string_agg(DISTINCT pm.pool_id::text, ',') FROM pool_members pm
                                        WHERE pm.municipality_id = nullif(p_municipality, '')::uuid), ''), true);
          PERFORM set_config('role', '${APP_ROLE}', true);
        END IF;
        -- The caller gives the resources in id order, each once: no deadlock between two batches.
        FOR i IN 1 .. v_n LOOP
          SELECT * INTO v_row FROM resources WHERE id = p_resources[i] FOR UPDATE;
          CONTINUE WHEN NOT FOUND;
          v_locked[i] := row_to_json(v_row);
          v_homes[i] := v_row.home_municipality_id;
          v_pools[i] := v_row.pool_id;
          IF v_row.kind = 'staff' AND v_row.weekly_hours IS NOT NULL THEN
            -- The local (Europe/Berlin) Monday-to-Monday week of the start.
            v_monday := date_trunc('week', p_starts[i] AT TIME ZONE 'Europe/Berlin');
            v_week_from[i] := v_monday AT TIME ZONE 'Europe/Berlin';
            v_week_to[i] := (v_monday + interval '7 days') AT TIME ZONE 'Europe/Berlin';
          END IF;
        END LOOP;
        RETURN json_build_object(
          'member_pools', current_setting('allmende.member_pool_ids', true),
          'items', (
            SELECT coalesce(json_agg(json_build_object('locked', v_locked[q.i], 'placement',
                                                       CASE WHEN q.pool IS NULL THEN NULL ELSE pl.c END)
                                     ORDER BY q.i), '[]')
              FROM unnest(p_resources, p_starts, p_ends, p_lookbacks, p_sites, p_bookers, p_first_days,
                          p_last_days, v_homes, v_pools, v_week_from, v_week_to) WITH ORDINALITY
                   AS q(resource, s, e, lookback, site, booker, first_day, last_day, home, pool, week_from,
                        week_to, i)
             CROSS JOIN LATERAL (
               WITH prev AS (
                 SELECT * FROM bookings b
                  WHERE b.resource_id = q.resource AND b.status = 'active' AND b.start_at < q.s
                  ORDER BY b.start_at DESC LIMIT 1),
               nxt AS (
                 SELECT * FROM bookings b
                  WHERE b.resource_id = q.resource AND b.status = 'active' AND b.start_at >= q.s
                  ORDER BY b.start_at LIMIT 1),
               near AS (
                 (SELECT * FROM bookings b
                   WHERE b.resource_id = q.resource AND b.status = 'active' AND b.start_at < q.lookback
                   ORDER BY b.start_at DESC LIMIT 1)
                 UNION ALL
                 (SELECT * FROM bookings b
                   WHERE b.resource_id = q.resource AND b.status = 'active' AND b.start_at >= q.lookback
                     AND b.start_at < q.e)
                 UNION ALL
                 (SELECT * FROM bookings b
                   WHERE b.resource_id = q.resource AND b.status = 'active' AND b.start_at >= q.e
                   ORDER BY b.start_at LIMIT 1)),
               places AS (
                 SELECT * FROM municipalities m
                  WHERE m.id = ANY (ARRAY[q.home, q.site, q.booker]
                                    || ARRAY(SELECT site_municipality_id FROM prev
                                             UNION ALL SELECT site_municipality_id FROM nxt)))
               SELECT json_build_object(
                 'previous', (SELECT row_to_json(prev) FROM prev),
                 'next', (SELECT row_to_json(nxt) FROM nxt),
                 'near', (SELECT coalesce(json_agg(near ORDER BY near.start_at), '[]') FROM near
                           WHERE near.blocked_end > q.lookback AND near.blocked_start < q.e),
                 'places', (SELECT coalesce(json_agg(places), '[]') FROM places),
                 'overrides', (SELECT coalesce(json_agg(t), '[]') FROM pool_travel_times t
                                WHERE t.pool_id = q.pool AND t.from_municipality_id IN (SELECT id FROM places)
                                  AND t.to_municipality_id IN (SELECT id FROM places)),
                 'member', EXISTS (SELECT 1 FROM pool_members pm
                                    WHERE pm.pool_id = q.pool AND pm.municipality_id = q.booker
                                      AND pm.joined_on <= q.first_day
                                      AND (pm.left_on IS NULL OR pm.left_on > q.last_day)),
                 'blackouts', (SELECT coalesce(json_agg(bl ORDER BY bl.start_at), '[]') FROM blackouts bl
                                WHERE bl.resource_id = q.resource AND bl.end_at > q.lookback
                                  AND bl.start_at < q.e),
                 'week_minutes', CASE WHEN q.week_from IS NULL THEN 0 ELSE (
                   SELECT coalesce(sum(extract(epoch FROM (least(w.end_at, q.week_to)
                                                           - greatest(w.start_at, q.week_from))) / 60), 0)
                     FROM bookings w
                    WHERE w.resource_id = q.resource AND w.status = 'active' AND w.start_at < q.week_to
                      AND w.end_at > q.week_from) END) AS c) pl));
      END $$`);
    await q.query(`
      CREATE FUNCTION allmende_insert_bookings(p_bookings jsonb, p_legs jsonb, p_audits jsonb, p_events jsonb)
      RETURNS json LANGUAGE plpgsql AS $$
      DECLARE
        v_bookings json;
      BEGIN
        WITH ins AS (
          INSERT INTO bookings (id, pool_id, resource_id, municipality_id, site_municipality_id, start_at,
                                end_at, blocked_start, blocked_end, status, priority, operator_for_booking_id,
                                series_id, flexible_start, flexible_end, notes, contact, sequence, created_by)
          SELECT x.id, x.pool_id, x.resource_id, x.municipality_id, x.site_municipality_id, x.start_at,
                 x.end_at, x.blocked_start, x.blocked_end, 'active', x.priority, x.operator_for_booking_id,
                 x.series_id, x.flexible_start, x.flexible_end, x.notes, x.contact, 0, x.created_by
            FROM jsonb_to_recordset(p_bookings) AS x(id uuid, pool_id uuid, resource_id uuid,
                   municipality_id uuid, site_municipality_id uuid, start_at timestamptz, end_at timestamptz,
                   blocked_start timestamptz, blocked_end timestamptz, priority text,
                   operator_for_booking_id uuid, series_id uuid, flexible_start timestamptz,
                   flexible_end timestamptz, notes text, contact text, created_by uuid)
          RETURNING *),
        au AS (
          INSERT INTO audit_log (actor_user_id, actor_token_name, action, entity_type, entity_id,
                                 municipality_id, before, after)
          SELECT a.actor_user_id, a.actor_token_name, a.action, a.entity_type, a.entity_id,
                 a.municipality_id, a.before, a.after
            FROM jsonb_to_recordset(p_audits) AS a(actor_user_id uuid, actor_token_name text, action text,
                   entity_type text, entity_id text, municipality_id uuid, before jsonb, after jsonb))
        SELECT coalesce(json_agg(row_to_json(ins)), '[]') INTO v_bookings FROM ins;
        IF jsonb_array_length(p_legs) > 0 THEN
          UPDATE bookings b SET blocked_start = l.blocked_start, updated_at = now()
            FROM jsonb_to_recordset(p_legs) AS l(booking_id uuid, blocked_start timestamptz)
           WHERE b.id = l.booking_id;
        END IF;
        INSERT INTO booking_events (booking_id, waitlist_entry_id, municipality_id, kind, payload)
        SELECT e.booking_id, e.waitlist_entry_id, e.municipality_id, e.kind, e.payload
          FROM jsonb_to_recordset(p_events) AS e(booking_id uuid, waitlist_entry_id uuid,
                 municipality_id uuid, kind text, payload jsonb);
        RETURN v_bookings;
      END $$`);
    await q.query(`ALTER FUNCTION ${SIGNATURE_LOCK_MANY} SET plan_cache_mode = force_generic_plan`);
    await q.query(`ALTER FUNCTION ${SIGNATURE_INSERT_MANY} SET plan_cache_mode = force_generic_plan`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ${SIGNATURE_INSERT_MANY}`);
    await q.query(`DROP FUNCTION ${SIGNATURE_LOCK_MANY}`);
  }
}
