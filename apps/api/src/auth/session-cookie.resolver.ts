import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { csrfTokenMatches, WebSessionsService } from '@allmende/auth';
import { DomainError, ErrorCode } from '@allmende/core';
import type { CredentialResolver } from './credential-resolver';
import type { Principal } from './principal';
import { cookie, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, UNSAFE_METHODS } from './session-cookies';

/** Longer than any session id we issue; anything longer is not worth a database lookup. */
const MAX_SECRET_LENGTH = 128;

/**
 * The web app's session cookie. It speaks for the same actor as the user's API tokens (role,
 * municipality, pools), so every policy and row-level security apply unchanged. A state-changing
 * request must also carry X-CSRF-Token equal to the CSRF cookie and to the token issued with this
 * session (double submit, bound to the session): another site can make the browser send the
 * cookie, but cannot read it to send the header.
 */
@Injectable()
export class SessionCookieResolver implements CredentialResolver {
  constructor(private readonly sessions: WebSessionsService) {}

  async resolve(request: FastifyRequest): Promise<Principal | undefined> {
    const secret = cookie(request, SESSION_COOKIE);
    if (secret === undefined) return undefined;
    const session = secret.length <= MAX_SECRET_LENGTH ? await this.sessions.authenticate(secret) : null;
    if (!session) {
      throw new DomainError(ErrorCode.Unauthorized, 'The session has ended; please sign in again.', {
        reason: 'session-ended',
      });
    }
    if (UNSAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      const fromCookie = cookie(request, CSRF_COOKIE);
      if (!header || header !== fromCookie || !csrfTokenMatches(session, header)) {
        throw new DomainError(
          ErrorCode.CsrfTokenInvalid,
          `A change made with the session cookie needs the header X-CSRF-Token equal to the ${CSRF_COOKIE} cookie.`,
        );
      }
    }
    return {
      ...session.actor,
      id: `user:${session.actor.userId}`,
      credentialId: `session:${session.sessionId}`,
      sessionId: session.sessionId,
    };
  }
}
