import type { Prng } from './prng';
import type { ScheduleState } from './schedule-state';

/**
 * The active worker whose removal puts the fewest tasks (then the least work) into the pool,
 * among those whose removal leaves every task with some qualified active worker.
 * Ties are broken at random. Returns -1 if no worker can be removed.
 */
export function pickWorkerToRemove(state: ScheduleState, rng: Prng, exclude = -1): number {
  const { workerCount, duration } = state.model;
  let chosen = -1;
  let bestCount = Number.POSITIVE_INFINITY;
  let bestWork = Number.POSITIVE_INFINITY;
  let ties = 0;
  for (let worker = 0; worker < workerCount; worker++) {
    if (worker === exclude || state.active[worker] === 0 || state.isIrreplaceable(worker)) continue;
    const tasks = state.tasksOn[worker];
    let work = 0;
    for (const task of tasks) work += duration[task];
    if (tasks.length < bestCount || (tasks.length === bestCount && work < bestWork)) {
      bestCount = tasks.length;
      bestWork = work;
      chosen = worker;
      ties = 1;
    } else if (tasks.length === bestCount && work === bestWork && rng.nextInt(++ties) === 0) {
      chosen = worker;
    }
  }
  return chosen;
}

/**
 * Diversification when the search stalls: bring in the inactive worker qualified for most pool
 * tasks and drop a (different) active worker with few tasks, so the worker set changes while
 * its size stays the same.
 */
export function swapWorker(state: ScheduleState, rng: Prng): void {
  const { workerCount, qualified } = state.model;
  let incoming = -1;
  let bestCover = -1;
  let ties = 0;
  for (let worker = 0; worker < workerCount; worker++) {
    if (state.active[worker] === 1) continue;
    let cover = 0;
    for (let p = 0; p < state.poolSize; p++) cover += qualified[state.pool[p] * workerCount + worker];
    if (cover > bestCover) {
      bestCover = cover;
      incoming = worker;
      ties = 1;
    } else if (cover === bestCover && rng.nextInt(++ties) === 0) {
      incoming = worker;
    }
  }
  if (incoming < 0 || bestCover <= 0) return;
  state.activate(incoming);
  const outgoing = pickWorkerToRemove(state, rng, incoming);
  if (outgoing < 0) {
    state.deactivate(incoming);
    return;
  }
  state.deactivate(outgoing);
}
