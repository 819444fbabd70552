import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as Pino } from 'pino';
import { verboseLevel } from '@allmende/config';
import type { ResponseObserver } from './request-hooks';

/** The URL as logged: calendar feed tokens are secrets and stay out of the log. */
function loggedUrl(url: string): string {
  return url.includes('/calendar/') ? url.replace(/\/calendar\/[^/?]+/, '/calendar/***') : url;
}

/** The whole request and response, for LOG_LEVEL debug and trace (credentials redacted). */
function full(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  return {
    req: {
      id: request.id,
      method: request.method,
      url: request.url,
      query: request.query,
      params: request.params,
      headers: request.headers,
      remoteAddress: request.socket.remoteAddress,
      remotePort: request.socket.remotePort,
    },
    res: { statusCode: reply.statusCode, headers: reply.getHeaders() },
    body: request.body,
  };
}

/**
 * One line per request when its response is finished: `GET /api/v1/bookings 200 12ms` with the
 * request id, at error for 5xx, else info; at debug and trace with the full request and response.
 * `GET /health` (probes) is not logged.
 */
export function requestLog(pino: Pino): ResponseObserver {
  const verbose = verboseLevel(pino.level);
  return (request, reply) => {
    const url = request.url;
    if (url === '/health') return;
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : 'info';
    if (!pino.isLevelEnabled(level)) return;
    const responseTime = Math.round(reply.elapsedTime);
    const msg = `${request.method} ${loggedUrl(url)} ${status} ${responseTime}ms`;
    const fields = verbose
      ? { reqId: request.id, ...full(request, reply), responseTime }
      : { reqId: request.id, responseTime };
    pino[level](fields, msg);
  };
}
