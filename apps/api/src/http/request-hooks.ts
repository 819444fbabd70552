import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The request id: X-Request-Id when sane, else a new UUID (Fastify's `genReqId`). */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Helmet's headers (without CSP: the web app sets its own). They are the same for every response,
 * so helmet runs once, at start-up, and each response gets the headers it set.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => void (headers[name] = String(value)),
    removeHeader: (name: string) => void delete headers[name],
    getHeader: (name: string) => headers[name],
  };
  let ran = false;
  helmet({ contentSecurityPolicy: false })(
    {} as IncomingMessage,
    res as unknown as ServerResponse,
    () => (ran = true),
  );
  if (!ran) throw new Error('helmet did not finish synchronously');
  return headers;
}

/** Per response, when it is finished: what the metrics and the request log record. */
export type ResponseObserver = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * The two hooks every request passes: on arrival, its id echoed in X-Request-Id and the security
 * headers; when the response is finished, the observers (metrics, request log), synchronously.
 */
export function registerRequestHooks(instance: FastifyInstance, observers: ResponseObserver[]): void {
  const headers = Object.entries(securityHeaders()).map(([name, value]) => [name.toLowerCase(), value]);
  instance.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });
  instance.addHook('onResponse', (request, reply, done) => {
    for (const observe of observers) observe(request, reply);
    done();
  });
}
