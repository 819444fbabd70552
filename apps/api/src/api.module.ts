import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule, loggerModule } from '@allmende/config';
import { DatabaseModule } from '@allmende/database';
import { PoolsModule } from '@allmende/pools';
import { AppRuntime, QueueModule } from '@allmende/queue';
import { AuthGuard } from './auth/auth.guard';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';

import { HealthController } from './health/health.controller';
import { MunicipalitiesController } from './municipalities/municipalities.controller';
import { ProblemDetailsFilter } from './problem/problem-details.filter';

export type ApiRuntime = AppRuntime;

@Module({})
export class ApiModule {
  static forRoot(runtime: ApiRuntime): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(runtime.config),
        loggerModule(runtime.config.logLevel, 'api'),
        DatabaseModule.forRoot({
          url: runtime.databaseUrl,
          poolSize: runtime.databasePoolSize,
          applicationName: 'allmende-api',
        }),
        QueueModule.forRoot(runtime.queueConnection, runtime.queuePrefix),
        TerminusModule.forRoot({ logger: false }),
        PoolsModule,
      ],
      controllers: [HealthController, MunicipalitiesController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
