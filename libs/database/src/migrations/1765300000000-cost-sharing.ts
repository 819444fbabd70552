import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cost sharing: the agreement versioned by valid_from (the pool's own cost_sharing is the first
 * version), finalized periods with their facts (immutable: numbered statements with a checksum),
 * and the corrections of finalized periods booked into later ones.
 *
 * - Finalized rows are never changed: a trigger refuses UPDATE and DELETE (also for the owner),
 *   and the app role has neither privilege. Two finalized periods of a pool never overlap
 *   (exclusion constraint), and a period is finalized once (unique), so a job that runs twice
 *   issues nothing twice.
 * - Visible to the pool's members and coordinators (the service narrows finance users to their
 *   own statement); agreements are written by coordinators.
 * - booking_events gets a policy of its own for the statement.issued events: whoever finalizes a
 *   pool's period (its coordinator, finance of the lead municipality) writes one per member.
 */
export class CostSharing1765300000000 implements MigrationInterface {
  name = 'CostSharing1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cost_sharing_agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL REFERENCES pools(id),
        valid_from date NOT NULL,
        terms jsonb NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (pool_id, valid_from)
      )`);
    await q.query(`
      CREATE TABLE statement_periods (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL REFERENCES pools(id),
        period text NOT NULL,
        period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
        period_from date NOT NULL,
        period_to date NOT NULL,
        facts jsonb NOT NULL,
        finalized_at timestamptz NOT NULL DEFAULT now(),
        finalized_by uuid,
        finalized_by_token text NOT NULL,
        CHECK (period_to > period_from),
        UNIQUE (pool_id, period),
        CONSTRAINT statement_periods_no_overlap EXCLUDE USING gist (
          pool_id WITH =, daterange(period_from, period_to, '[)') WITH &&)
      )`);
    await q.query(`
      CREATE TABLE statements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        statement_period_id uuid NOT NULL REFERENCES statement_periods(id),
        pool_id uuid NOT NULL REFERENCES pools(id),
        period text NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        year integer NOT NULL,
        sequence integer NOT NULL CHECK (sequence > 0),
        number text NOT NULL,
        total_cents bigint NOT NULL,
        credits_cents bigint NOT NULL,
        net_cents bigint NOT NULL,
        -- Without the corrections of earlier periods: what a later recomputation compares with.
        base_owed_cents bigint NOT NULL,
        base_credits_cents bigint NOT NULL,
        checksum text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (pool_id, period, municipality_id),
        UNIQUE (pool_id, year, sequence)
      )`);
    await q.query(`CREATE INDEX statements_municipality_idx ON statements (municipality_id, period)`);
    await q.query(`
      CREATE TABLE statement_corrections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        statement_period_id uuid NOT NULL REFERENCES statement_periods(id),
        pool_id uuid NOT NULL REFERENCES pools(id),
        corrected_period text NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        owed_cents bigint NOT NULL,
        credits_cents bigint NOT NULL
      )`);
    await q.query(
      `CREATE INDEX statement_corrections_pool_idx ON statement_corrections (pool_id, corrected_period)`,
    );
    await q.query(`
      CREATE FUNCTION allmende_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'finalized statements are immutable (% on %)', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);

    const admin = `(SELECT allmende_is_admin())`;
    const visible = `pool_id = ANY ((SELECT allmende_visible_pools())::uuid[])`;
    const coordinated = `pool_id = ANY ((SELECT allmende_coordinated_pools())::uuid[])`;
    for (const table of [
      'cost_sharing_agreements',
      'statement_periods',
      'statements',
      'statement_corrections',
    ]) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      const check = table === 'cost_sharing_agreements' ? coordinated : visible;
      await q.query(
        `CREATE POLICY ${table}_tenant ON ${table} FOR ALL USING (${admin} OR ${visible}) WITH CHECK (${admin} OR ${check})`,
      );
    }
    await q.query(`GRANT SELECT, INSERT ON cost_sharing_agreements TO allmende_app`);
    for (const table of ['statement_periods', 'statements', 'statement_corrections']) {
      await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM allmende_app`);
      await q.query(`GRANT SELECT, INSERT ON ${table} TO allmende_app`);
      await q.query(
        `CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION allmende_refuse_change()`,
      );
    }
    // FOR ALL: an INSERT … RETURNING must also pass the read policy.
    const issued = `kind = 'statement.issued' AND booking_id IS NULL AND EXISTS (
          SELECT 1 FROM pool_members pm WHERE pm.municipality_id = booking_events.municipality_id
            AND pm.pool_id = ANY ((SELECT allmende_visible_pools())::uuid[]))`;
    await q.query(
      `CREATE POLICY booking_events_statement_issued ON booking_events FOR ALL USING (${issued}) WITH CHECK (${issued})`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY booking_events_statement_issued ON booking_events`);
    for (const table of [
      'statement_corrections',
      'statements',
      'statement_periods',
      'cost_sharing_agreements',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION allmende_refuse_change()`);
  }
}
