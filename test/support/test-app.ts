import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@allmende/config';
import { Clock, FixedClock } from '@allmende/core';
import { migrateQueueSchema, openQueueConnection, QueueBackend } from '@allmende/queue';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase, testQueuePrefix } from '@allmende/testing';
import type { StatementDocuments } from '@allmende/notifications';
import { createApiApp } from '../../apps/api/src/create-api-app';
import { createWorker } from '../../apps/worker/src/create-worker';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

/**
 * The suites' "now": before every date they book, so no suite depends on the day it runs. A suite
 * that needs another moves it (`stack.clock.set`).
 */
export const TEST_NOW = new Date('2026-01-01T00:00:00Z');

export interface TestStack {
  db: TestDatabase;
  clock: FixedClock;
  api: INestApplication;
  worker?: INestApplicationContext;
  close(): Promise<void>;
}

/** A real API (and optionally worker) on a database of its own, with Redis or PostgreSQL queues. */
export async function startTestStack(
  options: {
    worker?: boolean;
    queue?: 'redis' | 'postgres';
    /** Another Redis than the shared test one (a private redis-server a test stops and starts). */
    redisUrl?: string;
    env?: Record<string, string>;
    statementDocuments?: StatementDocuments;
    clock?: FixedClock;
  } = {},
): Promise<TestStack> {
  const db = await createTestDatabase();
  // Mail without SMTP_URL goes to .eml files in the data folder: a temporary one per stack.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'allmende-test-'));
  const config = loadConfig({
    ALLMENDE_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    ALLMENDE_DATA_DIR: dataDir,
    ...options.env,
  });
  const backend: QueueBackend =
    options.queue === 'postgres'
      ? { kind: 'postgres', url: db.url }
      : { kind: 'redis', url: options.redisUrl ?? TEST_REDIS_URL };
  if (backend.kind === 'postgres') await migrateQueueSchema(db.url);
  const queue = openQueueConnection(backend);
  const clock = options.clock ?? new FixedClock(TEST_NOW);
  const runtime = {
    config,
    clock: clock as Clock,
    databaseUrl: db.url,
    databasePoolSize: 5,
    preparedStatements: true,
    queueConnection: queue.connection,
    queuePrefix: testQueuePrefix(),
  };
  const worker = options.worker
    ? await createWorker(
        { ...runtime, statementDocuments: options.statementDocuments },
        { shutdownHooks: false },
      )
    : undefined;
  const api = await createApiApp(runtime, { shutdownHooks: false });
  await api.init();
  return {
    db,
    clock,
    api,
    worker,
    async close() {
      await api.close();
      await worker?.close();
      await queue.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
