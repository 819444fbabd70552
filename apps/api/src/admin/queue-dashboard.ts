import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { roleHas, Permission } from '@allmende/auth';
import { DomainError } from '@allmende/core';
import { ALL_QUEUES } from '@allmende/queue';
import { BearerTokenResolver } from '../auth/bearer-token.resolver';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

function refuse(res: Response, status: number, detail: string): void {
  res
    .status(status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: status === 401 ? 'Unauthorized' : 'Forbidden',
      status,
      detail,
      code: status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
    });
}

/**
 * The queue dashboard (@bull-board) on the API's Express app, for admins only: the same bearer
 * tokens as the API (ALLMENDE_ADMIN_TOKEN or an admin user's token).
 */
export function mountQueueDashboard(app: INestApplication): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'allmende queues' } },
  });
  const resolver = app.get(BearerTokenResolver, { strict: false });
  const adminOnly = (req: Request, res: Response, next: NextFunction) => {
    resolver.resolve(req).then(
      (principal) => {
        if (!principal) return refuse(res, 401, 'The queue dashboard needs an admin bearer token.');
        if (!roleHas(principal.role, Permission.NotificationsAdmin))
          return refuse(res, 403, 'The queue dashboard is for admins only.');
        next();
      },
      (e: unknown) => refuse(res, 401, e instanceof DomainError ? e.message : 'The token is not valid.'),
    );
  };
  app.use(QUEUE_DASHBOARD_PATH, adminOnly, adapter.getRouter());
}
