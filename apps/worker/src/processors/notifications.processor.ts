import { Processor } from '@nestjs/bullmq';
import { metrics } from '@allmende/config';
import {
  EventFanout,
  InspectionWatch,
  NotificationSender,
  SendInFlightElsewhere,
} from '@allmende/notifications';
import { JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

/** Sends are I/O-bound (SMTP round trips): many at once per worker. */
export const NOTIFICATION_CONCURRENCY = 16;

@Processor(QueueName.Notifications, { concurrency: NOTIFICATION_CONCURRENCY })
export class NotificationsProcessor extends JobDispatcher {
  readonly queue = QueueName.Notifications;

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
