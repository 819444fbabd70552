import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox relay is woken after the commit, not by a trigger inside it. The trigger's NOTIFY
 * made every transaction that wrote an outbox row (every booking change) take PostgreSQL's
 * database-wide notification lock at commit and hold it until the commit was flushed: committing
 * booking changes queued behind one another's WAL flush. With 8 pgbench clients a create's SQL ran
 * 690–835 transactions a second with the trigger and 1,516–1,617 without. UnitOfWork now sends
 * the wake-up (OutboxSignal.wake) after a unit of work that wrote an outbox row has committed, in
 * a statement of its own that writes nothing, so it neither holds the lock across a flush nor
 * wakes the relay for rows that were rolled back.
 */
export class OutboxWakeAfterCommit1799000000000 implements MigrationInterface {
  name = 'OutboxWakeAfterCommit1799000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER booking_events_notify ON booking_events`);
    await q.query(`DROP FUNCTION allmende_outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION allmende_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('allmende_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER booking_events_notify AFTER INSERT ON booking_events
        FOR EACH STATEMENT EXECUTE FUNCTION allmende_outbox_notify()`);
  }
}
