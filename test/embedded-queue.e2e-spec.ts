import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Queue, Worker } from 'bullmq';
import { EmbeddedPostgres, startEmbeddedPostgres } from '@allmende/database';
import { migrateQueueSchema, openQueueConnection } from '@allmende/queue';

/**
 * The embedded default (PGlite behind pglite-socket) is one session for every connection, so a
 * NOTIFY's NotificationResponse comes out on the connection that sent it. BullMQ's PostgreSQL
 * backend parks an idle worker on LISTEN for up to an hour while a delayed job is pending; before
 * the embedded server routed notifications to the listening connections, a job added after the
 * worker's first drain waited until a restart (issue #9: 646 notification jobs waiting).
 */
describe('embedded PostgreSQL: LISTEN/NOTIFY and the queue backend', () => {
  let dir: string;
  let embedded: EmbeddedPostgres;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-embedded-queue-'));
    embedded = await startEmbeddedPostgres({ dataDir: dir, port: 0, maxConnections: 30 });
  }, 60_000);

  afterAll(async () => {
    await embedded?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function client(): Promise<Client> {
    const c = new Client({ connectionString: embedded.url });
    await c.connect();
    return c;
  }

  it('delivers a NOTIFY to the connection that LISTENs, not to the sender, in and out of a transaction', async () => {
    const listener = await client();
    const sender = await client();
    try {
      const heard: string[] = [];
      const senderHeard: string[] = [];
      listener.on('notification', (m) => heard.push(`${m.channel}:${m.payload}`));
      sender.on('notification', (m) => senderHeard.push(`${m.channel}:${m.payload}`));
      // BullMQ's script begins with comments.
      await listener.query('-- subscribe\nLISTEN bullmq_jobs;\n');
      await sender.query("SELECT pg_notify('bullmq_jobs', 'one')");
      await sender.query('BEGIN');
      await sender.query("SELECT pg_notify('bullmq_jobs', 'two')");
      expect(heard).toEqual(['bullmq_jobs:one']); // nothing before the commit
      await sender.query('COMMIT');
      await waitFor(() => heard.length === 2);
      expect(heard).toEqual(['bullmq_jobs:one', 'bullmq_jobs:two']);
      expect(senderHeard).toEqual([]);
      // Results around a notification arrive intact.
      const { rows } = await sender.query<{ n: number }>(
        "SELECT n, pg_notify('bullmq_jobs', n::text) FROM generate_series(1, 2000) n",
      );
      expect(rows).toHaveLength(2000);
      expect(rows[1999].n).toBe(2000);
      await waitFor(() => heard.length === 2002);
    } finally {
      await listener.end();
      await sender.end();
    }
  }, 30_000);

  it('a BullMQ worker parked with a delayed job pending picks up a job added after its first drain', async () => {
    await migrateQueueSchema(embedded.url);
    const opened = openQueueConnection({ kind: 'postgres', url: embedded.url });
    const queue = new Queue('embedded-wake', { connection: opened.connection });
    const done: string[] = [];
    const worker = new Worker(
      'embedded-wake',
      (job) => {
        done.push(job.name);
        return Promise.resolve();
      },
      { connection: opened.connection },
    );
    try {
      await worker.waitUntilReady();
      // A delayed job an hour ahead makes the worker block up to the backend's hour-long ceiling.
      await queue.add('later', {}, { delay: 3_600_000 });
      await queue.add('first', {});
      await waitFor(() => done.includes('first'), 15_000);
      await sleep(1_500); // drained and parked on LISTEN
      const added = Date.now();
      await queue.add('second', {});
      await waitFor(() => done.includes('second'), 10_000);
      const latency = Date.now() - added;
      console.log(`embedded queue: a job added to a parked worker ran after ${latency} ms`);
      expect(latency).toBeLessThan(10_000);
    } finally {
      await worker.close();
      await queue.close();
      await opened.close();
    }
  }, 60_000);
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the condition');
    await sleep(50);
  }
}
