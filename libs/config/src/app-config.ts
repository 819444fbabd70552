import * as path from 'node:path';
import { envSchema } from './config.schema';

/** The validated configuration every process reads; built once at boot from the environment. */
export interface AppConfig {
  /** Set when an external PostgreSQL is used; undefined means the embedded database. */
  databaseUrl?: string;
  /** Set when Redis backs the queues; undefined means BullMQ's PostgreSQL backend. */
  redisUrl?: string;
  port: number;
  host: string;
  adminToken?: string;
  /** Bearer token for GET /metrics; unset: metrics are not served. */
  metricsToken?: string;
  /** A worker serves its /metrics on this port (unset: none). */
  workerMetricsPort?: number;
  dataDir: string;
  rateLimitPerMinute: number;
  bodyLimit: string;
  loadDemoData: boolean;
  embeddedDbPort: number;
  databasePoolSize: number;
  /** API processes on one port (`npm run start:api`): a supervisor forks them, each its own event loop. */
  apiProcesses: number;
  workerConcurrency: number;
  smtpUrl?: string;
  mailFrom: string;
  /** How long a claimed send may take before another worker may take it over (its sender died). */
  mailLeaseSeconds: number;
  /** Webhook targets allowed although private or loopback: host names, IPs, CIDR ranges. */
  webhookAllowedHosts: string[];
  /** Tries per webhook delivery, the first included. */
  webhookMaxAttempts: number;
  /** Delay before the first retry; each further retry waits twice as long. */
  webhookRetryBaseMs: number;
  /** The old-generation heap of a planning run's solver thread. */
  solverHeapMb: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Configuration error: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; the first bad variable is reported in one line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    const raw = env[variable];
    const shown = variable.includes('TOKEN') || variable.includes('URL') ? '' : ` (got "${raw}")`;
    throw new ConfigError(variable, `${issue.message}${raw === undefined ? '' : shown}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    adminToken: e.ALLMENDE_ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    dataDir: path.resolve(e.ALLMENDE_DATA_DIR),
    rateLimitPerMinute: e.ALLMENDE_RATE_LIMIT,
    bodyLimit: e.ALLMENDE_BODY_LIMIT,
    loadDemoData: e.ALLMENDE_DEMO_DATA,
    embeddedDbPort: e.ALLMENDE_EMBEDDED_DB_PORT,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    apiProcesses: e.ALLMENDE_API_PROCESSES,
    workerConcurrency: e.WORKER_CONCURRENCY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailLeaseSeconds: e.ALLMENDE_MAIL_LEASE_SECONDS,
    webhookAllowedHosts: e.ALLMENDE_WEBHOOK_ALLOWED_HOSTS,
    webhookMaxAttempts: e.ALLMENDE_WEBHOOK_MAX_ATTEMPTS,
    webhookRetryBaseMs: e.ALLMENDE_WEBHOOK_RETRY_BASE_MS,
    solverHeapMb: e.ALLMENDE_SOLVER_HEAP_MB,
    logLevel: e.LOG_LEVEL,
  };
}
