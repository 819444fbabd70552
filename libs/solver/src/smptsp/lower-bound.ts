import type { SmptspInstance } from './types';

/**
 * Maximum number of tasks running at the same moment. Overlapping tasks need distinct workers,
 * so no solution can use fewer workers. Intervals are half-open: at a shared time point the
 * ending task is released before the starting one is counted.
 */
export function maxConcurrentTasks(instance: SmptspInstance): number {
  const events: number[] = [];
  // Encode (time, kind) as one sortable number: ends (0) sort before starts (1) at equal time.
  for (const task of instance.tasks) {
    events.push(task.start * 2 + 1, task.end * 2);
  }
  events.sort((a, b) => a - b);
  let running = 0;
  let peak = 0;
  for (const event of events) {
    if (event % 2 === 1) {
      running++;
      if (running > peak) peak = running;
    } else {
      running--;
    }
  }
  return peak;
}

/** The lower bound used to prove optimality (currently the interval clique bound). */
export function smptspLowerBound(instance: SmptspInstance): number {
  return maxConcurrentTasks(instance);
}
