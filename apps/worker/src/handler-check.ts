import { ALL_QUEUES, JOBS_BY_QUEUE, JobName, QueueName } from '@allmende/queue';

export interface DispatcherInfo {
  queue: QueueName;
  jobs: string[];
}

/** Every job name of every queue has exactly one handler, and no handler is for an unknown job. */
export function checkJobHandlers(dispatchers: DispatcherInfo[]): string[] {
  const problems: string[] = [];
  for (const queue of ALL_QUEUES) {
    const forQueue = dispatchers.filter((d) => d.queue === queue);
    for (const job of JOBS_BY_QUEUE[queue]) {
      const count = forQueue.filter((d) => d.jobs.includes(job)).length;
      if (count !== 1) problems.push(`job ${queue}/${job} has ${count} handlers, expected exactly 1`);
    }
    for (const d of forQueue) {
      for (const job of d.jobs) {
        if (!JOBS_BY_QUEUE[queue].includes(job as JobName))
          problems.push(`handler for unknown job ${queue}/${job}`);
      }
    }
  }
  return problems;
}
