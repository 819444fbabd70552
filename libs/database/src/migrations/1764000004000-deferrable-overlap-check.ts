import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The no-overlap constraint becomes DEFERRABLE (still checked immediately unless a transaction
 * defers it). A booking write changes the booking and the transport leg of the booking after it;
 * checked at commit, the constraint judges the final calendar, whatever order the rows changed in.
 */
export class DeferrableOverlapCheck1764000004000 implements MigrationInterface {
  name = 'DeferrableOverlapCheck1764000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`);
    await q.query(`
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        resource_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&
      ) WHERE (status = 'active') DEFERRABLE INITIALLY IMMEDIATE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`);
    await q.query(`
      ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        resource_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&
      ) WHERE (status = 'active')`);
  }
}
