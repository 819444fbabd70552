import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { QueuedNotification } from '@allmende/database';
import { JobName, jobIds, QueueName } from '@allmende/queue';

/** Tries per send before the ledger row is marked failed (exponential backoff from 2 s). */
export const SEND_ATTEMPTS = 5;

/** A queue that does not answer in time (Redis away) fails the call instead of hanging. */
const ENQUEUE_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: the queue did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A job in one of these states will still run. */
const LIVE_STATES = new Set<string>(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Puts notification work on the queue, with the deterministic job ids that make it idempotent. */
@Injectable()
export class NotificationQueue {
  constructor(@InjectQueue(QueueName.Notifications) private readonly queue: Queue) {}

  async events(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await withTimeout(
      this.queue.addBulk(
        eventIds.map((eventId) => ({
          name: JobName.NotifyEvent,
          data: { eventId },
          opts: {
            jobId: jobIds.notifyEvent(eventId),
            attempts: 8,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: 1000,
            removeOnFail: 5000,
          },
        })),
      ),
      ENQUEUE_TIMEOUT_MS,
      'enqueue events',
    );
  }

  /**
   * The rows whose send job is no longer live in the queue (gone with a flushed Redis, or failed
   * or finished while the row still waits): only those need a new job. A row waiting its turn in
   * a backlog has its job waiting; queueing it again would only add work.
   */
  async withoutLiveJob(rows: QueuedNotification[]): Promise<QueuedNotification[]> {
    if (rows.length === 0) return [];
    const states = await withTimeout(
      Promise.all(rows.map((r) => this.queue.getJobState(jobIds.sendNotification(r.id, r.generation)))),
      ENQUEUE_TIMEOUT_MS,
      'job states',
    );
    return rows.filter((_, i) => !LIVE_STATES.has(states[i]));
  }

  async sends(rows: QueuedNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await withTimeout(
      this.queue.addBulk(
        rows.map((r) => ({
          name: JobName.SendNotification,
          data: { notificationId: r.id, generation: r.generation },
          opts: {
            jobId: jobIds.sendNotification(r.id, r.generation),
            attempts: SEND_ATTEMPTS,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: 1000,
            removeOnFail: 5000,
          },
        })),
      ),
      ENQUEUE_TIMEOUT_MS,
      'enqueue sends',
    );
  }
}
