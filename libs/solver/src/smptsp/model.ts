import type { SmptspInstance } from './types';

/**
 * Flat, typed-array view of an instance that the search reads in its inner loops.
 *
 * Tasks are renumbered internally in order of start time: the overlap neighbours of a task then
 * have nearby numbers, so the per-worker conflict rows the search updates on every move are
 * touched almost sequentially (a large constant-factor win on the big instances).
 * `originalIndex` / `internalIndex` translate between the instance's and the internal numbering.
 */
export interface SolverModel {
  readonly taskCount: number;
  readonly workerCount: number;
  readonly originalIndex: Int32Array;
  readonly internalIndex: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly duration: Int32Array;
  /** Workers qualified for each (internal) task. */
  readonly workersOf: readonly Int32Array[];
  /** Internal tasks each worker is qualified for. */
  readonly tasksOf: readonly Int32Array[];
  /** qualified[task * workerCount + worker] = 1 if the worker may take the task. */
  readonly qualified: Uint8Array;
  /** Tasks overlapping task t are overlapList[overlapOffset[t] .. overlapOffset[t+1]), ascending. */
  readonly overlapOffset: Int32Array;
  readonly overlapList: Int32Array;
}

export function buildSolverModel(instance: SmptspInstance): SolverModel {
  const taskCount = instance.tasks.length;
  const workerCount = instance.qualifications.length;
  const originalIndex = Int32Array.from({ length: taskCount }, (_, i) => i).sort((a, b) => {
    const ta = instance.tasks[a];
    const tb = instance.tasks[b];
    return ta.start - tb.start || ta.end - tb.end || a - b;
  });
  const internalIndex = new Int32Array(taskCount);
  originalIndex.forEach((original, internal) => (internalIndex[original] = internal));

  const start = new Int32Array(taskCount);
  const end = new Int32Array(taskCount);
  const duration = new Int32Array(taskCount);
  originalIndex.forEach((original, i) => {
    start[i] = instance.tasks[original].start;
    end[i] = instance.tasks[original].end;
    duration[i] = end[i] - start[i];
  });

  const qualified = new Uint8Array(taskCount * workerCount);
  const workerLists: number[][] = Array.from({ length: taskCount }, () => []);
  const tasksOf = instance.qualifications.map((list, worker) => {
    const internal = Int32Array.from(list, (original) => internalIndex[original]).sort();
    for (const task of internal) {
      qualified[task * workerCount + worker] = 1;
      workerLists[task].push(worker);
    }
    return internal;
  });
  const workersOf = workerLists.map((list) => Int32Array.from(list));

  // Tasks are sorted by start: every task still running when a later one starts overlaps it.
  const neighbours: number[][] = Array.from({ length: taskCount }, () => []);
  for (let a = 0; a < taskCount; a++) {
    for (let b = a + 1; b < taskCount && start[b] < end[a]; b++) {
      neighbours[a].push(b);
      neighbours[b].push(a);
    }
  }
  const overlapOffset = new Int32Array(taskCount + 1);
  for (let t = 0; t < taskCount; t++) overlapOffset[t + 1] = overlapOffset[t] + neighbours[t].length;
  const overlapList = new Int32Array(overlapOffset[taskCount]);
  for (let t = 0; t < taskCount; t++)
    overlapList.set(
      neighbours[t].sort((x, y) => x - y),
      overlapOffset[t],
    );

  return {
    taskCount,
    workerCount,
    originalIndex,
    internalIndex,
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
