import { constructGreedy } from './construct';
import { EjectionSearch, type EjectionSearchLimits } from './ejection-search';
import { smptspLowerBound } from './lower-bound';
import { buildSolverModel } from './model';
import { Prng } from './prng';
import { ScheduleState } from './schedule-state';
import type { SmptspInstance } from './types';
import { pickWorkerToRemove, WorkerSwapper } from './worker-choice';

/**
 * Iterations without a smaller pool before the worker set is changed by a swap. Long enough for
 * the weighted search to settle (about 0.4-1 s), short enough for several swaps per run.
 */
const DEFAULT_STAGNATION_LIMIT = 100_000;

/**
 * Every this many stalled episodes at one worker count, start that count afresh from the best
 * complete schedule (one worker more) with all learned weights forgotten: on small, tight
 * instances a run can otherwise stay in a bad basin that swaps alone do not leave.
 */
const RESTART_EVERY_FAILURES = 4;

export interface SolveSmptspOptions {
  /** Wall-clock budget for the whole call, in milliseconds. */
  readonly timeLimitMs: number;
  readonly seed?: number;
  /**
   * Optional cap on search iterations. With it the result depends only on the seed (not on
   * machine speed) as long as the time limit is not hit first; used by tests.
   */
  readonly maxIterations?: number;
  /** Iterations without progress before the active worker set is changed. */
  readonly stagnationLimit?: number;
  /** Injected clock (ms), for tests. */
  readonly clock?: () => number;
}

export interface SolveSmptspResult {
  /** False only if no complete assignment was found within the limits. */
  readonly feasible: boolean;
  readonly workersUsed: number;
  /** assignment[task] = worker (0-based); -1 for unassigned tasks if infeasible. */
  readonly assignment: number[];
  readonly lowerBound: number;
  /** True when workersUsed equals the lower bound. */
  readonly provenOptimal: boolean;
  readonly iterations: number;
  readonly elapsedMs: number;
}

/**
 * Minimises the number of workers: greedy start, then repeatedly deactivate one worker and let
 * the ejection-chain tabu search re-place its tasks on the remaining ones. When the search
 * stalls, one active worker is swapped for an inactive one to change the neighbourhood, and
 * after repeated stalls the worker count is restarted from the last complete schedule.
 * Stops early at the lower bound (proven optimal). Deterministic for a given seed: the clock
 * only decides how far the search gets, never which move it makes.
 */
export function solveSmptsp(instance: SmptspInstance, options: SolveSmptspOptions): SolveSmptspResult {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = clock();
  const deadline = startedAt + options.timeLimitMs;
  const maxIterations = options.maxIterations ?? Number.POSITIVE_INFINITY;
  const stagnationLimit = options.stagnationLimit ?? DEFAULT_STAGNATION_LIMIT;
  const rng = new Prng(options.seed ?? 1);
  const model = buildSolverModel(instance);
  const lowerBound = smptspLowerBound(instance);
  const state = new ScheduleState(model);
  const search = new EjectionSearch(state, rng);
  const swapper = new WorkerSwapper(state, rng);

  const outOfBudget = (): boolean => search.iteration >= maxIterations || clock() > deadline;
  const searchLimits = (): EjectionSearchLimits => ({
    deadline,
    stagnationLimit: Math.min(stagnationLimit, Math.max(0, maxIterations - search.iteration)),
    clock,
  });
  const finish = (internal: Int32Array, feasible: boolean): SolveSmptspResult => {
    const assignment = new Array<number>(model.taskCount);
    const used = new Set<number>();
    internal.forEach((worker, task) => {
      assignment[model.originalIndex[task]] = worker;
      if (worker >= 0) used.add(worker);
    });
    return {
      feasible,
      workersUsed: used.size,
      assignment,
      lowerBound,
      provenOptimal: feasible && used.size === lowerBound,
      iterations: search.iteration,
      elapsedMs: clock() - startedAt,
    };
  };

  // Phase 1, a complete schedule: greedy with every worker available, then the search places
  // whatever the greedy could not. A task nobody is qualified for makes this hopeless.
  for (let worker = 0; worker < model.workerCount; worker++) state.activate(worker);
  constructGreedy(state);
  const hopeless = model.workersOf.some((workers) => workers.length === 0);
  while (!hopeless && state.poolSize > 0 && !outOfBudget()) search.run(searchLimits());
  if (state.poolSize > 0) return finish(state.snapshot(), false);
  deactivateIdleWorkers(state);
  let best = state.snapshot();

  // Phase 2, one worker fewer at a time until the lower bound proves optimality or time is up.
  while (state.activeCount > lowerBound && !outOfBudget()) {
    const removed = pickWorkerToRemove(state, rng);
    if (removed < 0) break;
    state.deactivate(removed);
    let solved = search.run(searchLimits());
    for (let failures = 1; !solved && !outOfBudget(); failures++) {
      if (failures % RESTART_EVERY_FAILURES === 0) {
        state.restore(best);
        const again = pickWorkerToRemove(state, rng);
        if (again >= 0) state.deactivate(again);
      } else {
        swapper.swap();
      }
      solved = search.run(searchLimits());
    }
    if (!solved) break;
    deactivateIdleWorkers(state);
    best = state.snapshot();
  }
  return finish(best, true);
}

/** Workers left without tasks (after construction, or emptied by the search) are not needed. */
function deactivateIdleWorkers(state: ScheduleState): void {
  for (let worker = 0; worker < state.model.workerCount; worker++) {
    if (state.active[worker] === 1 && state.tasksOn[worker].length === 0) state.deactivate(worker);
  }
}
