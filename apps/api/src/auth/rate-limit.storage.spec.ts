import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { TEST_REDIS_URL } from '@allmende/testing';
import { RedisRateLimitStorage } from './rate-limit.storage';

const url = new URL(TEST_REDIS_URL);
const options = { host: url.hostname, port: Number(url.port || 6379) };

describe('RedisRateLimitStorage (real Redis)', () => {
  const prefix = `allmende-test-${randomBytes(6).toString('hex')}:rate-limit:`;
  const redis = new IORedis(options);
  const storages: RedisRateLimitStorage[] = [];
  /** A storage whose connection is up (until then, hits are counted in the process, as in an outage). */
  const storage = async () => {
    const s = new RedisRateLimitStorage(options, prefix);
    storages.push(s);
    const probe = `probe-${storages.length}`;
    for (let i = 0; i < 100; i++) {
      await s.increment(probe, 60_000, 1000);
      if ((await redis.exists(`${prefix}${probe}`)) === 1) return s;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the storage never reached Redis');
  };

  afterAll(async () => {
    for (const s of storages) s.onApplicationShutdown();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('gives each hit of one turn its own place in the count, in arrival order, and refuses past the limit', async () => {
    const s = await storage();
    const records = await Promise.all(Array.from({ length: 50 }, () => s.increment('burst', 60_000, 40)));
    expect(records.map((r) => r.totalHits)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(records.filter((r) => r.isBlocked)).toHaveLength(10);
    expect(records.slice(0, 40).every((r) => !r.isBlocked)).toBe(true);
    expect(records[49]).toMatchObject({ isBlocked: true, timeToExpire: 60, timeToBlockExpire: 60 });
    expect(await redis.get(`${prefix}burst`)).toBe('50');
    const ttl = await redis.pttl(`${prefix}burst`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('counts several credentials in one call without mixing them', async () => {
    const s = await storage();
    const hits = await Promise.all([
      s.increment('a', 60_000, 2),
      s.increment('b', 30_000, 2),
      s.increment('a', 60_000, 2),
      s.increment('a', 60_000, 2),
      s.increment('b', 30_000, 2),
    ]);
    expect(hits.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [1, false],
      [2, false],
      [3, true],
      [2, false],
    ]);
    expect(hits[1].timeToExpire).toBe(30);
    expect(await redis.get(`${prefix}a`)).toBe('3');
    expect(await redis.get(`${prefix}b`)).toBe('2');
  });

  it('shares one count between processes (two storages, hits interleaved over several turns)', async () => {
    const [one, two] = [await storage(), await storage()];
    const totals: number[] = [];
    for (let turn = 0; turn < 5; turn++) {
      const records = await Promise.all([
        one.increment('shared', 60_000, 100),
        two.increment('shared', 60_000, 100),
        one.increment('shared', 60_000, 100),
      ]);
      totals.push(...records.map((r) => r.totalHits));
    }
    expect([...totals].sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(await redis.get(`${prefix}shared`)).toBe('15');
  });

  it('starts a new window once the old one has expired', async () => {
    const s = await storage();
    await Promise.all([s.increment('short', 200, 1), s.increment('short', 200, 1)]);
    await new Promise((r) => setTimeout(r, 300));
    const next = await s.increment('short', 200, 1);
    expect(next).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts in this process, never refusing for it, while Redis cannot be reached', async () => {
    // A port nothing listens on: every call fails at once (no offline queue, no retries).
    const s = new RedisRateLimitStorage({ host: '127.0.0.1', port: 1 }, prefix);
    storages.push(s);
    const records = await Promise.all(Array.from({ length: 4 }, () => s.increment('down', 60_000, 3)));
    expect(records.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
  });
});
