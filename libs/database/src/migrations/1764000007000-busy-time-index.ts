import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Busy-time lookups (availability search, the booking checks) filter active bookings of some
 * resources by `blocked_end > from AND blocked_start < to`. Under row-level security the range
 * operator && cannot drive an index (it is not leakproof); these comparisons can, on this index.
 */
export class BusyTimeIndex1764000007000 implements MigrationInterface {
  name = 'BusyTimeIndex1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX bookings_resource_blocked_end_idx ON bookings (resource_id, blocked_end) WHERE status = 'active'`,
    );
    // Every booking write changes a booking and its neighbour's transport leg; checking the
    // no-overlap constraint at commit judges the final calendar and saves a statement per write.
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`);
    await q.query(`
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        resource_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&
      ) WHERE (status = 'active') DEFERRABLE INITIALLY DEFERRED`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`);
    await q.query(`
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        resource_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&
      ) WHERE (status = 'active') DEFERRABLE INITIALLY IMMEDIATE`);
    await q.query(`DROP INDEX bookings_resource_blocked_end_idx`);
  }
}
