import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Planning runs keep facts, not words: the names the facts speak of (as of the run), the figures
 * per type and week, why a run found nothing, the investment advice, and the present the run was
 * computed for (nothing is proposed before it). Proposals keep their facts; the explanation is
 * rendered per request in the caller's language, so the stored words of older runs become
 * optional.
 */
export class PlanningFacts1765700000000 implements MigrationInterface {
  name = 'PlanningFacts1765700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE solver_runs
        ADD COLUMN names jsonb,
        ADD COLUMN figures jsonb,
        ADD COLUMN nothing_found jsonb,
        ADD COLUMN investments jsonb,
        ADD COLUMN clock_now timestamptz`);
    await q.query(`ALTER TABLE proposals ALTER COLUMN explanation DROP NOT NULL`);
    await q.query(`ALTER TABLE proposals ADD COLUMN resource_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposals DROP COLUMN resource_id`);
    await q.query(`UPDATE proposals SET explanation = '{"de":"","en":""}' WHERE explanation IS NULL`);
    await q.query(`ALTER TABLE proposals ALTER COLUMN explanation SET NOT NULL`);
    await q.query(`
      ALTER TABLE solver_runs
        DROP COLUMN names, DROP COLUMN figures, DROP COLUMN nothing_found,
        DROP COLUMN investments, DROP COLUMN clock_now`);
  }
}
