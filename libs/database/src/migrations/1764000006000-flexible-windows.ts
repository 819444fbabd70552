import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flexibility for the solver: a booking or a waitlist request may name a window in which it may
 * be moved or served ("any day this week"), with the same duration.
 */
export class FlexibleWindows1764000006000 implements MigrationInterface {
  name = 'FlexibleWindows1764000006000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['bookings', 'waitlist_entries']) {
      await q.query(
        `ALTER TABLE ${table} ADD COLUMN flexible_start timestamptz, ADD COLUMN flexible_end timestamptz`,
      );
      await q.query(`
        ALTER TABLE ${table} ADD CONSTRAINT ${table}_flexible_window CHECK (
          (flexible_start IS NULL AND flexible_end IS NULL)
          OR (flexible_start <= start_at AND flexible_end >= end_at))`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['bookings', 'waitlist_entries']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_flexible_window`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN flexible_start, DROP COLUMN flexible_end`);
    }
  }
}
