import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Machines are looked after, not only booked: an inspection interval from which the next due date
 * follows, the inspections done (date, result, next due), and when a resource was retired. Pools
 * get operating hours: where free windows and alternatives are offered unless asked otherwise.
 */
export class ResourceCare1765500000000 implements MigrationInterface {
  name = 'ResourceCare1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resources ADD COLUMN inspection_interval_months integer
                     CHECK (inspection_interval_months BETWEEN 1 AND 120)`);
    await q.query(`ALTER TABLE resources ADD COLUMN retired_at timestamptz`);
    await q.query(`ALTER TABLE pools ADD COLUMN operating_hours jsonb`);
    await q.query(`
      CREATE TABLE resource_inspections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resource_id uuid NOT NULL REFERENCES resources(id),
        inspected_on date NOT NULL,
        result text NOT NULL CHECK (result IN ('passed', 'passed-with-defects', 'failed')),
        next_due date,
        notes text,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX resource_inspections_resource_idx ON resource_inspections (resource_id, inspected_on)`,
    );
    await q.query(`ALTER TABLE resource_inspections ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE resource_inspections FORCE ROW LEVEL SECURITY`);
    // As blackouts: resources' own policy applies inside the sub-query.
    await q.query(`
      CREATE POLICY resource_inspections_tenant ON resource_inspections FOR ALL
        USING ((SELECT allmende_is_admin()) OR EXISTS (SELECT 1 FROM resources r WHERE r.id = resource_id))
        WITH CHECK ((SELECT allmende_is_admin()) OR EXISTS (
          SELECT 1 FROM resources r WHERE r.id = resource_id
             AND r.pool_id = ANY ((SELECT allmende_coordinated_pools())::uuid[])))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resource_inspections`);
    await q.query(`ALTER TABLE pools DROP COLUMN operating_hours`);
    await q.query(`ALTER TABLE resources DROP COLUMN retired_at`);
    await q.query(`ALTER TABLE resources DROP COLUMN inspection_interval_months`);
  }
}
