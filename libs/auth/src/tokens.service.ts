import { Injectable } from '@nestjs/common';
import { Actor, Conflict, DomainError, ErrorCode, NotFound, ROLES, SYSTEM_ACTOR } from '@allmende/core';
import { ApiTokenEntity, ApiTokenRepository, AuditLog, UnitOfWork, UserRepository } from '@allmende/database';
import { policies } from './policies';
import { generateToken, hashToken } from './tokens';

export const DEFAULT_TOKEN_LIFETIME_DAYS = 365;
export const MAX_TOKEN_LIFETIME_DAYS = 3650;
export const DEFAULT_TOKEN_NAME = 'default';
/** last_used_at is precise to this much: a write per token per minute, not per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * How long a token's credential is reused without asking the database. Revoking a token or
 * disabling a user in this process drops every cached credential at once; another process (a
 * second API replica, the CLI) sees the change within this time.
 */
export const CREDENTIAL_CACHE_MS = 5_000;
const CREDENTIAL_CACHE_SIZE = 10_000;

interface CachedCredential {
  credential: Credential;
  expiresAt: number | null;
  until: number;
}

/** Finds a token before anyone's tenant is known: it sees every token and does nothing else. */
const AUTHENTICATOR: Actor = { ...SYSTEM_ACTOR, tokenName: 'authentication' };

export interface TokenRequest {
  name?: string;
  expiresInDays?: number;
}

/** A freshly issued token: `secret` is shown once and exists nowhere else. */
export interface IssuedToken {
  token: ApiTokenEntity;
  secret: string;
}

/** Who a valid token speaks for. */
export interface Credential {
  tokenId: string;
  actor: Actor;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

export function tokenStatus(
  t: Pick<ApiTokenEntity, 'expiresAt' | 'revokedAt'>,
  now = new Date(),
): TokenStatus {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

@Injectable()
export class TokensService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tokens: ApiTokenRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
  ) {}

  private readonly cache = new Map<string, CachedCredential>();

  /** Forget every cached credential: a token was revoked or a user disabled. */
  forgetCredentials(): void {
    this.cache.clear();
  }

  /**
   * The actor a bearer token stands for; null when it is unknown, expired, revoked or its user
   * disabled. A valid credential is kept for CREDENTIAL_CACHE_MS (keyed by the token's hash), so a
   * client's burst of requests costs one lookup, not one per request.
   */
  async authenticate(secret: string): Promise<Credential | null> {
    const hash = hashToken(secret);
    const nowMs = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > nowMs && (hit.expiresAt === null || hit.expiresAt > nowMs)) return hit.credential;
    if (hit) this.cache.delete(hash);
    const credential = await this.lookUp(hash);
    if (credential) {
      if (this.cache.size >= CREDENTIAL_CACHE_SIZE) this.cache.clear();
      this.cache.set(hash, {
        credential: credential.credential,
        expiresAt: credential.expiresAt,
        until: nowMs + CREDENTIAL_CACHE_MS,
      });
    }
    return credential?.credential ?? null;
  }

  private lookUp(hash: string): Promise<{ credential: Credential; expiresAt: number | null } | null> {
    const now = new Date();
    return this.uow.run(AUTHENTICATOR, async () => {
      const c = await this.tokens.findCredential(hash);
      if (!c || c.revokedAt || c.userDisabledAt) return null;
      if (c.expiresAt && c.expiresAt.getTime() <= now.getTime()) return null;
      if (!(ROLES as readonly string[]).includes(c.role)) return null;
      if (!c.lastUsedAt || now.getTime() - c.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await this.tokens.touch(c.tokenId);
      }
      return {
        credential: {
          tokenId: c.tokenId,
          actor: {
            userId: c.userId,
            tokenName: c.tokenName,
            role: c.role,
            municipalityId: c.municipalityId,
            poolIds: c.role === 'coordinator' ? c.poolIds : [],
          },
        },
        expiresAt: c.expiresAt ? c.expiresAt.getTime() : null,
      };
    });
  }

  /** A new token for the user: by the user themself, or an admin. */
  issue(actor: Actor, userId: string, request: TokenRequest): Promise<IssuedToken> {
    return this.uow.run(actor, async () => {
      await this.assertManages(actor, userId);
      return this.issueWithin(actor, userId, request);
    });
  }

  /** Issues inside the running unit of work; the caller has checked the reach. */
  async issueWithin(actor: Actor, userId: string, request: TokenRequest): Promise<IssuedToken> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFound('User', userId);
    if (user.disabledAt) throw new Conflict('The user is disabled; enable it before issuing tokens.');
    const days = request.expiresInDays ?? DEFAULT_TOKEN_LIFETIME_DAYS;
    const secret = generateToken();
    const token = await this.tokens.insert({
      userId,
      name: request.name ?? DEFAULT_TOKEN_NAME,
      tokenHash: hashToken(secret),
      expiresAt: new Date(Date.now() + days * DAY_MS),
    });
    await this.audit.record(actor, {
      action: 'token.issued',
      entityType: 'api_token',
      entityId: token.id,
      municipalityId: user.municipalityId,
      after: { userId, name: token.name, expiresAt: token.expiresAt },
    });
    return { token, secret };
  }

  list(actor: Actor, userId: string): Promise<ApiTokenEntity[]> {
    return this.uow.run(actor, async () => {
      await this.assertManages(actor, userId);
      return this.tokens.listByUser(userId);
    });
  }

  /** Revoking twice is harmless: the first revocation time stays. */
  async revoke(actor: Actor, tokenId: string): Promise<ApiTokenEntity> {
    const revoked = await this.revokeWithin(actor, tokenId);
    // After the commit: a lookup racing the revocation cannot cache the token again.
    this.forgetCredentials();
    return revoked;
  }

  private revokeWithin(actor: Actor, tokenId: string): Promise<ApiTokenEntity> {
    return this.uow.run(actor, async () => {
      const token = await this.tokens.findById(tokenId);
      if (!token || !policies.managesTokensOf(actor, token.userId)) throw new NotFound('Token', tokenId);
      if (!token.revokedAt) {
        await this.tokens.revoke(tokenId, new Date());
        const user = await this.users.findById(token.userId);
        await this.audit.record(actor, {
          action: 'token.revoked',
          entityType: 'api_token',
          entityId: tokenId,
          municipalityId: user?.municipalityId ?? null,
          before: { name: token.name, revokedAt: null },
          after: { name: token.name, revokedAt: new Date() },
        });
      }
      return (await this.tokens.findById(tokenId)) ?? token;
    });
  }

  /** 404 for a user the actor cannot see, 403 for one it sees but whose tokens are not its own. */
  private async assertManages(actor: Actor, userId: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (user && policies.managesTokensOf(actor, userId)) return;
    const coordinated = await this.users.memberMunicipalityIds(
      actor.role === 'coordinator' ? actor.poolIds : [],
    );
    if (!user || !policies.seesUser(actor, user, coordinated)) throw new NotFound('User', userId);
    throw new DomainError(ErrorCode.Forbidden, 'Only the user themself or an admin may manage its tokens.');
  }
}
