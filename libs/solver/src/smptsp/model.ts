import type { SmptspInstance } from './types';

/**
 * Flat, typed-array view of an instance that the search reads in its inner loops:
 * task times, qualified workers per task, a task x worker qualification matrix and the
 * overlap graph in CSR form.
 */
export interface SolverModel {
  readonly taskCount: number;
  readonly workerCount: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly duration: Int32Array;
  /** Workers qualified for each task. */
  readonly workersOf: readonly Int32Array[];
  /** Tasks each worker is qualified for. */
  readonly tasksOf: readonly Int32Array[];
  /** qualified[task * workerCount + worker] = 1 if the worker may take the task. */
  readonly qualified: Uint8Array;
  /** Tasks overlapping task t are overlapList[overlapOffset[t] .. overlapOffset[t+1]). */
  readonly overlapOffset: Int32Array;
  readonly overlapList: Int32Array;
}

export function buildSolverModel(instance: SmptspInstance): SolverModel {
  const taskCount = instance.tasks.length;
  const workerCount = instance.qualifications.length;
  const start = new Int32Array(taskCount);
  const end = new Int32Array(taskCount);
  const duration = new Int32Array(taskCount);
  instance.tasks.forEach((task, i) => {
    start[i] = task.start;
    end[i] = task.end;
    duration[i] = task.end - task.start;
  });

  const qualified = new Uint8Array(taskCount * workerCount);
  const workerLists: number[][] = Array.from({ length: taskCount }, () => []);
  instance.qualifications.forEach((tasks, worker) => {
    for (const task of tasks) {
      qualified[task * workerCount + worker] = 1;
      workerLists[task].push(worker);
    }
  });
  const workersOf = workerLists.map((list) => Int32Array.from(list));
  const tasksOf = instance.qualifications.map((list) => Int32Array.from(list));

  // Sweep tasks by start: every task still running when another starts overlaps it.
  const byStart = Array.from({ length: taskCount }, (_, i) => i).sort((a, b) => start[a] - start[b]);
  const neighbours: number[][] = Array.from({ length: taskCount }, () => []);
  for (let i = 0; i < taskCount; i++) {
    const a = byStart[i];
    for (let j = i + 1; j < taskCount; j++) {
      const b = byStart[j];
      if (start[b] >= end[a]) break;
      neighbours[a].push(b);
      neighbours[b].push(a);
    }
  }
  const overlapOffset = new Int32Array(taskCount + 1);
  for (let t = 0; t < taskCount; t++) overlapOffset[t + 1] = overlapOffset[t] + neighbours[t].length;
  const overlapList = new Int32Array(overlapOffset[taskCount]);
  for (let t = 0; t < taskCount; t++) overlapList.set(neighbours[t], overlapOffset[t]);

  return {
    taskCount,
    workerCount,
    start,
    end,
    duration,
    workersOf,
    tasksOf,
    qualified,
    overlapOffset,
    overlapList,
  };
}

export function tasksOverlap(model: SolverModel, a: number, b: number): boolean {
  return model.start[a] < model.end[b] && model.start[b] < model.end[a];
}
