import IORedis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisRateLimitStorage, SHARERS } from './rate-limit.storage';

/** Against the real Redis (REDIS_URL, else the local one), under a prefix of its own. */
describe('RedisRateLimitStorage: one limit over several processes, without a round trip per hit', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const options = { host: new URL(url).hostname, port: Number(new URL(url).port || 6379) };
  const prefix = `allmende-spec:${randomUUID()}:`;
  const redis = new IORedis(options);
  const stores: RedisRateLimitStorage[] = [];
  const store = async () => {
    const s = new RedisRateLimitStorage(options, prefix);
    stores.push(s);
    await s.connected();
    return s;
  };

  afterAll(async () => {
    for (const s of stores) await s.onApplicationShutdown();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('lets exactly the limit through when hits alternate over processes, then refuses on each', async () => {
    const a = await store();
    const b = await store();
    const results: boolean[] = [];
    for (let i = 0; i < 130; i++) {
      const r = await (i % 2 === 0 ? a : b).increment('alternate', 60_000, 100);
      results.push(r.isBlocked);
    }
    expect(results.slice(0, 100).every((blocked) => !blocked)).toBe(true);
    expect(results.slice(100).every((blocked) => blocked)).toBe(true);
  });

  it('holds the limit for as many processes as share it, hitting at once', async () => {
    const all = await Promise.all(Array.from({ length: SHARERS }, store));
    const outcomes = await Promise.all(
      Array.from({ length: 400 }, (_, i) => all[i % all.length].increment('burst', 60_000, 250)),
    );
    expect(outcomes.filter((r) => !r.isBlocked)).toHaveLength(250);
  });

  it('counts far from the limit in the process and adds the hits in Redis within the flush time', async () => {
    const a = await store();
    const b = await store();
    for (let i = 0; i < 500; i++) await a.increment('far', 60_000, 1_000_000);
    for (let i = 0; i < 300; i++) await b.increment('far', 60_000, 1_000_000);
    // Each asked Redis once (its window) and counted the rest itself; nothing is in Redis yet beyond that.
    expect(Number(await redis.get(`${prefix}far`))).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(Number(await redis.get(`${prefix}far`))).toBe(800);
    expect(await redis.pttl(`${prefix}far`)).toBeGreaterThan(55_000);
    // After its next flush, a process knows the other's hits too.
    await a.increment('far', 60_000, 1_000_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await a.increment('far', 60_000, 1_000_000)).totalHits).toBeGreaterThanOrEqual(802);
  });

  it('counts in the process while Redis is unreachable, and never refuses for that', async () => {
    const down = new RedisRateLimitStorage({ host: '127.0.0.1', port: 1 }, prefix);
    stores.push(down);
    const r = await down.increment('down', 60_000, 5);
    expect(r).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
