import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One language per user: `users.language` (the web app's, the emails', the feeds' default), no
 * longer a second one in `notification_preferences`. A user who had set a notification language
 * keeps it as the user's language.
 */
export class OneUserLanguage1798400001000 implements MigrationInterface {
  name = 'OneUserLanguage1798400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE users u SET language = np.language FROM notification_preferences np
        WHERE np.user_id = u.id AND np.language <> u.language`,
    );
    await q.query(`ALTER TABLE notification_preferences DROP COLUMN language`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE notification_preferences ADD COLUMN language text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en'))`,
    );
    await q.query(
      `UPDATE notification_preferences np SET language = u.language FROM users u WHERE u.id = np.user_id`,
    );
  }
}
