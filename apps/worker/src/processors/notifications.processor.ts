import { Processor } from '@nestjs/bullmq';
import { metrics } from '@allmende/config';
import {
  EventFanout,
  InspectionWatch,
  NotificationSender,
  SendInFlightElsewhere,
} from '@allmende/notifications';
import { JOB_LOCKS, JobName, QueueName } from '@allmende/queue';
import { JobDispatcher, JobHandlers } from '../job-dispatcher';

/**
 * Send jobs carry SEND_BATCH rows each and wait mostly on the SMTP server; the Mailer lets twice
 * as many messages at the server as it has connections and holds the rest. Four jobs at once keep
 * the connections busy while a job is claimed or fetched, beside WORKER_CONCURRENCY's slots (which
 * the fan-out and the inspection check take). Every claimed row waits at most for the messages
 * ahead of it in the process (4 × SEND_BATCH); one whose turn comes after half its lease is handed
 * back unsent. The sent-marks have connections of their own (NotificationRepository.markSent): a
 * message the server has accepted but the ledger not yet marked is sent again if the worker dies
 * right then.
 */
export const NOTIFICATION_CONCURRENCY = 4;

@Processor(QueueName.Notifications, { ...JOB_LOCKS, concurrency: NOTIFICATION_CONCURRENCY })
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
      [JobName.SendNotification]: async (payload, job) => {
        const ids = 'notificationIds' in payload ? payload.notificationIds : [payload.notificationId];
        const outcome = await this.sender.sendMany(ids, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
        metrics.emailsSent.inc(outcome.sent);
        metrics.emailsFailed.inc(outcome.failures.length);
        // The job runs again (with backoff) for the rows not sent; the sent ones are skipped then.
        if (outcome.failures.length > 0) throw outcome.failures[0];
        if (outcome.inFlightElsewhere > 0)
          throw new SendInFlightElsewhere(
            `${outcome.inFlightElsewhere} of the job's notifications are being sent`,
          );
        return { sent: outcome.sent, skipped: outcome.skipped };
      },
      [JobName.CheckInspections]: ({ withinDays }) => this.inspections.check(withinDays),
    };
}
