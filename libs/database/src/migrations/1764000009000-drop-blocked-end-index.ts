import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Busy-time reads now walk bookings_resource_start_idx over the window itself (plus the booking
 * just before and just after it; a resource's blocked intervals are disjoint). The index on
 * (resource_id, blocked_end) bounded only one side of the window, and no query uses it any more:
 * it would only cost every booking write an index update.
 */
export class DropBlockedEndIndex1764000009000 implements MigrationInterface {
  name = 'DropBlockedEndIndex1764000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX bookings_resource_blocked_end_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX bookings_resource_blocked_end_idx ON bookings (resource_id, blocked_end) WHERE status = 'active'`,
    );
  }
}
