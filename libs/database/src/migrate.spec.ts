import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { createDataSource } from './data-source';
import { MIGRATIONS } from './migrations';
import { runMigrations } from './migrate';

describe('runMigrations', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase({ migrated: false });
  });

  afterEach(async () => {
    await db.drop();
  });

  it('migrates an empty database exactly once when two processes start at once', async () => {
    const sources = await Promise.all(
      [1, 2].map((i) =>
        createDataSource({ url: db.url, poolSize: 2, applicationName: `m${i}` }).initialize(),
      ),
    );
    try {
      const applied = await Promise.all(sources.map((s) => runMigrations(s)));
      expect(applied.flat()).toHaveLength(MIGRATIONS.length);
      expect(applied.some((a) => a.length === 0)).toBe(true);

      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const rows = await client.query('SELECT name FROM schema_migrations ORDER BY id');
        expect(rows.rows.map((r: { name: string }) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name));
        const ext = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'btree_gist'");
        expect(ext.rowCount).toBe(1);
      } finally {
        await client.end();
      }
      expect(await runMigrations(sources[0])).toEqual([]);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
    }
  });
});
