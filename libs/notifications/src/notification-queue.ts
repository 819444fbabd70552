import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { NotificationRepository, QueuedNotification } from '@allmende/database';
import { JobName, jobIds, QueueName } from '@allmende/queue';

/** Tries per send before the ledger row is marked failed (exponential backoff from 2 s). */
export const SEND_ATTEMPTS = 5;

/**
 * Ledger rows per send job. One claim statement, one queue job and a few sent-marks serve them
 * all; the rows are sent side by side over the process's SMTP connections.
 */
export const SEND_BATCH = 10;

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
  constructor(
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
    private readonly ledger: NotificationRepository,
  ) {}

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
  async withoutLiveJob<R extends QueuedNotification & { jobId: string | null }>(rows: R[]): Promise<R[]> {
    if (rows.length === 0) return [];
    const jobOf = (r: R) => r.jobId ?? jobIds.sendNotification(r.id, r.generation);
    const jobs = [...new Set(rows.map(jobOf))];
    const states = await withTimeout(
      Promise.all(jobs.map((id) => this.queue.getJobState(id))),
      ENQUEUE_TIMEOUT_MS,
      'job states',
    );
    const live = new Set(jobs.filter((_, i) => LIVE_STATES.has(states[i])));
    return rows.filter((r) => !live.has(jobOf(r)));
  }

  /**
   * Queues the sends, SEND_BATCH rows a job (claimed together by one worker), and notes each row's
   * job in the ledger first, so that the sweeper can tell a row whose job waits from one whose job
   * is lost. A failed enqueue leaves the rows pending; the sweeper queues them again.
   */
  async sends(rows: QueuedNotification[]): Promise<void> {
    if (rows.length === 0) return;
    const batches: { jobId: string; rows: QueuedNotification[] }[] = [];
    for (let i = 0; i < rows.length; i += SEND_BATCH) {
      const batch = rows.slice(i, i + SEND_BATCH);
      batches.push({ jobId: jobIds.sendNotifications(batch), rows: batch });
    }
    await this.ledger.assignJobs(batches.flatMap((b) => b.rows.map((r) => ({ id: r.id, jobId: b.jobId }))));
    await withTimeout(
      this.queue.addBulk(
        batches.map((b) => ({
          name: JobName.SendNotification,
          data: { notificationIds: b.rows.map((r) => r.id) },
          opts: {
            jobId: b.jobId,
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
