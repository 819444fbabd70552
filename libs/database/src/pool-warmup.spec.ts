import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { createDataSource, DatabaseOptions } from './data-source';
import { PoolWarmup } from './pool-warmup';

describe('PoolWarmup', () => {
  let db: TestDatabase;
  let source: DataSource;
  let monitor: Client;
  const options = (url: string): DatabaseOptions => ({
    url,
    poolSize: 4,
    applicationName: 'warmup-spec',
    preparedStatements: true,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    source = await createDataSource(options(db.url)).initialize();
    monitor = new Client({ connectionString: db.url });
    await monitor.connect();
  });

  afterAll(async () => {
    await monitor.end();
    await source.destroy();
    await db.drop();
  });

  it('opens every connection of the pool, leaves them idle and writes nothing', async () => {
    await new PoolWarmup(source, options(db.url)).warmUp();
    const { rows } = await monitor.query<{ state: string; n: string }>(
      `SELECT state, count(*) AS n FROM pg_stat_activity WHERE application_name = 'warmup-spec' GROUP BY state`,
    );
    expect(rows).toEqual([{ state: 'idle', n: '4' }]);
    const counts = await monitor.query<{ bookings: string; events: string; audit: string; locks: string }>(
      `SELECT (SELECT count(*) FROM bookings) AS bookings, (SELECT count(*) FROM booking_events) AS events,
              (SELECT count(*) FROM audit_log) AS audit,
              (SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                WHERE a.application_name = 'warmup-spec') AS locks`,
    );
    expect(counts.rows[0]).toEqual({ bookings: '0', events: '0', audit: '0', locks: '0' });
  });

  it('lets the data source close while it waits for a connection another holds (a SIGTERM during start)', async () => {
    const closing = await createDataSource({ ...options(db.url), poolSize: 2 }).initialize();
    // Another user of the pool holds one of the two connections while the warm-up starts.
    const held = closing.createQueryRunner();
    await held.connect();
    const warming = new PoolWarmup(closing, { ...options(db.url), poolSize: 2 }).warmUp();
    await new Promise((r) => setTimeout(r, 300));
    const destroyed = closing.destroy();
    await held.release();
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      destroyed.then(() => 'closed'),
      new Promise((r) => (timer = setTimeout(() => r('still open after 10 s'), 10_000))),
    ]);
    clearTimeout(timer);
    expect(closed).toBe('closed');
    await expect(warming).resolves.toBeUndefined();
  });

  it('hands back every connection it opened when one of them fails (none stays checked out)', async () => {
    const failing = await createDataSource({ ...options(db.url), poolSize: 4 }).initialize();
    const create = failing.createQueryRunner.bind(failing);
    // The first connection fails at once, while the others are still being opened.
    jest.spyOn(failing, 'createQueryRunner').mockImplementationOnce(() => {
      const runner = create();
      runner.connect = () => Promise.reject(new Error('connection refused'));
      return runner;
    });
    await new PoolWarmup(failing, { ...options(db.url), poolSize: 4 }).warmUp();
    const pool = (failing.driver as unknown as { master: { totalCount: number; idleCount: number } }).master;
    await new Promise((r) => setTimeout(r, 500));
    expect(pool.totalCount - pool.idleCount).toBe(0);
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      failing.destroy().then(() => 'closed'),
      new Promise((r) => (timer = setTimeout(() => r('still open after 10 s'), 10_000))),
    ]);
    clearTimeout(timer);
    expect(closed).toBe('closed');
  });

  it('does nothing on the embedded database, whose connections share one session', async () => {
    const spy = jest.spyOn(source, 'createQueryRunner');
    await new PoolWarmup(source, { ...options(db.url), preparedStatements: false }).warmUp();
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('resolves without warming when the database cannot be reached (the readiness check reports that)', async () => {
    const unreachable = createDataSource({
      ...options('postgres://postgres@127.0.0.1:1/none'),
      poolSize: 2,
    });
    // Its pool is created on initialize, which fails as the readiness check would.
    await expect(unreachable.initialize()).rejects.toThrow(/ECONNREFUSED/);
    await expect(
      new PoolWarmup(unreachable, options('postgres://postgres@127.0.0.1:1/none')).warmUp(),
    ).resolves.toBeUndefined();
  });
});
