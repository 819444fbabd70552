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

  /** The actor a bearer token stands for; null when it is unknown, expired, revoked or its user disabled. */
  async authenticate(secret: string): Promise<Credential | null> {
    const now = new Date();
    return this.uow.run(AUTHENTICATOR, async () => {
      const c = await this.tokens.findCredential(hashToken(secret));
      if (!c || c.revokedAt || c.userDisabledAt) return null;
      if (c.expiresAt && c.expiresAt.getTime() <= now.getTime()) return null;
      if (!(ROLES as readonly string[]).includes(c.role)) return null;
      if (!c.lastUsedAt || now.getTime() - c.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await this.tokens.touch(c.tokenId);
      }
      return {
        tokenId: c.tokenId,
        actor: {
          userId: c.userId,
          tokenName: c.tokenName,
          role: c.role,
          municipalityId: c.municipalityId,
          poolIds: c.role === 'coordinator' ? c.poolIds : [],
        },
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
  revoke(actor: Actor, tokenId: string): Promise<ApiTokenEntity> {
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
