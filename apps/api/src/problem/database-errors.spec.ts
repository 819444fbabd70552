import { Client } from 'pg';
import { ErrorCode } from '@allmende/core';
import { TEST_SERVER_URL } from '@allmende/testing';
import { STATUS_BY_CODE } from './problem-details';
import { isDatabaseUnreachable, mapDatabaseError } from './database-errors';

/**
 * Real PostgreSQL errors (temporary tables of one session, nothing shared is touched), each
 * mapped by its SQLSTATE alone: the client's faults are 4xx, never a 500.
 */
describe('database errors by SQLSTATE', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: TEST_SERVER_URL, application_name: 'allmende-tests' });
    await client.connect();
    await client.query(`CREATE TEMP TABLE parents (id int PRIMARY KEY)`);
    await client.query(`CREATE TEMP TABLE children (parent_id int REFERENCES parents (id))`);
    await client.query(`CREATE TEMP TABLE labels (label text)`);
    await client.query(`CREATE INDEX ON labels (label)`);
    await client.query(`INSERT INTO parents VALUES (1)`);
  });

  afterAll(async () => {
    await client.end();
  });

  async function failure(sql: string, params: unknown[] = []): Promise<unknown> {
    try {
      await client.query(sql, params);
    } catch (e) {
      return e;
    }
    throw new Error(`${sql} did not fail`);
  }

  const statusOf = (e: unknown) => {
    const mapped = mapDatabaseError(e);
    return mapped ? STATUS_BY_CODE[mapped.code] : 500;
  };

  it.each([
    ['23503 foreign key', 'INSERT INTO children VALUES (2)', [], 422],
    ['23505 unique', 'INSERT INTO parents VALUES (1)', [], 409],
    ['23502 not null', 'INSERT INTO parents VALUES (NULL)', [], 422],
    ['22P02 invalid text', `SELECT 'not-a-uuid'::uuid`, [], 422],
    ['22003 out of range', 'SELECT $1::int', ['2147483648'], 422],
    ['22007 datetime format', `SELECT 'garbage'::timestamptz`, [], 422],
    ['22008 datetime overflow', `SELECT '294277-01-01T00:00:00Z'::timestamptz`, [], 422],
    ['22021 NUL byte', 'SELECT $1::text', ['a\u0000b'], 422],
    [
      '54000 program limit (index row too large)',
      `INSERT INTO labels SELECT string_agg(md5(i::text || random()::text), '') FROM generate_series(1, 400) i`,
      [],
      422,
    ],
  ])('%s', async (_name, sql, params, status) => {
    const e = await failure(sql, params);
    expect(statusOf(e)).toBe(status);
  });

  it('names the field of a broken reference, in the API’s camelCase', async () => {
    const mapped = mapDatabaseError(await failure('INSERT INTO children VALUES (3)'));
    expect(mapped).toMatchObject({ code: ErrorCode.ValidationFailed, errors: [{ field: 'parentId' }] });
  });

  it('leaves our own faults (an undefined table) a 500, and reads the SQLSTATE through a wrapper', async () => {
    const undefinedTable = await failure('SELECT * FROM no_such_table');
    expect(statusOf(undefinedTable)).toBe(500);
    const wrapped = { name: 'QueryFailedError', driverError: await failure(`SELECT 'x'::uuid`) };
    expect(statusOf(wrapped)).toBe(422);
  });
});

describe('a database that cannot be reached', () => {
  it('is retriable: refused, broken and timed-out connections, real ones', async () => {
    // A port nothing listens on: the real ECONNREFUSED of pg.
    const refused = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 });
    const error = await refused.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnreachable(error)).toBe(true);
    expect(isDatabaseUnreachable({ name: 'QueryFailedError', driverError: error })).toBe(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnreachable({ name: 'QueryRunnerAlreadyReleasedError', message: 'released' })).toBe(
      true,
    );
    expect(isDatabaseUnreachable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });
});
