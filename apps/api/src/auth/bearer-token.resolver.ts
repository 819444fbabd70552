import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { TokensService } from '@allmende/auth';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import { DomainError, ErrorCode } from '@allmende/core';
import type { CredentialResolver } from './credential-resolver';
import type { Principal } from './principal';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Longer than any token we issue; anything longer is not worth a database lookup. */
const MAX_TOKEN_LENGTH = 512;

/** `Authorization: Bearer <token>`: ALLMENDE_ADMIN_TOKEN, or an API token from api_tokens. */
@Injectable()
export class BearerTokenResolver implements CredentialResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: TokensService,
  ) {}

  async resolve(request: FastifyRequest): Promise<Principal | undefined> {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) {
      throw new DomainError(ErrorCode.Unauthorized, 'The Authorization header must be "Bearer <token>".');
    }
    const secret = match[1];
    const admin = this.config.adminToken;
    if (admin && sameSecret(secret, admin)) {
      return {
        id: 'admin',
        credentialId: 'admin-token',
        userId: null,
        tokenName: 'ALLMENDE_ADMIN_TOKEN',
        role: 'admin',
        municipalityId: null,
        poolIds: [],
      };
    }
    const credential = secret.length <= MAX_TOKEN_LENGTH ? await this.tokens.authenticate(secret) : null;
    if (!credential) {
      throw new DomainError(ErrorCode.Unauthorized, 'The token is unknown, expired or revoked.');
    }
    return {
      ...credential.actor,
      id: `user:${credential.actor.userId}`,
      credentialId: `token:${credential.tokenId}`,
    };
  }
}
