import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode, SYSTEM_ACTOR } from '@allmende/core';
import {
  SignInThrottleRepository,
  ThrottleRule,
  UnitOfWork,
  UserRepository,
  WebSessionRepository,
} from '@allmende/database';
import { Clock } from '../clock';
import { PasswordHasher } from './password-hasher';
import { generateSecret, hashSecret } from './session-secrets';
import { SESSION_ABSOLUTE_MS } from './session-lifetime';

/** Signs in before anyone is known: it sees every account and does nothing else. */
const SIGN_IN: Actor = { ...SYSTEM_ACTOR, tokenName: 'sign-in' };

const MINUTE_MS = 60_000;
/** Five wrong passwords for one account within 15 minutes lock it for 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottleRule = {
  maxFailures: 5,
  windowMs: 15 * MINUTE_MS,
  lockMs: 15 * MINUTE_MS,
};
/** One client address guessing across many accounts: 20 failures in 15 minutes lock it out. */
export const ADDRESS_THROTTLE: ThrottleRule = {
  maxFailures: 20,
  windowMs: 15 * MINUTE_MS,
  lockMs: 15 * MINUTE_MS,
};

export interface SignInClient {
  address: string;
  userAgent: string | null;
}

/** A new browser session: both secrets go to cookies and exist nowhere else. */
export interface NewSession {
  sessionId: string;
  userId: string;
  sessionSecret: string;
  csrfToken: string;
  expiresAt: Date;
}

function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/**
 * Email and password in, a session out. Unknown email, wrong password, no password set and a
 * disabled user all get the same answer (and take as long); failures count per account and per
 * client address, and too many lock the key out for a while (423 for the account, 429 for the
 * address, both with Retry-After).
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly sessions: WebSessionRepository,
    private readonly throttle: SignInThrottleRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async signIn(email: string, password: string, client: SignInClient): Promise<NewSession> {
    const now = this.clock.now();
    const accountKey = `account:${email.trim().toLowerCase()}`;
    const addressKey = `ip:${client.address}`;
    const account = await this.uow.run(SIGN_IN, async () => {
      this.refuseLocked(await this.throttle.lockedUntil(addressKey, now), now, 'address');
      this.refuseLocked(await this.throttle.lockedUntil(accountKey, now), now, 'account');
      return this.users.findSignInAccount(email.trim());
    });
    // argon2 takes tens of milliseconds: outside any transaction
    const valid = (await this.hasher.verify(account?.passwordHash ?? null, password)) && !account?.disabledAt;

    if (!valid || !account) {
      const locks = await this.uow.run(SIGN_IN, async () => ({
        address: await this.throttle.recordFailure(addressKey, now, ADDRESS_THROTTLE),
        account: await this.throttle.recordFailure(accountKey, now, ACCOUNT_THROTTLE),
      }));
      this.refuseLocked(locks.address, now, 'address');
      this.refuseLocked(locks.account, now, 'account');
      throw new DomainError(ErrorCode.Unauthorized, 'The email address or the password is wrong.');
    }

    const sessionSecret = generateSecret();
    const csrfToken = generateSecret();
    const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
    const sessionId = await this.uow.run(SIGN_IN, async () => {
      await this.throttle.clear(accountKey);
      return this.sessions.insert({
        userId: account.id,
        sessionHash: hashSecret(sessionSecret),
        csrfHash: hashSecret(csrfToken),
        createdAt: now,
        expiresAt,
        clientAddress: client.address,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
      });
    });
    return { sessionId, userId: account.id, sessionSecret, csrfToken, expiresAt };
  }

  private refuseLocked(until: Date | null, now: Date, what: 'account' | 'address'): void {
    if (!until) return;
    const retryAfter = retryAfterSeconds(until, now);
    if (what === 'account') {
      throw new DomainError(
        ErrorCode.AccountLocked,
        'Too many failed sign-ins for this account; it is locked for a while.',
        { lockedUntil: until.toISOString(), retryAfterSeconds: retryAfter },
      );
    }
    throw new DomainError(
      ErrorCode.RateLimited,
      'Too many failed sign-ins from this address; try again later.',
      {
        lockedUntil: until.toISOString(),
        retryAfterSeconds: retryAfter,
      },
    );
  }
}
