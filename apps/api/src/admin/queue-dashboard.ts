import type { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { roleHas, Permission } from '@allmende/auth';
import { DomainError } from '@allmende/core';
import { ALL_QUEUES } from '@allmende/queue';
import { BearerTokenResolver } from '../auth/bearer-token.resolver';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

function refuse(reply: FastifyReply, status: number, detail: string): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: status === 401 ? 'Unauthorized' : 'Forbidden',
        status,
        detail,
        code: status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
      }),
    );
}

/**
 * The queue dashboard (@bull-board) on the API's Fastify instance, for admins only: the same bearer
 * tokens as the API (ALLMENDE_ADMIN_TOKEN or an admin user's token). Its routes and their admin
 * check live in a scope of their own; no other route passes the check.
 */
export function mountQueueDashboard(app: INestApplication, instance: FastifyInstance): void {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'allmende queues' } },
  });
  const resolver = app.get(BearerTokenResolver, { strict: false });
  void instance.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      let principal;
      try {
        principal = await resolver.resolve(request);
      } catch (e) {
        return refuse(reply, 401, e instanceof DomainError ? e.message : 'The token is not valid.');
      }
      if (!principal) return refuse(reply, 401, 'The queue dashboard needs an admin bearer token.');
      if (!roleHas(principal.role, Permission.NotificationsAdmin))
        return refuse(reply, 403, 'The queue dashboard is for admins only.');
    });
    await scope.register(adapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
