import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule, loggerModule } from '@allmende/config';
import { DatabaseModule } from '@allmende/database';
import { BookingsModule } from '@allmende/bookings';
import { FinanceReportsModule } from '@allmende/cost-sharing';
import { PlanningModule } from '@allmende/planning';
import { PoolsModule } from '@allmende/pools';
import {
  CostSharingModule,
  STATEMENT_RENDERER,
  StatementDocumentsModule,
  StatementRenderer,
} from '@allmende/cost-sharing';
import { AppRuntime, QueueModule } from '@allmende/queue';
import { FeedsModule, WebhooksModule } from '@allmende/notifications';
import type { RedisOptions } from 'ioredis';
import { AccessModule } from './auth/access.module';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';

import { HealthController } from './health/health.controller';
import { MunicipalitiesController } from './municipalities/municipalities.controller';
import { PoolsController } from './pools/pools.controller';
import { ResourcesController } from './resources/resources.controller';
import { BookingsController } from './bookings/bookings.controller';
import { AvailabilityController } from './availability/availability.controller';
import { WaitlistController } from './waitlist/waitlist.controller';
import { PlanningController } from './planning/planning.controller';
import { ReportsController } from './reports/reports.controller';
import { ProblemDetailsFilter } from './problem/problem-details.filter';
import { MeController } from './users/me.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { TokensController } from './users/tokens.controller';
import { UsersController } from './users/users.controller';
import { NotificationsModule } from '@allmende/notifications';
import { NotificationPreferencesController } from './notifications/notification-preferences.controller';
import {
  NotificationsController,
  PoolNotificationSettingsController,
} from './notifications/notifications.controller';
import { StatementsController } from './statements/statements.controller';
import { StatementFiles } from './statements/statement-files';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarFeedsController } from './calendar/calendar-feeds.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

export type ApiRuntime = AppRuntime;

/** The Redis the queues use, if they use Redis (REDIS_URL); undefined on the PostgreSQL backend. */
function redisOptionsOf(connection: AppRuntime['queueConnection']): RedisOptions | undefined {
  const c = connection as { host?: unknown };
  return typeof c.host === 'string' ? (connection as RedisOptions) : undefined;
}

@Module({})
export class ApiModule {
  static forRoot(runtime: ApiRuntime): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(runtime.config, runtime.clock),
        loggerModule(runtime.config.logLevel),
        DatabaseModule.forRoot({
          url: runtime.databaseUrl,
          poolSize: runtime.databasePoolSize,
          preparedStatements: runtime.preparedStatements ?? false,
          applicationName: 'allmende-api',
        }),
        QueueModule.forRoot(runtime.queueConnection, runtime.queuePrefix),
        TerminusModule.forRoot({ logger: false }),
        PoolsModule,
        BookingsModule,
        PlanningModule,
        NotificationsModule,
        CostSharingModule,
        StatementDocumentsModule,
        FeedsModule,
        WebhooksModule,
        FinanceReportsModule,
        AccessModule.forRoot({
          rateLimitPerMinute: runtime.config.rateLimitPerMinute,
          redis: redisOptionsOf(runtime.queueConnection),
          redisPrefix: runtime.queuePrefix,
        }),
      ],
      controllers: [
        HealthController,
        MunicipalitiesController,
        PoolsController,
        ResourcesController,
        BookingsController,
        AvailabilityController,
        WaitlistController,
        PlanningController,
        ReportsController,
        UsersController,
        TokensController,
        MeController,
        SignInController,
        NotificationPreferencesController,
        NotificationsController,
        PoolNotificationSettingsController,
        StatementsController,
        CalendarController,
        CalendarFeedsController,
        WebhooksController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        StatementFiles,
        { provide: STATEMENT_RENDERER, useExisting: StatementRenderer },
      ],
    };
  }
}
