import { Pool } from 'pg';
import { createPostgresBackend, setDefaultBackendFactory } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';

/** Redis when REDIS_URL is set, else BullMQ's PostgreSQL backend on the application database. */
export type QueueBackend = { kind: 'redis'; url: string } | { kind: 'postgres'; url: string };

export function chooseQueueBackend(redisUrl: string | undefined, databaseUrl: string): QueueBackend {
  return redisUrl ? { kind: 'redis', url: redisUrl } : { kind: 'postgres', url: databaseUrl };
}

export function describeQueueBackend(backend: QueueBackend): string {
  return backend.kind === 'redis'
    ? `Redis at ${redactUrl(backend.url)}`
    : 'BullMQ PostgreSQL backend (schema bullmq)';
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function redisOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they need unlimited retries per request.
    maxRetriesPerRequest: null,
  };
}

export interface OpenedQueueConnection {
  connection: ConnectionOptions;
  close(): Promise<void>;
}

/**
 * Builds what BullMQ's `connection` option takes for the chosen backend. For PostgreSQL the
 * process-wide default backend factory is switched, and one small pool is shared by all queues
 * and workers of the process (the embedded database has a connection limit).
 */
export function openQueueConnection(backend: QueueBackend, poolSize = 6): OpenedQueueConnection {
  if (backend.kind === 'redis') {
    setDefaultBackendFactory();
    return { connection: redisOptions(backend.url), close: () => Promise.resolve() };
  }
  setDefaultBackendFactory(createPostgresBackend);
  const pool = new Pool({
    connectionString: backend.url,
    max: poolSize,
    // Real PostgreSQL honours this; PGlite ignores it, and the embedded server sets the path.
    options: '-c search_path=bullmq,public',
    application_name: 'allmende-queue',
  });
  pool.on('error', () => undefined);
  // Every queue, worker and event stream of the process subscribes to the shared pool's errors.
  pool.setMaxListeners(100);
  return { connection: pool, close: () => pool.end() };
}
