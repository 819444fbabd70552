import type { Assignment, SmptspInstance } from './types';

export interface FeasibilityReport {
  feasible: boolean;
  /** Number of distinct workers that received at least one task (valid entries only). */
  workersUsed: number;
  violations: string[];
}

/**
 * Independent feasibility check, deliberately written without any of the solver's data
 * structures so that a solver bug cannot hide itself: every task assigned to an existing
 * worker, that worker qualified for it, and no two tasks of one worker overlapping
 * (half-open: [a,b) and [b,c) do not overlap).
 */
export function checkSmptspAssignment(instance: SmptspInstance, assignment: Assignment): FeasibilityReport {
  const violations: string[] = [];
  const taskCount = instance.tasks.length;
  const workerCount = instance.qualifications.length;

  if (assignment.length !== taskCount) {
    violations.push(`assignment has ${assignment.length} entries but the instance has ${taskCount} tasks`);
  }

  const qualified = instance.qualifications.map((list) => new Set(list));
  const tasksByWorker = new Map<number, number[]>();

  for (let task = 0; task < taskCount; task++) {
    const worker = assignment[task];
    if (worker === undefined || worker === null) {
      violations.push(`task ${task} is not assigned`);
      continue;
    }
    if (!Number.isInteger(worker) || worker < 0 || worker >= workerCount) {
      violations.push(`task ${task} is assigned to unknown worker ${String(worker)}`);
      continue;
    }
    if (!qualified[worker].has(task)) {
      violations.push(`task ${task} is assigned to worker ${worker}, who is not qualified for it`);
    }
    const list = tasksByWorker.get(worker) ?? [];
    list.push(task);
    tasksByWorker.set(worker, list);
  }

  for (const [worker, list] of tasksByWorker) {
    const sorted = [...list].sort((a, b) => instance.tasks[a].start - instance.tasks[b].start);
    // With tasks sorted by start, any overlap shows up between a task and an earlier one that
    // is still running; tracking the latest-ending earlier task is enough to catch it.
    let latest = -1;
    for (const task of sorted) {
      if (latest >= 0 && instance.tasks[task].start < instance.tasks[latest].end) {
        violations.push(
          `worker ${worker} has overlapping tasks ${latest} [${instance.tasks[latest].start},${instance.tasks[latest].end})` +
            ` and ${task} [${instance.tasks[task].start},${instance.tasks[task].end})`,
        );
      }
      if (latest < 0 || instance.tasks[task].end > instance.tasks[latest].end) latest = task;
    }
  }

  return { feasible: violations.length === 0, workersUsed: tasksByWorker.size, violations };
}
