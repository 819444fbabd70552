import { Processor } from '@nestjs/bullmq';
import { EventFanout, InspectionWatch, NotificationSender } from '@allmende/notifications';
import { JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

/**
 * Sends are I/O-bound (SMTP round trips): many at once per worker, beside WORKER_CONCURRENCY's
 * slots (which the fan-out and the inspection check take), so that a burst of due reminders keeps
 * every SMTP connection busy. With 4 in flight per worker (the slots' default), each connection
 * waited on the database and the queue between messages.
 */
export const NOTIFICATION_CONCURRENCY = 32;

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
      [JobName.SendNotification]: ({ notificationId }, job) =>
        this.sender.send(notificationId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
      [JobName.CheckInspections]: ({ withinDays }) => this.inspections.check(withinDays),
    };
}
