import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const postgresUrl = z
  .string()
  .url('must be a URL such as postgres://user@host:5432/db')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://');

const redisUrl = z
  .string()
  .url('must be a URL such as redis://127.0.0.1:6379')
  .refine((v) => /^rediss?:\/\//.test(v), 'must start with redis:// or rediss://');

const smtpUrl = z
  .string()
  .url('must be a URL such as smtp://user:pass@host:587')
  .refine((v) => /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://');

const positiveInt = (max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, `must be between 1 and ${max}`)
    .max(max, `must be between 1 and ${max}`);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Unset and empty variables both mean "use the default". */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Hosts, IP addresses or CIDR ranges, comma-separated: e.g. `hooks.intern.example,10.20.0.0/16`. */
const hostList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine(
    (hosts) => hosts.every((h) => /^[a-z0-9.:_-]+(\/\d{1,3})?$/.test(h)),
    'must be a comma-separated list of host names, IP addresses or CIDR ranges',
  );

export const envSchema = z.object({
  DATABASE_URL: optional(postgresUrl),
  REDIS_URL: optional(redisUrl),
  PORT: optional(port).transform((v) => v ?? 3000),
  HOST: optional(z.string().min(1)).transform((v) => v ?? '0.0.0.0'),
  ALLMENDE_ADMIN_TOKEN: optional(
    z.string().min(32, 'must be at least 32 characters long (use e.g. `openssl rand -hex 32`)'),
  ),
  METRICS_TOKEN: optional(
    z.string().min(16, 'must be at least 16 characters long (use e.g. `openssl rand -hex 16`)'),
  ),
  WORKER_METRICS_PORT: optional(port),
  ALLMENDE_DATA_DIR: optional(z.string().min(1)).transform((v) => v ?? './.allmende'),
  ALLMENDE_RATE_LIMIT: optional(positiveInt(1_000_000)).transform((v) => v ?? 600),
  ALLMENDE_BODY_LIMIT: optional(
    z.string().regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 100kb or 1mb'),
  ).transform((v) => v ?? '1mb'),
  ALLMENDE_DEMO_DATA: optional(bool).transform((v) => v ?? true),
  ALLMENDE_EMBEDDED_DB_PORT: optional(z.coerce.number().int().min(0).max(65535)).transform((v) => v ?? 0),
  DATABASE_POOL_SIZE: optional(positiveInt(200)).transform((v) => v ?? 10),
  ALLMENDE_API_PROCESSES: optional(positiveInt(64)).transform((v) => v ?? 1),
  WORKER_CONCURRENCY: optional(positiveInt(64)).transform((v) => v ?? 4),
  SMTP_URL: optional(smtpUrl),
  ALLMENDE_MAIL_LEASE_SECONDS: optional(positiveInt(3600)).transform((v) => v ?? 60),
  MAIL_FROM: optional(z.string().min(3)).transform((v) => v ?? 'allmende <noreply@allmende.local>'),
  ALLMENDE_WEBHOOK_ALLOWED_HOSTS: optional(hostList).transform((v) => v ?? []),
  ALLMENDE_WEBHOOK_MAX_ATTEMPTS: optional(positiveInt(30)).transform((v) => v ?? 12),
  ALLMENDE_WEBHOOK_RETRY_BASE_MS: optional(positiveInt(3_600_000)).transform((v) => v ?? 30_000),
  ALLMENDE_SOLVER_HEAP_MB: optional(positiveInt(65_536)).transform((v) => v ?? 256),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).transform(
    (v) => v ?? 'info',
  ),
});

export type Env = z.infer<typeof envSchema>;
