import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Permission, roleHas } from '@allmende/auth';
import { DomainError, ErrorCode } from '@allmende/core';
import { CREDENTIAL_RESOLVERS, CredentialResolver } from './credential-resolver';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_PERMISSION } from './require-permission.decorator';
import type { Principal } from './principal';

/**
 * Authentication and authorization in one place, deny by default: a route is open only when it
 * is @Public(); every other route needs a valid credential AND declares the permission it needs
 * (@RequirePermission), which the caller's role must have. Reach (own municipality, own pools)
 * is for the domain services' policies and, beneath them, row-level security.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CREDENTIAL_RESOLVERS) private readonly resolvers: CredentialResolver[],
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    if (!permission) {
      throw new DomainError(ErrorCode.Forbidden, 'This endpoint declares no permission, so it is closed.');
    }
    if (!roleHas(principal.role, permission)) {
      throw new DomainError(ErrorCode.Forbidden, `The role ${principal.role} may not do this.`, {
        requiredPermission: permission,
      });
    }
    return true;
  }

  private async authenticate(request: FastifyRequest): Promise<Principal> {
    for (const resolver of this.resolvers) {
      const principal = await resolver.resolve(request);
      if (principal) return principal;
    }
    throw new DomainError(ErrorCode.Unauthorized, 'A bearer token or a session (sign in) is required.');
  }
}
