import { createHash } from 'node:crypto';

/** Every queue and the jobs it carries. A job name belongs to exactly one queue. */
export enum QueueName {
  Maintenance = 'maintenance',
  Solver = 'solver',
  Notifications = 'notifications',
  Statements = 'statements',
  Webhooks = 'webhooks',
}

export enum JobName {
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
  RunSolver = 'run-solver',
  NotifyEvent = 'notify-event',
  SendNotification = 'send-notification',
  CheckInspections = 'check-inspections',
  IssueMonthlyStatements = 'issue-monthly-statements',
  FanOutWebhooks = 'fan-out-webhooks',
  DeliverWebhook = 'deliver-webhook',
}

export const JOBS_BY_QUEUE: Record<QueueName, readonly JobName[]> = {
  [QueueName.Maintenance]: [JobName.PurgeIdempotencyKeys],
  [QueueName.Solver]: [JobName.RunSolver],
  [QueueName.Notifications]: [JobName.NotifyEvent, JobName.SendNotification, JobName.CheckInspections],
  [QueueName.Statements]: [JobName.IssueMonthlyStatements],
  [QueueName.Webhooks]: [JobName.FanOutWebhooks, JobName.DeliverWebhook],
};

/** Payload type of each job. */
export interface JobPayloads {
  [JobName.PurgeIdempotencyKeys]: { olderThanHours: number };
  [JobName.RunSolver]: { runId: string };
  /** An outbox (booking_events) row to turn into notifications. */
  [JobName.NotifyEvent]: { eventId: string };
  /**
   * Notifications ledger rows to send, claimed together (the job id comes from their ids and
   * generations, so a re-queued row makes a new job). Jobs queued before sends were batched name
   * one row.
   */
  [JobName.SendNotification]: { notificationIds: string[] } | { notificationId: string; generation: number };
  [JobName.CheckInspections]: { withinDays: number };
  /** Last month (Europe/Berlin) at the time the job runs. */
  [JobName.IssueMonthlyStatements]: Record<string, never>;
  [JobName.FanOutWebhooks]: Record<string, never>;
  [JobName.DeliverWebhook]: { deliveryId: string };
}

export const ALL_QUEUES = Object.values(QueueName);

/**
 * Every worker's job locks: held 15 s without renewal, and dead workers' jobs looked for every
 * 15 s (BullMQ's defaults are 30 s each). A running job renews its lock every half of that, so only
 * the jobs of a worker that died lose theirs, and they run again within ~30 s instead of ~60 s.
 */
export const JOB_LOCKS = { lockDuration: 15_000, stalledInterval: 15_000 } as const;

export function queueOf(job: JobName): QueueName {
  for (const queue of ALL_QUEUES) {
    if (JOBS_BY_QUEUE[queue].includes(job)) return queue;
  }
  throw new Error(`Job ${job} belongs to no queue`);
}

/** Deterministic job ids make enqueueing idempotent: the same id is never queued twice (no ':' allowed). */
export const jobIds = {
  purgeIdempotencyKeys: (hourBucket: string) => `purge-idempotency-keys.${hourBucket}`,
  runSolver: (runId: string) => `run-solver.${runId}`,
  notifyEvent: (eventId: string) => `notify-event.${eventId}`,
  /** One row's job (as queued before sends were batched): the sweeper's guess for rows without a job_id. */
  sendNotification: (notificationId: string, generation: number) =>
    `send-notification.${notificationId}.${generation}`,
  /** The job of several rows: the same rows in the same generations make the same id. */
  sendNotifications: (rows: readonly { id: string; generation: number }[]) =>
    rows.length === 1
      ? `send-notification.${rows[0].id}.${rows[0].generation}`
      : `send-notifications.${createHash('sha256')
          .update(rows.map((r) => `${r.id}.${r.generation}`).join(','))
          .digest('hex')
          .slice(0, 32)}`,
  /** `retry` names a manual retry (a job of its own); without it, the delivery's first job. */
  deliverWebhook: (deliveryId: string, retry?: string) =>
    retry === undefined ? `deliver-webhook.${deliveryId}` : `deliver-webhook.${deliveryId}.retry-${retry}`,
};
