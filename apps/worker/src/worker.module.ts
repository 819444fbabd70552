import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { WorkerMetricsServer } from './worker-metrics.server';
import { AppConfig, APP_CONFIG, ConfigModule, loggerModule } from '@allmende/config';
import { DatabaseModule } from '@allmende/database';
import { AppRuntime, JobName, QueueModule, QueueName } from '@allmende/queue';

import { checkJobHandlers } from './handler-check';
import { JobDispatcher } from './job-dispatcher';
import { JobSlots } from './job-slots';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { SolverProcessor } from './processors/solver.processor';
import { WebhooksProcessor } from './processors/webhooks.processor';
import { WebhooksModule } from '@allmende/notifications';
import { PlanningModule } from '@allmende/planning';
import {
  INSPECTION_NOTICE_DAYS,
  NotificationsWorkerModule,
  StatementDocuments,
} from '@allmende/notifications';
import { NotificationsProcessor } from './processors/notifications.processor';
import { CostSharingModule, StatementDocumentsModule, ZONE as BERLIN } from '@allmende/cost-sharing';
import { StatementAttachments } from './statement-attachments';
import { StatementsProcessor } from './processors/statements.processor';

export type WorkerRuntime = AppRuntime & {
  /** The statement renderer for statement emails (PDF, XLSX); without it they carry a link. */
  statementDocuments?: StatementDocuments;
};

/** Checks the handler table and schedules the recurring jobs before any job runs. */
class WorkerStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');

  constructor(
    private readonly discovery: DiscoveryService,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    @InjectQueue(QueueName.Notifications) private readonly notifications: Queue,
    @InjectQueue(QueueName.Statements) private readonly statements: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const processors = this.discovery
      .getProviders()
      .map((w) => w.instance as unknown)
      .filter((i): i is JobDispatcher => i instanceof JobDispatcher);
    const dispatchers = processors.map((d) => ({ queue: d.queue, jobs: Object.keys(d.handlers) }));
    const problems = checkJobHandlers(dispatchers);
    if (problems.length > 0) throw new Error(`Worker job handlers are wrong: ${problems.join('; ')}`);
    const slots = new JobSlots(this.config.workerConcurrency);
    for (const p of processors) p.useSlots(slots);
    await this.maintenance.upsertJobScheduler(
      'purge-idempotency-keys-hourly',
      { every: 3_600_000 },
      { name: JobName.PurgeIdempotencyKeys, data: { olderThanHours: 24 } },
    );
    await this.notifications.upsertJobScheduler(
      'check-inspections-hourly',
      { every: 3_600_000 },
      { name: JobName.CheckInspections, data: { withinDays: INSPECTION_NOTICE_DAYS } },
    );
    // Last month's statements, on the 1st at 06:00 Berlin time; the database refuses a second issue.
    await this.statements.upsertJobScheduler(
      'issue-monthly-statements',
      { pattern: '0 6 1 * *', tz: BERLIN },
      { name: JobName.IssueMonthlyStatements, data: {} },
    );
    this.logger.log({ concurrency: this.config.workerConcurrency }, 'worker ready');
  }
}

@Module({})
export class WorkerModule {
  static forRoot(runtime: WorkerRuntime): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(runtime.config, runtime.clock),
        loggerModule(runtime.config.logLevel),
        DiscoveryModule,
        DatabaseModule.forRoot({
          url: runtime.databaseUrl,
          poolSize: runtime.databasePoolSize,
          preparedStatements: runtime.preparedStatements ?? false,
          applicationName: 'allmende-worker',
        }),
        QueueModule.forRoot(runtime.queueConnection, runtime.queuePrefix),
        PlanningModule,
        NotificationsWorkerModule.forRoot({
          statementDocuments: runtime.statementDocuments,
          statementDocumentsFrom: {
            imports: [CostSharingModule, StatementDocumentsModule],
            useClass: StatementAttachments,
          },
        }),
        CostSharingModule,
        WebhooksModule,
      ],
      providers: [
        MaintenanceProcessor,
        SolverProcessor,
        NotificationsProcessor,
        StatementsProcessor,
        WebhooksProcessor,
        WorkerStartup,
        WorkerMetricsServer,
      ],
    };
  }
}
