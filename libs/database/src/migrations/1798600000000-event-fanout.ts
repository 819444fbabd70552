import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * booking_events.fanned_out_at: when the notifications' fan-out turned the event into its ledger
 * rows. `delivered_at` only says the relay handed the event to the queue; a queue that loses the job
 * (Redis killed without persistence) lost the event's messages for good. The sweeper queues again
 * events delivered a while ago and not fanned out; the job id and the ledger's keys keep that
 * idempotent. Events delivered before this migration count as fanned out.
 */
export class EventFanout1798600000000 implements MigrationInterface {
  name = 'EventFanout1798600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE booking_events ADD COLUMN fanned_out_at timestamptz`);
    await q.query(`UPDATE booking_events SET fanned_out_at = delivered_at WHERE delivered_at IS NOT NULL`);
    await q.query(
      `CREATE INDEX booking_events_awaiting_fanout ON booking_events (delivered_at)
         WHERE fanned_out_at IS NULL AND delivered_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX booking_events_awaiting_fanout`);
    await q.query(`ALTER TABLE booking_events DROP COLUMN fanned_out_at`);
  }
}
