import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { answerMetrics, AppConfig, metrics, onScrape } from '@allmende/config';
import { ALL_QUEUES } from '@allmende/queue';
import type { ResponseObserver } from '../http/request-hooks';
import { WEB_APP_ROUTE } from '../web/serve-web-app';

/** Routes whose 201 is a booking created (one, or a series). */
const BOOKING_CREATES = new Set(['POST /api/v1/bookings', 'POST /api/v1/bookings/series']);
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export const METRICS_PATH = '/metrics';

/** The route template Fastify matched (`/api/v1/bookings/:id`), never the raw URL; else a bucket. */
function routeOf(request: FastifyRequest, status: number): string {
  const route = request.routeOptions.url;
  if (route !== undefined && route !== WEB_APP_ROUTE) return route;
  const url = request.url;
  if (url.startsWith('/assets/') || url === '/' || url.startsWith('/?') || status === 304) return 'static';
  return status === 404 ? 'unmatched' : 'other';
}

/** The latency histogram's child per label set, made once: observing is then one bucket search. */
type Observe = (seconds: number) => void;
const byLabels = new Map<string, Observe>();
function histogramFor(method: string, route: string, status: number): Observe {
  const key = `${method} ${status} ${route}`;
  let observe = byLabels.get(key);
  if (!observe) {
    const child = metrics.httpDuration.labels({ method, route, status });
    observe = (seconds) => child.observe(seconds);
    byLabels.set(key, observe);
  }
  return observe;
}

/**
 * `GET /metrics` (METRICS_TOKEN) and the queue depths read at each scrape. What each response
 * records (see `httpMetrics`) runs in the request hooks.
 */
export function mountMetrics(app: INestApplication, instance: FastifyInstance, config: AppConfig): void {
  const queues = ALL_QUEUES.map((name) => app.get<Queue>(getQueueToken(name)));
  const stop = onScrape(async () => {
    if (queues.some((q) => (q as unknown as { closing?: unknown }).closing)) return void stop();
    await Promise.all(
      queues.map(async (q) => {
        const counts = await q.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) metrics.queueJobs.set({ queue: q.name, state }, counts[state] ?? 0);
      }),
    );
  });
  instance.route({
    method: 'GET',
    url: METRICS_PATH,
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      const answer = await answerMetrics(config.metricsToken, request.headers.authorization);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    },
  });
}

/**
 * Per request, when the response is finished: its latency by route template, and for booking
 * creates whether one was made or refused (by the problem code the error filter chose).
 */
export function httpMetrics(): ResponseObserver {
  return (request, reply) => {
    const status = reply.statusCode;
    const route = routeOf(request, status);
    if (route === METRICS_PATH) return;
    const method = request.method;
    histogramFor(method, route, status)(reply.elapsedTime / 1000);
    if (!BOOKING_CREATES.has(`${method} ${route}`)) return;
    if (status === 201 && !reply.hasHeader('idempotent-replayed')) metrics.bookingsCreated.inc();
    else if (status >= 400) metrics.bookingsRefused.inc({ reason: reply.problemCode ?? String(status) });
  };
}
