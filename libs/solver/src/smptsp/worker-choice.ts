import type { Prng } from './prng';
import type { ScheduleState } from './schedule-state';

/**
 * The active worker whose removal puts the fewest tasks (then the least work) into the pool,
 * among those whose removal leaves every task with some qualified active worker; with
 * `allowIrreplaceable`, if there is none, among all active workers (but never the last one).
 * Ties are broken at random. Returns -1 if no worker can be removed.
 */
export function pickWorkerToRemove(
  state: ScheduleState,
  rng: Prng,
  options: { allowIrreplaceable?: boolean } = {},
): number {
  const chosen = pickAmong(state, rng, true);
  if (chosen >= 0 || !options.allowIrreplaceable || state.activeCount <= 1) return chosen;
  return pickAmong(state, rng, false);
}

function pickAmong(state: ScheduleState, rng: Prng, replaceableOnly: boolean): number {
  const { workerCount, duration } = state.model;
  let chosen = -1;
  let bestCount = Number.POSITIVE_INFINITY;
  let bestWork = Number.POSITIVE_INFINITY;
  let ties = 0;
  for (let worker = 0; worker < workerCount; worker++) {
    if (state.active[worker] === 0 || (replaceableOnly && state.isIrreplaceable(worker))) continue;
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
 * Diversification when the search stalls at a worker count: bring in the inactive worker
 * qualified for most pool tasks and retire an active worker whose tasks the newcomer can mostly
 * take over, so the worker set changes while its size stays the same. Both are then tabu for a
 * few swaps; without that the retired worker (qualified for all tasks it just left in the pool)
 * would be the next newcomer and the swaps would cycle.
 */
export class WorkerSwapper {
  /** Swap count until which a worker may not change sides. */
  private readonly tabuUntil: Int32Array;
  private swaps = 0;

  constructor(
    private readonly state: ScheduleState,
    private readonly rng: Prng,
  ) {
    this.tabuUntil = new Int32Array(state.model.workerCount);
  }

  /** Returns false if no swap was possible. */
  swap(): boolean {
    const state = this.state;
    const { workerCount, qualified } = state.model;
    const rng = this.rng;
    this.swaps++;

    let incoming = -1;
    let bestCover = 0;
    let ties = 0;
    for (let worker = 0; worker < workerCount; worker++) {
      if (state.active[worker] === 1 || this.tabuUntil[worker] > this.swaps) continue;
      let cover = 0;
      for (let p = 0; p < state.poolSize; p++) cover += qualified[state.pool[p] * workerCount + worker];
      if (cover > bestCover) {
        bestCover = cover;
        incoming = worker;
        ties = 1;
      } else if (cover === bestCover && cover > 0 && rng.nextInt(++ties) === 0) {
        incoming = worker;
      }
    }
    if (incoming < 0) return false;
    state.activate(incoming);

    let outgoing = -1;
    let bestLeft = Number.POSITIVE_INFINITY;
    let bestCount = Number.POSITIVE_INFINITY;
    ties = 0;
    for (let worker = 0; worker < workerCount; worker++) {
      if (worker === incoming || state.active[worker] === 0 || this.tabuUntil[worker] > this.swaps) continue;
      if (state.isIrreplaceable(worker)) continue;
      const tasks = state.tasksOn[worker];
      let left = 0;
      for (const task of tasks) left += 1 - qualified[task * workerCount + incoming];
      if (left < bestLeft || (left === bestLeft && tasks.length < bestCount)) {
        bestLeft = left;
        bestCount = tasks.length;
        outgoing = worker;
        ties = 1;
      } else if (left === bestLeft && tasks.length === bestCount && rng.nextInt(++ties) === 0) {
        outgoing = worker;
      }
    }
    if (outgoing < 0) {
      state.deactivate(incoming);
      return false;
    }

    const handedOver = [...state.tasksOn[outgoing]];
    state.deactivate(outgoing);
    // The newcomer has no tasks yet and the retired worker's tasks never overlap each other, so
    // it takes over all those it is qualified for (the conflict test is only a safeguard).
    for (const task of handedOver) {
      if (qualified[task * workerCount + incoming] === 1 && state.conflictOf(task, incoming) === 0) {
        state.assign(task, incoming);
      }
    }
    const inactive = workerCount - state.activeCount;
    this.tabuUntil[outgoing] = this.swaps + Math.min(Math.max(inactive - 1, 0), 2 + rng.nextInt(5));
    this.tabuUntil[incoming] = this.swaps + 2 + rng.nextInt(5);
    return true;
  }
}
