import { MigrationInterface, QueryRunner } from 'typeorm';

/** Spelled out here rather than imported: a migration must not change when the code does. */
const APP_ROLE = 'allmende_app';

/**
 * The booking engine's hot path as three SQL functions, so that a create is four round trips
 * (begin; tenant, lock and calendar; booking, leg, audit and event; commit) instead of seven:
 *
 * - allmende_placement: the calendar around a booking with the facts of the availability rules
 *   (the neighbours, the bookings it could collide with, the places and their travel-time
 *   overrides, the membership, the blackouts, the minutes booked in the week); the statement
 *   PlacementContextQuery ran before, unchanged.
 * - allmende_lock_and_place: optionally the acting tenant (the same settings as UnitOfWork's
 *   tenant statement, then SET LOCAL ROLE to the app role, so everything after it runs under
 *   row-level security), then the resources' row locks in id order, then allmende_placement for
 *   the booked resource, read after the locks (each statement of a volatile function takes a new
 *   snapshot, so the calendar read sees what the previous holder of the lock committed), and the
 *   tenant's member pools (BookingAccess decides with them, without reading them again).
 * - allmende_insert_booking: the booking, the next booking's transport leg, the audit entry, and
 *   the outbox event in a statement of its own (its row-level check looks the booking up, and a
 *   statement does not see the rows it inserts itself).
 *
 * All three run as their caller (no SECURITY DEFINER): row-level security applies to every read
 * and write in them as it did to the statements they replace; the exclusion constraint stays the
 * final guard at commit.
 */
export class BookingFunctions1798700000000 implements MigrationInterface {
  name = 'BookingFunctions1798700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION allmende_placement(
        p_resource uuid, p_pool uuid, p_start timestamptz, p_end timestamptz, p_except uuid[],
        p_lookback timestamptz, p_places uuid[], p_booker uuid, p_first_day date, p_last_day date,
        p_week_from timestamptz, p_week_to timestamptz) RETURNS json
      LANGUAGE plpgsql AS $$
      BEGIN
        -- Only one active booking can start before the lookback and still reach into it, and only
        -- one can start after the end and reach back before it (blocked intervals are disjoint), so
        -- "near" is a bounded index range plus those two, whatever the calendar's length. Plain
        -- timestamp comparisons (leakproof, unlike &&) keep the indexes usable under row-level security.
        RETURN (
          WITH prev AS (
            SELECT * FROM bookings b
             WHERE b.resource_id = p_resource AND b.status = 'active' AND b.start_at < p_start
               AND NOT (b.id = ANY (p_except))
             ORDER BY b.start_at DESC LIMIT 1),
          nxt AS (
            SELECT * FROM bookings b
             WHERE b.resource_id = p_resource AND b.status = 'active' AND b.start_at >= p_start
               AND NOT (b.id = ANY (p_except))
             ORDER BY b.start_at LIMIT 1),
          near AS (
            (SELECT * FROM bookings b
              WHERE b.resource_id = p_resource AND b.status = 'active' AND b.start_at < p_lookback
                AND NOT (b.id = ANY (p_except))
              ORDER BY b.start_at DESC LIMIT 1)
            UNION ALL
            (SELECT * FROM bookings b
              WHERE b.resource_id = p_resource AND b.status = 'active' AND b.start_at >= p_lookback
                AND b.start_at < p_end AND NOT (b.id = ANY (p_except)))
            UNION ALL
            (SELECT * FROM bookings b
              WHERE b.resource_id = p_resource AND b.status = 'active' AND b.start_at >= p_end
                AND NOT (b.id = ANY (p_except))
              ORDER BY b.start_at LIMIT 1)),
          places AS (
            SELECT * FROM municipalities m
             WHERE m.id = ANY (p_places)
                OR m.id IN (SELECT site_municipality_id FROM prev UNION ALL SELECT site_municipality_id FROM nxt))
          SELECT json_build_object(
            'previous', (SELECT row_to_json(prev) FROM prev),
            'next', (SELECT row_to_json(nxt) FROM nxt),
            'near', (SELECT coalesce(json_agg(near ORDER BY near.start_at), '[]') FROM near
                      WHERE near.blocked_end > p_lookback AND near.blocked_start < p_end),
            'places', (SELECT coalesce(json_agg(places), '[]') FROM places),
            'overrides', (SELECT coalesce(json_agg(t), '[]') FROM pool_travel_times t
                           WHERE t.pool_id = p_pool AND t.from_municipality_id IN (SELECT id FROM places)
                             AND t.to_municipality_id IN (SELECT id FROM places)),
            'member', EXISTS (SELECT 1 FROM pool_members pm
                               WHERE pm.pool_id = p_pool AND pm.municipality_id = p_booker
                                 AND pm.joined_on <= p_first_day AND (pm.left_on IS NULL OR pm.left_on > p_last_day)),
            'blackouts', (SELECT coalesce(json_agg(bl ORDER BY bl.start_at), '[]') FROM blackouts bl
                           WHERE bl.resource_id = p_resource AND bl.end_at > p_lookback AND bl.start_at < p_end),
            'week_minutes', CASE WHEN p_week_from IS NULL THEN 0 ELSE (
              SELECT coalesce(sum(extract(epoch FROM (least(w.end_at, p_week_to) - greatest(w.start_at, p_week_from))) / 60), 0)
                FROM bookings w
               WHERE w.resource_id = p_resource AND w.status = 'active' AND w.start_at < p_week_to
                 AND w.end_at > p_week_from AND NOT (w.id = ANY (p_except))) END));
      END $$`);

    await q.query(`
      CREATE FUNCTION allmende_lock_and_place(
        p_role text, p_municipality text, p_pools text, p_user text,
        p_lock uuid[], p_resource uuid, p_start timestamptz, p_end timestamptz, p_except uuid[],
        p_lookback timestamptz, p_site uuid, p_booker uuid, p_first_day date, p_last_day date) RETURNS json
      LANGUAGE plpgsql AS $$
      DECLARE
        v_locked json;
        v_home uuid;
        v_pool uuid;
        v_kind text;
        v_weekly numeric;
        v_monday timestamp;
        v_week_from timestamptz;
        v_week_to timestamptz;
      BEGIN
        IF p_role IS NOT NULL THEN
          -- UnitOfWork's tenant statement: the member pools are read after the tenant settings
          -- they are filtered by, and the role is switched last.
          PERFORM set_config('allmende.role', p_role, true), set_config('allmende.municipality_id', p_municipality, true),
                  set_config('allmende.pool_ids', p_pools, true), set_config('allmende.user_id', p_user, true);
          PERFORM set_config('allmende.member_pool_ids',
                             coalesce((SELECT string_agg(DISTINCT pm.pool_id::text, ',') FROM pool_members pm
                                        WHERE pm.municipality_id = nullif(p_municipality, '')::uuid), ''), true);
          PERFORM set_config('role', '${APP_ROLE}', true);
        END IF;
        -- Rows are locked in the order they are returned, by id: no deadlock between two locking sets.
        SELECT coalesce(json_agg(row_to_json(r) ORDER BY r.id), '[]') INTO v_locked
          FROM (SELECT * FROM resources WHERE id = ANY (p_lock) ORDER BY id FOR UPDATE) r;
        SELECT r.home_municipality_id, r.pool_id, r.kind, r.weekly_hours INTO v_home, v_pool, v_kind, v_weekly
          FROM resources r WHERE r.id = p_resource;
        IF NOT FOUND THEN
          RETURN json_build_object('locked', v_locked, 'placement', NULL,
                                   'member_pools', current_setting('allmende.member_pool_ids', true));
        END IF;
        IF v_kind = 'staff' AND v_weekly IS NOT NULL THEN
          -- The local (Europe/Berlin) Monday-to-Monday week of the start.
          v_monday := date_trunc('week', p_start AT TIME ZONE 'Europe/Berlin');
          v_week_from := v_monday AT TIME ZONE 'Europe/Berlin';
          v_week_to := (v_monday + interval '7 days') AT TIME ZONE 'Europe/Berlin';
        END IF;
        RETURN json_build_object('locked', v_locked, 'placement', allmende_placement(
          p_resource, v_pool, p_start, p_end, p_except, p_lookback, ARRAY[v_home, p_site, p_booker],
          p_booker, p_first_day, p_last_day, v_week_from, v_week_to),
          'member_pools', current_setting('allmende.member_pool_ids', true));
      END $$`);

    await q.query(`
      CREATE FUNCTION allmende_insert_booking(
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
          RETURNING *),
        leg AS (
          UPDATE bookings SET blocked_start = p_leg_start, updated_at = now()
           WHERE p_leg_booking IS NOT NULL AND id = p_leg_booking),
        au AS (
          INSERT INTO audit_log (actor_user_id, actor_token_name, action, entity_type, entity_id,
                                 municipality_id, before, after)
          VALUES (p_audit_user, p_audit_token, p_audit_action, p_audit_entity_type, p_audit_entity,
                  p_audit_municipality, p_audit_before, p_audit_after))
        SELECT row_to_json(ins) INTO v_booking FROM ins;
        INSERT INTO booking_events (booking_id, waitlist_entry_id, municipality_id, kind, payload)
        VALUES (p_event_booking, p_event_waitlist, p_event_municipality, p_event_kind, p_event_payload);
        RETURN v_booking;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION allmende_insert_booking(uuid, uuid, uuid, uuid, uuid, timestamptz, timestamptz,
      timestamptz, timestamptz, text, uuid, uuid, timestamptz, timestamptz, text, text, uuid, uuid, timestamptz,
      uuid, text, text, text, text, uuid, jsonb, jsonb, uuid, uuid, uuid, text, jsonb)`);
    await q.query(`DROP FUNCTION allmende_lock_and_place(text, text, text, text, uuid[], uuid, timestamptz,
      timestamptz, uuid[], timestamptz, uuid, uuid, date, date)`);
    await q.query(`DROP FUNCTION allmende_placement(uuid, uuid, timestamptz, timestamptz, uuid[], timestamptz,
      uuid[], uuid, date, date, timestamptz, timestamptz)`);
  }
}
