import type { ScheduleState } from './schedule-state';

/**
 * Greedy start: tasks in order of start time go to an already-used qualified worker that is
 * free, preferring the one whose last task ended latest (best fit: leaves the long idle gaps of
 * other workers for later tasks). Only if none is free is a new worker opened, the one
 * qualified for the most tasks (most likely to be useful again). Tasks no worker can take stay
 * in the pool for the search to place. Expects all workers to be active.
 */
export function constructGreedy(state: ScheduleState): void {
  const { taskCount, workerCount, end, workersOf, tasksOf } = state.model;
  const lastEnd = new Int32Array(workerCount).fill(-1);
  // Internal task numbers are already in order of start time.
  for (let task = 0; task < taskCount; task++) {
    if (!state.isInPool(task)) continue;
    let bestUsed = -1;
    let bestNew = -1;
    for (const worker of workersOf[task]) {
      if (state.active[worker] === 0) continue;
      if (state.conflictOf(task, worker) !== 0) continue;
      if (lastEnd[worker] >= 0) {
        if (bestUsed < 0 || lastEnd[worker] > lastEnd[bestUsed]) bestUsed = worker;
      } else if (bestNew < 0 || tasksOf[worker].length > tasksOf[bestNew].length) {
        bestNew = worker;
      }
    }
    const chosen = bestUsed >= 0 ? bestUsed : bestNew;
    if (chosen < 0) continue;
    state.assign(task, chosen);
    lastEnd[chosen] = Math.max(lastEnd[chosen], end[task]);
  }
}
