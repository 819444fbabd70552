/** Every queue and the jobs it carries. A job name belongs to exactly one queue. */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
}

export const JOBS_BY_QUEUE: Record<QueueName, readonly JobName[]> = {
  [QueueName.Maintenance]: [JobName.PurgeIdempotencyKeys],
};

/** Payload type of each job. */
export interface JobPayloads {
  [JobName.PurgeIdempotencyKeys]: { olderThanHours: number };
}

export const ALL_QUEUES = Object.values(QueueName);

export function queueOf(job: JobName): QueueName {
  for (const queue of ALL_QUEUES) {
    if (JOBS_BY_QUEUE[queue].includes(job)) return queue;
  }
  throw new Error(`Job ${job} belongs to no queue`);
}

/** Deterministic job ids make enqueueing idempotent: the same id is never queued twice. */
export const jobIds = {
  purgeIdempotencyKeys: (hourBucket: string) => `purge-idempotency-keys:${hourBucket}`,
};
