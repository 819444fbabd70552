import { DynamicModule, Module, Type } from '@nestjs/common';
import { STATEMENT_DOCUMENTS, StatementDocuments } from './statement-documents';
import { PoolsModule } from '@allmende/pools';
import { EventFanout } from './event-fanout.service';
import { EventPlanner } from './event-planner';
import { InspectionWatch } from './inspection-watch.service';
import { Mailer } from './mail/mailer';
import { NotificationAdminService } from './notification-admin.service';
import { NotificationPreferencesService } from './notification-preferences.service';
import { NotificationQueue } from './notification-queue';
import { NotificationSender } from './notification-sender.service';
import { NotificationSweeper } from './notification-sweeper.service';
import { OutboxRelay } from './outbox-relay.service';
import { PoolNotificationSettingsService } from './pool-notification-settings.service';
import { ReminderClaimer } from './reminder-claimer.service';
import { ReminderPlanner } from './reminder-planner';

/** What the API needs: preferences, pool reminder settings, the admin's ledger. */
@Module({
  imports: [PoolsModule],
  providers: [
    NotificationQueue,
    NotificationPreferencesService,
    NotificationAdminService,
    PoolNotificationSettingsService,
  ],
  exports: [NotificationPreferencesService, NotificationAdminService, PoolNotificationSettingsService],
})
export class NotificationsModule {}

/**
 * The worker's side: planning and sending, and the loops that run only there (outbox relay,
 * reminder claimer, sweeper). The statement renderer is bound by whoever imports this, under
 * STATEMENT_DOCUMENTS; without it statement emails carry a link instead of attachments.
 */
const WORKER_PROVIDERS = [
  NotificationQueue,
  Mailer,
  EventPlanner,
  ReminderPlanner,
  EventFanout,
  NotificationSender,
  InspectionWatch,
  OutboxRelay,
  ReminderClaimer,
  NotificationSweeper,
];

@Module({})
export class NotificationsWorkerModule {
  /**
   * `statementDocuments` binds a ready instance (tests); `statementDocumentsFrom` a class built by
   * Nest with the modules it needs (the worker: the cost-sharing engine and its renderer).
   */
  static forRoot(
    options: {
      statementDocuments?: StatementDocuments;
      statementDocumentsFrom?: { imports: Type<unknown>[]; useClass: Type<StatementDocuments> };
    } = {},
  ): DynamicModule {
    const documents = options.statementDocuments
      ? [{ provide: STATEMENT_DOCUMENTS, useValue: options.statementDocuments }]
      : options.statementDocumentsFrom
        ? [{ provide: STATEMENT_DOCUMENTS, useClass: options.statementDocumentsFrom.useClass }]
        : [];
    return {
      module: NotificationsWorkerModule,
      imports: options.statementDocuments ? [] : (options.statementDocumentsFrom?.imports ?? []),
      providers: [...WORKER_PROVIDERS, ...documents],
      exports: [
        EventFanout,
        NotificationSender,
        InspectionWatch,
        Mailer,
        OutboxRelay,
        ReminderClaimer,
        NotificationSweeper,
      ],
    };
  }
}
