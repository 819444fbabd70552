import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from '@allmende/auth';
import { AuthGuard } from './auth.guard';
import { BearerTokenResolver } from './bearer-token.resolver';
import { CREDENTIAL_RESOLVERS, CredentialResolver } from './credential-resolver';
import { RateLimitGuard } from './rate-limit.guard';
import { MemoryRateLimitStorage, RedisRateLimitStorage } from './rate-limit.storage';
import type { RedisOptions } from 'ioredis';
import { SessionCookieResolver } from './session-cookie.resolver';
import { RouteDeclarationCheck, RouteDeclarations } from './route-declarations';

const MINUTE_MS = 60_000;

/**
 * Who may call what: credential resolvers, the auth guard (then the rate limit, which needs the
 * credential the auth guard found: global guards run in this order), the boot-time route check.
 */
@Module({})
export class AccessModule {
  /** `redis`: where the rate-limit counters are shared (with REDIS_URL); else they live in this process. */
  static forRoot(options: {
    rateLimitPerMinute: number;
    redis?: RedisOptions;
    redisPrefix?: string;
  }): DynamicModule {
    const storage = options.redis
      ? new RedisRateLimitStorage(options.redis, `${options.redisPrefix ?? 'allmende'}:rate-limit:`)
      : new MemoryRateLimitStorage();
    return {
      module: AccessModule,
      imports: [
        AuthModule,
        DiscoveryModule,
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: MINUTE_MS, limit: options.rateLimitPerMinute }],
          storage,
        }),
      ],
      providers: [
        BearerTokenResolver,
        SessionCookieResolver,
        {
          // An Authorization header wins over a session cookie (and needs no CSRF token).
          provide: CREDENTIAL_RESOLVERS,
          useFactory: (bearer: BearerTokenResolver, session: SessionCookieResolver): CredentialResolver[] => [
            bearer,
            session,
          ],
          inject: [BearerTokenResolver, SessionCookieResolver],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        RouteDeclarations,
        RouteDeclarationCheck,
        { provide: 'RATE_LIMIT_STORAGE', useValue: storage },
      ],
      exports: [AuthModule, RouteDeclarations],
    };
  }
}
