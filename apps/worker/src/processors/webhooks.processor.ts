import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import { WebhookDeliveryService, WebhookFanoutService } from '@allmende/notifications';
import { JOB_LOCKS, JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

/** How often the fan-out looks for new outbox events. */
export const WEBHOOK_FANOUT_EVERY_MS = 5000;

/** The delay BullMQ's exponential backoff waits before the try after `attemptsMade` failures. */
function retryDelay(job: Job, attemptsMade: number): number | null {
  const attempts = job.opts.attempts ?? 1;
  if (attemptsMade + 1 >= attempts) return null;
  const backoff = job.opts.backoff;
  const base = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 0);
  return base * 2 ** attemptsMade;
}

/** Webhooks: the periodic fan-out of outbox events into deliveries, and each delivery's tries. */
@Processor(QueueName.Webhooks, { ...JOB_LOCKS })
export class WebhooksProcessor extends JobDispatcher implements OnApplicationBootstrap {
  readonly queue = QueueName.Webhooks;

  constructor(
    private readonly fanout: WebhookFanoutService,
    private readonly delivery: WebhookDeliveryService,
    @InjectQueue(QueueName.Webhooks) private readonly webhooks: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  readonly handlers: JobHandlers<JobName.FanOutWebhooks | JobName.DeliverWebhook> = {
    [JobName.FanOutWebhooks]: () => this.fanout.fanOut(),
    [JobName.DeliverWebhook]: async ({ deliveryId }, job) => {
      const attemptsMade = job.attemptsMade;
      const retryInMs = retryDelay(job, attemptsMade);
      const outcome = await this.delivery.attempt(deliveryId, {
        number: attemptsMade + 1,
        last: retryInMs === null,
        retryInMs,
      });
      return { deliveryId, outcome };
    },
  };

  async onApplicationBootstrap(): Promise<void> {
    // Deliveries wait on other servers (up to 10 s each): several at once, as configured.
    this.worker.concurrency = this.config.workerConcurrency;
    await this.webhooks.upsertJobScheduler(
      'fan-out-webhooks',
      { every: WEBHOOK_FANOUT_EVERY_MS },
      { name: JobName.FanOutWebhooks, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
