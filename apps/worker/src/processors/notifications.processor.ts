import { Processor } from '@nestjs/bullmq';
import { metrics } from '@allmende/config';
import {
  EventFanout,
  InspectionWatch,
  NotificationSender,
  SendInFlightElsewhere,
  SMTP_POOL_CONNECTIONS,
} from '@allmende/notifications';
import { JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

/**
 * Sends are I/O-bound (a claim and a mark in PostgreSQL, the SMTP exchange, the queue): twice as
 * many in flight as the process has SMTP connections, beside WORKER_CONCURRENCY's slots (which
 * the fan-out and the inspection check take), so that while one send waits on the database or
 * the queue another keeps its connection busy. A message the server has accepted but the ledger
 * not yet marked is sent again if the worker dies right then: with 32 in flight the marks queued
 * behind the claims for database connections and a SIGKILL under load left 21 of 300 reminders
 * twice, so the marks now have connections of their own (NotificationRepository.markSent).
 */
export const NOTIFICATION_CONCURRENCY = 2 * SMTP_POOL_CONNECTIONS;

@Processor(QueueName.Notifications, { concurrency: NOTIFICATION_CONCURRENCY })
export class NotificationsProcessor extends JobDispatcher {
  readonly queue = QueueName.Notifications;
  protected override readonly unslotted: ReadonlySet<JobName> = new Set([JobName.SendNotification]);
  protected override readonly minConcurrency = NOTIFICATION_CONCURRENCY;

  constructor(
    private readonly fanout: EventFanout,
    private readonly sender: NotificationSender,
    private readonly inspections: InspectionWatch,
  ) {
    super();
  }

  readonly handlers: JobHandlers<JobName.NotifyEvent | JobName.SendNotification | JobName.CheckInspections> =
    {
      [JobName.NotifyEvent]: ({ eventId }) => this.fanout.handle(eventId),
      [JobName.SendNotification]: async ({ notificationId }, job) => {
        try {
          const outcome = await this.sender.send(
            notificationId,
            job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          );
          if (outcome === 'sent') metrics.emailsSent.inc();
          return outcome;
        } catch (e) {
          if (!(e instanceof SendInFlightElsewhere)) metrics.emailsFailed.inc();
          throw e;
        }
      },
      [JobName.CheckInspections]: ({ withinDays }) => this.inspections.check(withinDays),
    };
}
