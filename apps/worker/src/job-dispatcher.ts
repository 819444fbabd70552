import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { metrics } from '@allmende/config';
import { JobName, JobPayloads, QueueName } from '@allmende/queue';
import { JobSlots } from './job-slots';

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  job: Job<JobPayloads[N]>,
) => Promise<unknown>;

export type JobHandlers<Names extends JobName> = { [N in Names]: JobHandler<N> };

/**
 * One thin processor per queue: it maps each of its queue's job names to a handler that
 * delegates to a service. The worker checks at start-up that every job has exactly one.
 */
export abstract class JobDispatcher extends WorkerHost {
  abstract readonly queue: QueueName;
  abstract readonly handlers: Partial<{ [N in JobName]: JobHandler<N> }>;

  private readonly log = new Logger('JobDispatcher');
  private slots: JobSlots | null = null;

  /**
   * Jobs that take no slot: work that mostly waits on another server (an SMTP exchange) and costs
   * the process little, so that the slots do not cap how many are in flight.
   */
  protected readonly unslotted: ReadonlySet<JobName> = new Set();
  /** The queue takes at least this many jobs at once (its unslotted ones beside the slots). */
  protected readonly minConcurrency: number = 0;

  /** WORKER_CONCURRENCY: this queue may take that many jobs, sharing the process's slots. */
  useSlots(slots: JobSlots): void {
    this.slots = slots;
    this.worker.concurrency = Math.max(slots.size, this.minConcurrency);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.log.error({ queue: this.queue, job: job?.name, jobId: job?.id, err: error }, 'job failed');
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.log.error({ queue: this.queue, err: error }, 'queue worker error');
  }

  async process(job: Job<JobPayloads[JobName]>): Promise<unknown> {
    // The table is keyed by job name, so the handler found takes this job's payload type.
    const handler = this.handlers[job.name as JobName] as
      ((payload: JobPayloads[JobName], job: Job<JobPayloads[JobName]>) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`No handler for job ${job.name} on queue ${this.queue}`);
    const run = () => this.timed(job.name, () => handler(job.data, job));
    return this.slots && !this.unslotted.has(job.name as JobName) ? this.slots.run(run) : run();
  }

  /** Duration by outcome, and failures, per queue and job name (the worker's /metrics). */
  private async timed<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const result = await work();
      metrics.jobDuration.observe({ queue: this.queue, job: name, outcome: 'completed' }, seconds());
      return result;
    } catch (e) {
      metrics.jobDuration.observe({ queue: this.queue, job: name, outcome: 'failed' }, seconds());
      metrics.jobFailures.inc({ queue: this.queue, job: name });
      throw e;
    }
  }
}
