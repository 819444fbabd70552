import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * notifications.job_id: the queue job that carries the row. One send job now carries several rows
 * (claimed together), so the sweeper can no longer derive a row's job id from the row; it asks the
 * queue about the job recorded here. Rows queued before this migration keep NULL and the old,
 * derived id (`send-notification.<id>.<generation>`).
 */
export class NotificationSendJobs1798800000000 implements MigrationInterface {
  name = 'NotificationSendJobs1798800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN job_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN job_id`);
  }
}
