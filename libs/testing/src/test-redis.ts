import { randomBytes } from 'node:crypto';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** BullMQ key prefix of one test file, so files share Redis without sharing queues. */
export function testQueuePrefix(): string {
  return `allmende-test-${randomBytes(6).toString('hex')}`;
}
