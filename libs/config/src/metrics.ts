import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), one registry per process. The API and each
 * worker serve their own (`GET /metrics` on the API, WORKER_METRICS_PORT on a worker); Prometheus
 * scrapes every replica and sums. Counters count what this process did since it started.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'allmende_' });

export const metrics = {
  httpDuration: new Histogram({
    name: 'allmende_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status: time to the last byte written',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [metricsRegistry],
  }),
  bookingsCreated: new Counter({
    name: 'allmende_bookings_created_total',
    help: 'Bookings created through the API (replays of an Idempotency-Key not counted)',
    registers: [metricsRegistry],
  }),
  bookingsRefused: new Counter({
    name: 'allmende_bookings_refused_total',
    help: 'Booking requests refused, by reason (the problem code, e.g. BOOKING_CONFLICT)',
    labelNames: ['reason'] as const,
    registers: [metricsRegistry],
  }),
  queueJobs: new Gauge({
    name: 'allmende_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read when scraped',
    labelNames: ['queue', 'state'] as const,
    registers: [metricsRegistry],
  }),
  jobDuration: new Histogram({
    name: 'allmende_job_duration_seconds',
    help: 'Jobs this worker ran, by queue, job name and outcome (completed, failed)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.005, 0.02, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [metricsRegistry],
  }),
  jobFailures: new Counter({
    name: 'allmende_job_failures_total',
    help: 'Job attempts that threw, by queue and job name (BullMQ retries them as configured)',
    labelNames: ['queue', 'job'] as const,
    registers: [metricsRegistry],
  }),
  emailsSent: new Counter({
    name: 'allmende_emails_sent_total',
    help: 'Notification emails handed to the mail transport',
    registers: [metricsRegistry],
  }),
  emailsFailed: new Counter({
    name: 'allmende_emails_failed_total',
    help: 'Notification email attempts that failed (each retry counts)',
    registers: [metricsRegistry],
  }),
  statementsIssued: new Counter({
    name: 'allmende_statements_issued_total',
    help: 'Statements issued by the monthly run (one per member and period)',
    registers: [metricsRegistry],
  }),
  solverRuns: new Counter({
    name: 'allmende_solver_runs_total',
    help: 'Solver runs (planning, proposals) by outcome',
    labelNames: ['outcome'] as const,
    registers: [metricsRegistry],
  }),
};

/** Called just before a scrape answers (e.g. reading queue depths); errors leave the old values. */
const collectors = new Set<() => Promise<void>>();
/** Registers a collector; the function returned removes it (an app that closes). */
export function onScrape(collect: () => Promise<void>): () => void {
  collectors.add(collect);
  return () => collectors.delete(collect);
}

/** A collector that does not answer in time (Redis lost) leaves its old values; the scrape goes on. */
const COLLECT_TIMEOUT_MS = 2000;
function withTimeout(p: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, COLLECT_TIMEOUT_MS)));
  return Promise.race([p.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What `GET /metrics` answers: status, headers and body, for whichever HTTP server serves it. */
export interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function problem(status: number, code: string, detail: string): MetricsAnswer {
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="metrics"';
  return {
    status,
    headers,
    body: JSON.stringify({ type: 'about:blank', title: code, status, code, detail }),
  };
}

/**
 * `GET /metrics` in Prometheus text format, for `Authorization: Bearer <METRICS_TOKEN>` only.
 * Without METRICS_TOKEN the endpoint is off (404): metrics name routes and volumes, not for anyone.
 */
export async function answerMetrics(
  token: string | undefined,
  authorization: string | undefined,
): Promise<MetricsAnswer> {
  if (!token) return problem(404, 'NOT_FOUND', 'Metrics are off: set METRICS_TOKEN to serve them.');
  const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
  if (!given || !sameSecret(given, token)) {
    return problem(401, 'UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
  }
  await Promise.all([...collectors].map((c) => withTimeout(c())));
  const body = await metricsRegistry.metrics();
  return {
    status: 200,
    headers: { 'Content-Type': metricsRegistry.contentType, 'Cache-Control': 'no-store' },
    body,
  };
}

/** `GET /metrics` on a plain Node HTTP server (a worker's WORKER_METRICS_PORT). */
export async function serveMetrics(
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const answer = await answerMetrics(token, req.headers.authorization);
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}
