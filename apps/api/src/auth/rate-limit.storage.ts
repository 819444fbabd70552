import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import IORedis, { RedisOptions } from 'ioredis';

interface Window {
  hits: number;
  endsAt: number;
}

/** How many windows the in-memory table holds before it drops the finished ones. */
const SWEEP_AT = 10_000;

/**
 * Fixed-window counters, one number per credential and minute, instead of @nestjs/throttler's
 * default store, which keeps a timestamp and a timer for every hit (at a high limit, thousands per
 * key, pruned on every request: a tenth of the floor's CPU). A credential over the limit is
 * refused until its window ends; Retry-After says when.
 */
export class WindowCounters {
  private readonly windows = new Map<string, Window>();

  hit(key: string, ttlMs: number, now = Date.now()): Window {
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { hits: 0, endsAt: now + ttlMs };
      this.windows.set(key, w);
    }
    w.hits += 1;
    return w;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (w.endsAt <= now) this.windows.delete(k);
  }
}

function record(hits: number, msLeft: number, limit: number): ThrottlerStorageRecord {
  const seconds = Math.max(1, Math.ceil(msLeft / 1000));
  const isBlocked = hits > limit;
  return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
}

/** Counters in this process: the embedded default (`npm start`), one process. */
export class MemoryRateLimitStorage implements ThrottlerStorage {
  private readonly counters = new WindowCounters();

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const w = this.counters.hit(key, ttl, now);
    return Promise.resolve(record(w.hits, w.endsAt - now, limit));
  }
}

/** INCRBY, and the window's expiry on its first hits, in one round trip (EVALSHA once loaded). */
const HIT = `local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
return {n, left}`;

/**
 * The API processes that may share one Redis counter. Each takes at most 1/SHARERS of what is left
 * of the limit without asking Redis, so up to this many processes together never pass the limit.
 */
export const SHARERS = 16;

/** Hits counted here and not yet in Redis go there at least this often. */
const FLUSH_MS = 100;

/** One credential's window as this process knows it. */
interface Share {
  /** The count in Redis at the last answer, and when the window ends. */
  known: number;
  endsAt: number;
  /** Hits taken here since then, not yet added in Redis. */
  pending: number;
  ttl: number;
}

type HitCommand = (key: string, ttlMs: number, by: number) => Promise<[number, number]>;

/**
 * Counters in Redis, shared by every API process (several replicas behind a proxy count one limit
 * per credential), without a round trip per request: a process counts a hit by itself while the
 * hit fits its share of what is left of the limit (1/SHARERS of it) and adds its hits in Redis
 * every FLUSH_MS; near the limit the share is zero and every hit asks Redis, so the limit holds
 * exactly for up to SHARERS processes. Redis unreachable: the request is counted in this process
 * instead (a limit per process for the outage), never refused for it; the log says so once per
 * outage.
 */
export class RedisRateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: IORedis;
  private readonly hitCommand: HitCommand;
  private readonly fallback = new MemoryRateLimitStorage();
  private readonly shares = new Map<string, Share>();
  private timer: NodeJS.Timeout | undefined;
  private degraded = false;

  constructor(
    options: RedisOptions,
    private readonly prefix: string,
  ) {
    this.redis = new IORedis({
      ...options,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      commandTimeout: 500,
      connectionName: 'allmende-rate-limit',
    });
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('allmendeRateLimitHit', { numberOfKeys: 1, lua: HIT });
    const redis = this.redis as IORedis & { allmendeRateLimitHit: HitCommand };
    this.hitCommand = (key, ttlMs, by) => redis.allmendeRateLimitHit(key, ttlMs, by);
  }

  /** Resolves once the connection to Redis is up (until then hits are counted in the process). */
  connected(): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.redis.once('ready', () => resolve()));
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    let share = this.shares.get(key);
    if (share && share.endsAt <= now) {
      // The window ended: hits not yet in Redis counted for it and go with it.
      this.shares.delete(key);
      share = undefined;
    }
    if (share && share.pending < Math.floor((limit - share.known) / SHARERS)) {
      share.pending += 1;
      this.scheduleFlush();
      return record(share.known + share.pending, share.endsAt - now, limit);
    }
    const by = (share?.pending ?? 0) + 1;
    if (share) share.pending = 0;
    try {
      const [hits, left] = await this.hit(key, ttl, by);
      return record(hits, left, limit);
    } catch (e) {
      this.degrade(e);
      return this.fallback.increment(key, ttl, limit);
    }
  }

  /** Adds `by` hits in Redis and notes the count and the window's end it answers with. */
  private async hit(key: string, ttl: number, by: number): Promise<[number, number]> {
    const [hits, left] = await this.hitCommand(`${this.prefix}${key}`, ttl, by);
    if (this.degraded) {
      this.degraded = false;
      this.logger.warn('Redis is back: rate-limit counters are shared again');
    }
    const share = this.shares.get(key);
    const endsAt = Date.now() + left;
    if (share && Math.abs(share.endsAt - endsAt) < 1000) share.known = Math.max(share.known, hits);
    else this.shares.set(key, { known: hits, endsAt, pending: share?.pending ?? 0, ttl });
    return [hits, left];
  }

  private degrade(e: unknown): void {
    if (!this.degraded) {
      this.degraded = true;
      this.logger.warn(`Redis unreachable (${(e as Error).message}): counting rate limits in this process`);
    }
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Adds the hits counted here in Redis; drops the shares of ended windows. */
  async flush(): Promise<void> {
    this.timer = undefined;
    const now = Date.now();
    const work: Promise<unknown>[] = [];
    for (const [key, share] of this.shares) {
      if (share.endsAt <= now) {
        this.shares.delete(key);
        continue;
      }
      if (share.pending === 0) continue;
      const by = share.pending;
      share.pending = 0;
      work.push(
        this.hit(key, share.ttl, by).catch((e: unknown) => {
          // Redis did not take them: they stay here for the next flush.
          share.pending += by;
          this.degrade(e);
        }),
      );
    }
    await Promise.all(work);
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    if (this.redis.status === 'ready') await this.flush().catch(() => undefined);
    this.redis.disconnect();
  }
}
