import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import { DomainError, ErrorCode } from '@allmende/core';
import { IS_PUBLIC } from './public.decorator';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Deny by default: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new DomainError(ErrorCode.Unauthorized, 'A bearer token is required.');
    const admin = this.config.adminToken;
    if (admin && sameSecret(match[1], admin)) {
      request.principal = {
        id: 'admin',
        userId: null,
        tokenName: 'ALLMENDE_ADMIN_TOKEN',
        role: 'admin',
        municipalityId: null,
        poolIds: [],
      };
      return true;
    }
    throw new DomainError(ErrorCode.Unauthorized, 'The token is unknown, expired or revoked.');
  }
}
