import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig, metrics, onScrape, serveMetrics } from '@allmende/config';
import { ALL_QUEUES } from '@allmende/queue';

/** Routes whose 201 is a booking created (one, or a series). */
const BOOKING_CREATES = new Set(['POST /api/v1/bookings', 'POST /api/v1/bookings/series']);
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** The route template Express matched (`/api/v1/bookings/:id`), never the raw URL; else a bucket. */
function routeOf(req: Request, status: number): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return route;
  if (req.path.startsWith('/assets/') || req.path === '/' || status === 304) return 'static';
  return status === 404 ? 'unmatched' : 'other';
}

/**
 * Per request, when the response is finished: its latency by route template, and for booking
 * creates whether one was made or refused (by the problem code the error filter chose). Plus
 * `GET /metrics` itself (METRICS_TOKEN) and the queue depths read at each scrape.
 */
export function mountMetrics(app: INestApplication, config: AppConfig): void {
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
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/metrics') {
      if (req.method !== 'GET') return next();
      void serveMetrics(config.metricsToken, req, res).catch(next);
      return;
    }
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeOf(req, res.statusCode);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route, status: res.statusCode }, seconds);
      if (!BOOKING_CREATES.has(`${req.method} ${route}`)) return;
      if (res.statusCode === 201 && !res.getHeader('Idempotent-Replayed')) metrics.bookingsCreated.inc();
      else if (res.statusCode >= 400) {
        const code = (res.locals as { problemCode?: string }).problemCode;
        metrics.bookingsRefused.inc({ reason: code ?? String(res.statusCode) });
      }
    });
    next();
  });
}
