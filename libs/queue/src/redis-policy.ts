import IORedis from 'ioredis';
import { redactUrl } from './queue-connection';

/**
 * BullMQ loses jobs when Redis evicts keys: the worker refuses to start unless Redis runs with
 * maxmemory-policy noeviction. Returns the problem in one line, or null when all is well.
 */
export async function redisEvictionProblem(url: string): Promise<string | null> {
  const redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  try {
    await redis.connect();
    let policy: string | undefined;
    try {
      const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
      policy = reply[1];
    } catch {
      // CONFIG may be disabled (managed Redis); INFO memory carries the policy too.
      const info = await redis.info('memory');
      policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
    }
    if (policy === undefined) return null;
    return policy === 'noeviction'
      ? null
      : `Redis at ${redactUrl(url)} has maxmemory-policy ${policy}; the worker needs noeviction (BullMQ loses jobs when keys are evicted): set maxmemory-policy noeviction.`;
  } finally {
    redis.disconnect();
  }
}
