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
 * For each key (KEYS[i]) the hits counted since the last call (ARGV[2i-1]) and the window in ms
 * (ARGV[2i]): INCRBY, the window's expiry on its first hits, and what is left of it, all keys in one
 * round trip. Defined as a command, so that ioredis sends EVALSHA (the script's hash) and the
 * script text only once per Redis server. Returns the new count and the ms left, per key.
 */
const HIT_MANY = `local out = {}
for i, key in ipairs(KEYS) do
  local by = tonumber(ARGV[2 * i - 1])
  local ttl = ARGV[2 * i]
  local n = redis.call('INCRBY', key, by)
  if n == by then redis.call('PEXPIRE', key, ttl) end
  local left = redis.call('PTTL', key)
  if left < 0 then redis.call('PEXPIRE', key, ttl); left = tonumber(ttl) end
  out[2 * i - 1] = n
  out[2 * i] = left
end
return out`;

interface PendingHit {
  limit: number;
  resolve: (record: ThrottlerStorageRecord) => void;
}

interface PendingKey {
  ttl: number;
  hits: PendingHit[];
}

/**
 * Counters in Redis, shared by every API process (several replicas behind a proxy count one limit
 * per credential). The hits of one turn of the event loop (the requests read together) go to Redis
 * in one call, one INCRBY per credential: each request still gets its own place in the count
 * (the n-th hit of the window is refused exactly when the n-th single INCR would have been), for
 * one round trip per turn instead of one per request. Redis unreachable: the request is counted
 * in this process instead (a limit per process for the outage), never refused for it; the log says
 * so once per outage.
 */
export class RedisRateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: IORedis & {
    /** The number of keys, the keys, then a count and a window per key. */
    allmendeRateHits(...args: (string | number)[]): Promise<number[]>;
  };
  private readonly fallback = new MemoryRateLimitStorage();
  private degraded = false;
  private pending = new Map<string, PendingKey>();

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
    redis.defineCommand('allmendeRateHits', { lua: HIT_MANY });
    this.redis = redis as typeof this.redis;
    this.redis.on('error', () => undefined);
  }

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    return new Promise<ThrottlerStorageRecord>((resolve) => {
      if (this.pending.size === 0) setImmediate(() => void this.send());
      let waiting = this.pending.get(key);
      if (!waiting) {
        waiting = { ttl, hits: [] };
        this.pending.set(key, waiting);
      }
      waiting.hits.push({ limit, resolve });
    });
  }

  /** One call for every hit counted since the last: the keys' new counts, shared out in order. */
  private async send(): Promise<void> {
    const batch = [...this.pending];
    this.pending = new Map();
    if (batch.length === 0) return;
    const keys = batch.map(([key]) => `${this.prefix}${key}`);
    const args = batch.flatMap(([, p]) => [p.hits.length, p.ttl]);
    let counts: number[];
    try {
      counts = await this.redis.allmendeRateHits(keys.length, ...keys, ...args);
    } catch (e) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`Redis unreachable (${(e as Error).message}): counting rate limits in this process`);
      }
      for (const [key, p] of batch)
        for (const hit of p.hits) void this.fallback.increment(key, p.ttl, hit.limit).then(hit.resolve);
      return;
    }
    if (this.degraded) {
      this.degraded = false;
      this.logger.warn('Redis is back: rate-limit counters are shared again');
    }
    batch.forEach(([, p], i) => {
      const total = Number(counts[2 * i]);
      const left = Number(counts[2 * i + 1]);
      const first = total - p.hits.length + 1;
      p.hits.forEach((hit, j) => hit.resolve(record(first + j, left, hit.limit)));
    });
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
