import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig, APP_CONFIG, serveMetrics } from '@allmende/config';

/**
 * The worker's own `GET /metrics` (job durations and failures per queue, emails, statements,
 * solver runs) on WORKER_METRICS_PORT, with the API's METRICS_TOKEN. The worker serves nothing
 * else over HTTP; without the port it opens none.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerMetrics');
  private server: http.Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.workerMetricsPort;
    if (port === undefined) return;
    const server = http.createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/metrics') {
        void serveMetrics(this.config.metricsToken, req, res).catch(() => res.destroy());
        return;
      }
      res.statusCode = 404;
      res.setHeader('Content-Type', 'application/problem+json');
      res.end(
        JSON.stringify({ status: 404, code: 'NOT_FOUND', detail: 'The worker serves GET /metrics only.' }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on ${this.config.host}:${(server.address() as AddressInfo).port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
