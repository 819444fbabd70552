import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { IdempotencyRepository } from '@allmende/database';
import { JOB_LOCKS, JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

@Processor(QueueName.Maintenance, { ...JOB_LOCKS })
export class MaintenanceProcessor extends JobDispatcher {
  readonly queue = QueueName.Maintenance;
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly idempotencyKeys: IdempotencyRepository) {
    super();
  }

  readonly handlers: JobHandlers<JobName.PurgeIdempotencyKeys> = {
    [JobName.PurgeIdempotencyKeys]: async ({ olderThanHours }) => {
      const purged = await this.idempotencyKeys.purgeOlderThan(olderThanHours);
      this.logger.log({ purged, olderThanHours }, 'purged idempotency keys');
      return { purged };
    },
  };
}
