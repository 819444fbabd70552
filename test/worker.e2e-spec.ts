import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Client } from 'pg';
import { JobName, JobProducer, QueueName } from '@allmende/queue';
import { startTestStack, TestStack } from './support/test-app';

async function sql(url: string, text: string, params: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(['redis', 'postgres'] as const)('worker on the %s queue backend', (backend) => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ worker: true, queue: backend });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('runs a job enqueued twice with the same id once, with one effect', async () => {
    // Two hours old: the worker's own hourly purge (24 h) leaves it, so only this job removes it.
    await sql(
      stack.db.url,
      `INSERT INTO idempotency_keys (principal, key, request_hash, created_at)
       VALUES ('p', 'old', 'h', now() - interval '2 hours'), ('p', 'new', 'h', now())`,
    );
    const producer = stack.api.get(JobProducer);
    const jobId = `test-purge-${backend}`;
    await producer.enqueue(JobName.PurgeIdempotencyKeys, { olderThanHours: 1 }, { jobId });
    await producer.enqueue(JobName.PurgeIdempotencyKeys, { olderThanHours: 1 }, { jobId });

    const queue = stack.api.get<Queue>(getQueueToken(QueueName.Maintenance), { strict: false });
    const state = await waitFor(async () => {
      const s = await queue.getJobState(jobId);
      return s === 'completed' || s === 'failed' ? s : undefined;
    });
    expect(state).toBe('completed');
    const job = await queue.getJob(jobId);
    expect(JSON.stringify(job?.returnvalue)).toBe(JSON.stringify({ purged: 1 }));
    const keys = await sql(stack.db.url, 'SELECT key FROM idempotency_keys ORDER BY key');
    expect(keys.rows).toEqual([{ key: 'new' }]);
    const completed = await queue.getJobs(['completed']);
    expect(completed.filter((j) => j.id === jobId).length).toBe(1);
  });

  it('schedules the hourly purge at start-up', async () => {
    const queue = stack.api.get<Queue>(getQueueToken(QueueName.Maintenance), { strict: false });
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => String(s.key))).toContain('purge-idempotency-keys-hourly');
  });
});
