/** Every queue and the jobs it carries. A job name belongs to exactly one queue. */
export enum QueueName {
  Maintenance = 'maintenance',
  Solver = 'solver',
  Notifications = 'notifications',
  Webhooks = 'webhooks',
}

export enum JobName {
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
  RunSolver = 'run-solver',
  NotifyEvent = 'notify-event',
  SendNotification = 'send-notification',
  CheckInspections = 'check-inspections',
  FanOutWebhooks = 'fan-out-webhooks',
  DeliverWebhook = 'deliver-webhook',
}

export const JOBS_BY_QUEUE: Record<QueueName, readonly JobName[]> = {
  [QueueName.Maintenance]: [JobName.PurgeIdempotencyKeys],
  [QueueName.Solver]: [JobName.RunSolver],
  [QueueName.Notifications]: [JobName.NotifyEvent, JobName.SendNotification, JobName.CheckInspections],
  [QueueName.Webhooks]: [JobName.FanOutWebhooks, JobName.DeliverWebhook],
};

/** Payload type of each job. */
export interface JobPayloads {
  [JobName.PurgeIdempotencyKeys]: { olderThanHours: number };
  [JobName.RunSolver]: { runId: string };
  /** An outbox (booking_events) row to turn into notifications. */
  [JobName.NotifyEvent]: { eventId: string };
  /** A notifications ledger row to send; `generation` makes a re-queued row a new job. */
  [JobName.SendNotification]: { notificationId: string; generation: number };
  [JobName.CheckInspections]: { withinDays: number };
  [JobName.FanOutWebhooks]: Record<string, never>;
  [JobName.DeliverWebhook]: { deliveryId: string };
}

export const ALL_QUEUES = Object.values(QueueName);

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
  sendNotification: (notificationId: string, generation: number) =>
    `send-notification.${notificationId}.${generation}`,
  /** `retry` names a manual retry (a job of its own); without it, the delivery's first job. */
  deliverWebhook: (deliveryId: string, retry?: string) =>
    retry === undefined ? `deliver-webhook.${deliveryId}` : `deliver-webhook.${deliveryId}.retry-${retry}`,
};
