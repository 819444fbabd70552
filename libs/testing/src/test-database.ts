import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MIGRATIONS, migrateDatabase } from '@allmende/database';

/** The server the tests run against; CI and developers have PostgreSQL on 127.0.0.1:5432. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL, application_name: 'allmende-tests' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The template's name changes whenever a migration does (name or code), so it is never stale. */
export function templateName(): string {
  const digest = createHash('sha256')
    .update(MIGRATIONS.map((m) => `${m.name}:${m.prototype.up.toString()}`).join('\n'))
    .digest('hex')
    .slice(0, 12);
  return `allmende_tpl_${digest}`;
}

/** The migrated template (built once by whoever asks first), for databases kept across runs. */
export async function ensureTemplate(): Promise<string> {
  const name = templateName();
  await admin(async (c) => {
    // One jest worker builds the template; the others wait on the lock, then find it.
    await c.query('SELECT pg_advisory_lock(4242001)');
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_build`;
        await c.query(`DROP DATABASE IF EXISTS ${building}`);
        await c.query(`CREATE DATABASE ${building}`);
        await migrateDatabase(withDatabase(TEST_SERVER_URL, building));
        await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
        await c.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true`);
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(4242001)');
    }
  });
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file (copied from a migrated template). */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `allmende_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : await ensureTemplate();
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    name,
    url: withDatabase(TEST_SERVER_URL, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A database of the test server by name (which must be a plain identifier), to keep or drop by hand. */
export function namedDatabase(name: string): TestDatabase {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return {
    name,
    url: withDatabase(TEST_SERVER_URL, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs `fn` with a connection to the test server's maintenance database. */
export function withTestServer<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  return admin(fn);
}
