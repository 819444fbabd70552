import { MigrationInterface, QueryRunner } from 'typeorm';

const SIGNATURE = 'allmende_insert_bookings(jsonb, jsonb, jsonb, jsonb)';

/** The follower legs' UPDATE as 1799100000000-booking-batches wrote it. */
const LEGS_JOINED = `
          UPDATE bookings b SET blocked_start = l.blocked_start, updated_at = now()
            FROM jsonb_to_recordset(p_legs) AS l(booking_id uuid, blocked_start timestamptz)
           WHERE b.id = l.booking_id;`;

/** The same UPDATE, its rows found by primary key whatever the table's size. */
const LEGS_BY_KEY = `
          UPDATE bookings b SET blocked_start = l.blocked_start, updated_at = now()
            FROM jsonb_to_recordset(p_legs) AS l(booking_id uuid, blocked_start timestamptz)
           WHERE b.id = l.booking_id
             AND b.id = ANY (ARRAY(SELECT (x ->> 'booking_id')::uuid FROM jsonb_array_elements(p_legs) AS x));`;

/**
 * The transport legs a batch of creates moves are found by primary key at every table size.
 *
 * allmende_insert_bookings runs a generic plan (plan_cache_mode = force_generic_plan), in which
 * PostgreSQL takes `jsonb_to_recordset` for 100 rows. In a table of tens of thousands of bookings or fewer, a hash join over
 * a sequential scan of all bookings then looked cheaper than 100 lookups by key, so every batch
 * that moved a leg read the whole table: at 10,000 bookings the booking bench counted 287
 * sequential scans of bookings (3.6 million rows read) for ~800 moved legs. The booking ids as an
 * array (`= ANY`, planned for 10 elements) make it an index scan at every size; the join stays to
 * take each leg's new start.
 */
export class BatchLegsByKey1799200000000 implements MigrationInterface {
  name = 'BatchLegsByKey1799200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(insertBookings(LEGS_BY_KEY));
    await q.query(`ALTER FUNCTION ${SIGNATURE} SET plan_cache_mode = force_generic_plan`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(insertBookings(LEGS_JOINED));
    await q.query(`ALTER FUNCTION ${SIGNATURE} SET plan_cache_mode = force_generic_plan`);
  }
}

/** allmende_insert_bookings with the given UPDATE of the follower legs. */
function insertBookings(legs: string): string {
  return `
      CREATE OR REPLACE FUNCTION allmende_insert_bookings(p_bookings jsonb, p_legs jsonb, p_audits jsonb, p_events jsonb)
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
        IF jsonb_array_length(p_legs) > 0 THEN${legs}
        END IF;
        INSERT INTO booking_events (booking_id, waitlist_entry_id, municipality_id, kind, payload)
        SELECT e.booking_id, e.waitlist_entry_id, e.municipality_id, e.kind, e.payload
          FROM jsonb_to_recordset(p_events) AS e(booking_id uuid, waitlist_entry_id uuid,
                 municipality_id uuid, kind text, payload jsonb);
        RETURN v_bookings;
      END $$`;
}
