import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The booking functions, leaner per call:
 *
 * - allmende_placement reads the places of a booking by key. It selected them with
 *   `m.id = ANY (p_places) OR m.id IN (neighbours' sites)`, which PostgreSQL can only answer with a
 *   sequential scan of municipalities: nothing with the few municipalities of a region, but 2.5 ms
 *   of every create's PostgreSQL time with all 10,800 of Germany (the scale bench's data set). One
 *   array of keys makes it a primary-key lookup. The function is otherwise unchanged.
 * - The three functions plan their statements once per connection (plan_cache_mode
 *   force_generic_plan, for their own statements only): by default PostgreSQL plans each statement
 *   of a PL/pgSQL function anew at each of its first five calls and then again to compare, and
 *   keeps planning anew where the generic plan's estimate looks dearer. Their statements look up
 *   one resource's calendar by key and range, where the generic plan is the plan; the calls got
 *   from ~4 to ~2.5 ms at 10M bookings.
 */
const PLACES_BY_KEY = `m.id = ANY (p_places || ARRAY(SELECT site_municipality_id FROM prev UNION ALL SELECT site_municipality_id FROM nxt))`;
const PLACES_BY_SCAN = `m.id = ANY (p_places)
                OR m.id IN (SELECT site_municipality_id FROM prev UNION ALL SELECT site_municipality_id FROM nxt)`;

const placement = (placesWhere: string) => `
      CREATE OR REPLACE FUNCTION allmende_placement(
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
             WHERE ${placesWhere})
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
      END $$`;

const FUNCTIONS = [
  'allmende_placement(uuid, uuid, timestamptz, timestamptz, uuid[], timestamptz, uuid[], uuid, date, date, timestamptz, timestamptz)',
  'allmende_lock_and_place(text, text, text, text, uuid[], uuid, timestamptz, timestamptz, uuid[], timestamptz, uuid, uuid, date, date)',
  `allmende_insert_booking(uuid, uuid, uuid, uuid, uuid, timestamptz, timestamptz, timestamptz, timestamptz, text, uuid,
     uuid, timestamptz, timestamptz, text, text, uuid, uuid, timestamptz, uuid, text, text, text, text, uuid, jsonb, jsonb,
     uuid, uuid, uuid, text, jsonb)`,
];

export class LeanBookingFunctions1798900000000 implements MigrationInterface {
  name = 'LeanBookingFunctions1798900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(placement(PLACES_BY_KEY));
    for (const f of FUNCTIONS) await q.query(`ALTER FUNCTION ${f} SET plan_cache_mode = force_generic_plan`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const f of FUNCTIONS) await q.query(`ALTER FUNCTION ${f} RESET plan_cache_mode`);
    await q.query(placement(PLACES_BY_SCAN));
  }
}
