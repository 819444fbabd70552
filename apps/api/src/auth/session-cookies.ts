import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session id: HttpOnly, never readable by scripts. */
export const SESSION_COOKIE = 'allmende_session';
/** The CSRF token: readable by the web app, which echoes it in X-CSRF-Token (double submit). */
export const CSRF_COOKIE = 'allmende_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change state and so need the CSRF token when a session cookie authenticates. */
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function base(request: FastifyRequest): CookieSerializeOptions {
  // request.protocol: HTTPS here, or X-Forwarded-Proto https from a trusted proxy (trustProxy)
  return { sameSite: 'strict', secure: request.protocol === 'https', path: '/' };
}

export function writeSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { sessionSecret: string; csrfToken: string; expiresAt: Date },
): void {
  reply.setCookie(SESSION_COOKIE, session.sessionSecret, {
    ...base(request),
    httpOnly: true,
    expires: session.expiresAt,
  });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, {
    ...base(request),
    httpOnly: false,
    expires: session.expiresAt,
  });
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { ...base(request), httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, { ...base(request), httpOnly: false });
}

/** A cookie of the request; the Cookie header is parsed once, when first asked (not per request). */
export function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  request.cookies ??= request.server.parseCookie(header);
  const value = request.cookies[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
