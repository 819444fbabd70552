import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * booking_usages carries its booking's pool (filled by a trigger on insert; a booking never changes
 * pool), and its row-level security reads that column like bookings do, instead of an EXISTS on
 * bookings per usage row. The statements' usage query reads a pool's month of usage in one hash
 * join: the EXISTS made every usage row cost a lookup for finance users (and made the planner
 * think the usage scan a hundred times dearer than it is, so it chose a million index lookups).
 */
export class UsagePool1798400000000 implements MigrationInterface {
  name = 'UsagePool1798400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE booking_usages ADD COLUMN pool_id uuid REFERENCES pools(id)`);
    await q.query(
      `UPDATE booking_usages u SET pool_id = b.pool_id FROM bookings b WHERE b.id = u.booking_id`,
    );
    await q.query(`ALTER TABLE booking_usages ALTER COLUMN pool_id SET NOT NULL`);
    await q.query(`
      CREATE FUNCTION allmende_usage_pool() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT pool_id INTO NEW.pool_id FROM bookings WHERE id = NEW.booking_id;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER booking_usages_pool BEFORE INSERT OR UPDATE OF booking_id ON booking_usages
        FOR EACH ROW EXECUTE FUNCTION allmende_usage_pool()`);
    await q.query(`DROP POLICY booking_usages_tenant ON booking_usages`);
    await q.query(`
      CREATE POLICY booking_usages_tenant ON booking_usages
        USING ((SELECT allmende_is_admin()) OR pool_id = ANY ((SELECT allmende_visible_pools())::uuid[]))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY booking_usages_tenant ON booking_usages`);
    await q.query(`
      CREATE POLICY booking_usages_tenant ON booking_usages
        USING ((SELECT allmende_is_admin()) OR EXISTS (SELECT 1 FROM bookings b WHERE b.id = booking_id))`);
    await q.query(`DROP TRIGGER booking_usages_pool ON booking_usages`);
    await q.query(`DROP FUNCTION allmende_usage_pool()`);
    await q.query(`ALTER TABLE booking_usages DROP COLUMN pool_id`);
  }
}
