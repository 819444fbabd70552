import type { CookieOptions, Request, Response } from 'express';

/** The session id: HttpOnly, never readable by scripts. */
export const SESSION_COOKIE = 'allmende_session';
/** The CSRF token: readable by the web app, which echoes it in X-CSRF-Token (double submit). */
export const CSRF_COOKIE = 'allmende_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change state and so need the CSRF token when a session cookie authenticates. */
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function base(request: Request): CookieOptions {
  // request.secure: HTTPS here, or X-Forwarded-Proto https from a trusted proxy ('trust proxy')
  return { sameSite: 'strict', secure: request.secure, path: '/' };
}

export function writeSessionCookies(
  request: Request,
  response: Response,
  session: { sessionSecret: string; csrfToken: string; expiresAt: Date },
): void {
  response.cookie(SESSION_COOKIE, session.sessionSecret, {
    ...base(request),
    httpOnly: true,
    expires: session.expiresAt,
  });
  response.cookie(CSRF_COOKIE, session.csrfToken, {
    ...base(request),
    httpOnly: false,
    expires: session.expiresAt,
  });
}

export function clearSessionCookies(request: Request, response: Response): void {
  response.clearCookie(SESSION_COOKIE, { ...base(request), httpOnly: true });
  response.clearCookie(CSRF_COOKIE, { ...base(request), httpOnly: false });
}

export function cookie(request: Request, name: string): string | undefined {
  const cookies = request.cookies as Record<string, unknown> | undefined;
  const value = cookies?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
