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

/**
 * INCR, and the window's expiry on its first hit, in one round trip. Defined as a command, so that
 * ioredis sends EVALSHA (the script's hash) and the script text only once per Redis server.
 */
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
return {n, left}`;

/**
 * Counters in Redis, shared by every API process (several replicas behind a proxy count one limit
 * per credential). Redis unreachable: the request is counted in this process instead (a limit per
 * process for the outage), never refused for it; the log says so once per outage.
 */
export class RedisRateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: IORedis & {
    allmendeRateHit(key: string, ttlMs: number): Promise<[number, number]>;
  };
  private readonly fallback = new MemoryRateLimitStorage();
  private degraded = false;

  constructor(
    options: RedisOptions,
    private readonly prefix: string,
  ) {
    const redis = new IORedis({
      ...options,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      commandTimeout: 500,
      connectionName: 'allmende-rate-limit',
    });
    redis.defineCommand('allmendeRateHit', { numberOfKeys: 1, lua: HIT });
    this.redis = redis as typeof this.redis;
    this.redis.on('error', () => undefined);
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, left] = await this.redis.allmendeRateHit(`${this.prefix}${key}`, ttl);
      if (this.degraded) {
        this.degraded = false;
        this.logger.warn('Redis is back: rate-limit counters are shared again');
      }
      return record(hits, left, limit);
    } catch (e) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`Redis unreachable (${(e as Error).message}): counting rate limits in this process`);
      }
      return this.fallback.increment(key, ttl, limit);
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
