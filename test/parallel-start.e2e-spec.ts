import { Client } from 'pg';
import { MIGRATIONS } from '@allmende/database';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '@allmende/testing';
import { assertBuilt, freePort, runCli, RunningCli, waitForHttp } from './support/processes';

/** Two `npm start` at once against one empty database: it is migrated once, and both serve. */
describe('two main jobs starting at once on an empty database', () => {
  jest.setTimeout(180_000);
  let db: TestDatabase;
  const running: RunningCli[] = [];

  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase({ migrated: false });
  });

  afterAll(async () => {
    for (const r of running) {
      if (r.child.exitCode === null) r.child.kill('SIGTERM');
      await r.exited;
    }
    await db.drop();
  });

  it('migrates once, cleanly, and both become healthy', async () => {
    const ports = [await freePort(), await freePort()];
    for (const port of ports) {
      running.push(
        runCli(['start'], {
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          PORT: String(port),
          ALLMENDE_DEMO_DATA: 'false',
          LOG_LEVEL: 'error',
        }),
      );
    }
    await Promise.all(ports.map((p, i) => waitForHttp(`http://127.0.0.1:${p}/health`, 120_000, running[i])));
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id');
      expect(rows.rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    } finally {
      await client.end();
    }
    const applied = running.map((r) => /applied migrations/.test(r.output()));
    expect(applied.filter(Boolean)).toHaveLength(1);
    for (const r of running) expect(r.output()).not.toMatch(/could not start|error/i);
  });
});
