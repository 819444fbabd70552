import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Solver runs (bottleneck diagnoses and proposal searches, done by the worker) and the proposals
 * they produce. Both belong to a pool: its coordinators (and admin) see and write them.
 */
export class SolverRuns1764000005000 implements MigrationInterface {
  name = 'SolverRuns1764000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE solver_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL REFERENCES pools(id),
        kind text NOT NULL CHECK (kind IN ('bottlenecks', 'proposals')),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        progress integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        findings jsonb,
        error text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CHECK (period_end > period_start)
      )`);
    await q.query(`CREATE INDEX solver_runs_pool_idx ON solver_runs (pool_id, created_at)`);
    await q.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES solver_runs(id),
        pool_id uuid NOT NULL REFERENCES pools(id),
        kind text NOT NULL CHECK (kind IN ('reassignment', 'trip-order', 'investment')),
        changes jsonb NOT NULL DEFAULT '[]',
        gain jsonb NOT NULL DEFAULT '{}',
        explanation jsonb NOT NULL,
        investment jsonb,
        municipalities_affected uuid[] NOT NULL DEFAULT '{}',
        basis jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'applied', 'stale')),
        applied_by uuid,
        applied_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX proposals_run_idx ON proposals (run_id)`);
    for (const table of ['solver_runs', 'proposals']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_tenant ON ${table} FOR ALL
          USING ((SELECT allmende_is_admin()) OR pool_id = ANY ((SELECT allmende_coordinated_pools())::uuid[]))
          WITH CHECK ((SELECT allmende_is_admin()) OR pool_id = ANY ((SELECT allmende_coordinated_pools())::uuid[]))`);
      await q.query(`GRANT SELECT, INSERT, UPDATE ON ${table} TO allmende_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE proposals`);
    await q.query(`DROP TABLE solver_runs`);
  }
}
