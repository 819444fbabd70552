import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { languageOf, type Language } from '@allmende/planning';

/** The language of texts in the response: `Accept-Language` (de by default, en). */
export const Lang = createParamDecorator((_: unknown, ctx: ExecutionContext): Language =>
  languageOf(ctx.switchToHttp().getRequest<FastifyRequest>().headers['accept-language']),
);
