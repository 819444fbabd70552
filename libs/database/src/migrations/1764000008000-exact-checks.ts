import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exact checks of a proposal run (HiGHS on small subproblems: a resource type and the requests
 * close in time): per window the requests served and the most that can be served, and per
 * reassignment the same summed over the windows its requests lie in. NULL where none ran.
 */
export class ExactChecks1764000008000 implements MigrationInterface {
  name = 'ExactChecks1764000008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE solver_runs ADD COLUMN exact_checks jsonb`);
    await q.query(`ALTER TABLE proposals ADD COLUMN bound jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposals DROP COLUMN bound`);
    await q.query(`ALTER TABLE solver_runs DROP COLUMN exact_checks`);
  }
}
