import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Actor, DomainError, ErrorCode } from '@allmende/core';

/** The authenticated caller, as the auth guard resolved it. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  if (!request.principal) throw new DomainError(ErrorCode.Unauthorized, 'A bearer token is required.');
  return request.principal;
});
