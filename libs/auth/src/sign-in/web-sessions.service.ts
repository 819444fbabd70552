import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { Actor, ROLES, SYSTEM_ACTOR } from '@allmende/core';
import { UnitOfWork, WebSessionRepository } from '@allmende/database';
import { Clock } from '../clock';
import { hashSecret } from './session-secrets';
import { SESSION_IDLE_MS } from './session-lifetime';

const AUTHENTICATOR: Actor = { ...SYSTEM_ACTOR, tokenName: 'authentication' };

/** A live session and the actor it speaks for: the same actor the user's API token gives. */
export interface SessionCredential {
  sessionId: string;
  csrfHash: string;
  actor: Actor;
}

/** Whether `token` is the session's CSRF token (compared by hash, in constant time). */
export function csrfTokenMatches(session: Pick<SessionCredential, 'csrfHash'>, token: string): boolean {
  const given = Buffer.from(hashSecret(token));
  const stored = Buffer.from(session.csrfHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** Browser sessions after sign-in: authenticate, end one, end all of a user's. */
@Injectable()
export class WebSessionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: WebSessionRepository,
    private readonly clock: Clock,
  ) {}

  /** Null when the session is unknown, revoked, idle too long, past its end, or its user disabled. */
  async authenticate(secret: string): Promise<SessionCredential | null> {
    const now = this.clock.now();
    return this.uow.run(AUTHENTICATOR, async () => {
      const s = await this.sessions.findCredential(hashSecret(secret));
      if (!s || s.revokedAt || s.userDisabledAt) return null;
      if (s.expiresAt.getTime() <= now.getTime()) return null;
      if (now.getTime() - s.lastSeenAt.getTime() >= SESSION_IDLE_MS) return null;
      if (!(ROLES as readonly string[]).includes(s.role)) return null;
      await this.sessions.touch(s.sessionId, now);
      return {
        sessionId: s.sessionId,
        csrfHash: s.csrfHash,
        actor: {
          userId: s.userId,
          tokenName: 'web session',
          role: s.role,
          municipalityId: s.municipalityId,
          poolIds: s.role === 'coordinator' ? s.poolIds : [],
        },
      };
    });
  }

  /** Logout: the session stops working at once, whatever its cookie says. */
  async signOut(sessionId: string): Promise<void> {
    const now = this.clock.now();
    await this.uow.run(AUTHENTICATOR, () => this.sessions.revoke(sessionId, now));
  }
}
