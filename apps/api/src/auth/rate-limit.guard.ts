import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';

/**
 * ALLMENDE_RATE_LIMIT requests per minute per credential (API token, admin token), across all
 * routes; over it, 429 with Retry-After. Runs after the auth guard, which names the credential;
 * public routes (health) are not counted. Counters live in this process.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(context.switchToHttp().getRequest<FastifyRequest>().principal === undefined);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve((req as unknown as FastifyRequest).principal?.credentialId ?? 'anonymous');
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }
}
