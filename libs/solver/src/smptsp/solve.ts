import { constructGreedy } from './construct';
import { EjectionSearch } from './ejection-search';
import { smptspLowerBound } from './lower-bound';
import { buildSolverModel } from './model';
import { Prng } from './prng';
import { ScheduleState } from './schedule-state';
import type { SmptspInstance } from './types';
import { pickWorkerToRemove, WorkerSwapper } from './worker-choice';

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
 * stalls, one active worker is swapped for an inactive one to change the neighbourhood.
 * Deterministic for a given seed up to where the time limit stops it.
 */
export function solveSmptsp(instance: SmptspInstance, options: SolveSmptspOptions): SolveSmptspResult {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = clock();
  const deadline = startedAt + options.timeLimitMs;
  const maxIterations = options.maxIterations ?? Number.POSITIVE_INFINITY;
  const stagnationLimit = options.stagnationLimit ?? 20000;
  const rng = new Prng(options.seed ?? 1);
  const model = buildSolverModel(instance);
  const lowerBound = smptspLowerBound(instance);

  const state = new ScheduleState(model);
  for (let w = 0; w < model.workerCount; w++) state.activate(w);
  constructGreedy(state);
  const search = new EjectionSearch(state, rng);
  const swapper = new WorkerSwapper(state, rng);
  const outOfBudget = (): boolean => search.iteration >= maxIterations || clock() > deadline;
  const limits = (): { deadline: number; stagnationLimit: number; clock: () => number } => ({
    deadline,
    stagnationLimit: Math.min(stagnationLimit, Math.max(0, maxIterations - search.iteration)),
    clock,
  });

  // All workers are active, so only an infeasible instance (or no time) leaves tasks unplaced.
  while (state.poolSize > 0 && !outOfBudget()) search.run(limits());
  const finish = (assignment: Int32Array, feasible: boolean): SolveSmptspResult => {
    const used = new Set<number>();
    for (const worker of assignment) if (worker >= 0) used.add(worker);
    return {
      feasible,
      workersUsed: used.size,
      assignment: Array.from(assignment),
      lowerBound,
      provenOptimal: feasible && used.size === lowerBound,
      iterations: search.iteration,
      elapsedMs: clock() - startedAt,
    };
  };
  if (state.poolSize > 0) return finish(state.snapshot(), false);

  for (let w = 0; w < model.workerCount; w++) {
    if (state.tasksOn[w].length === 0) state.deactivate(w);
  }
  let best = state.snapshot();
  const RESTART = Number(process.env.RESTART ?? 1e9);
  const RESETW = process.env.RESETW === '1';
  const NOISE = Number(process.env.NOISE ?? 0);

  while (state.activeCount > lowerBound && !outOfBudget()) {
    const removed = pickWorkerToRemove(state, rng);
    if (removed < 0) break;
    state.deactivate(removed);
    let solved = false;
    let failures = 0;
    while (!outOfBudget()) {
      if (search.run(limits())) {
        solved = true;
        break;
      }
      failures++;
      if (failures % RESTART === 0) {
        state.restore(best);
        state.resetWeights();
        const again = pickWorkerToRemove(state, rng, -1, NOISE);
        state.deactivate(again);
        if (process.env.DEBUG) console.error('restart', again);
        continue;
      }
      swapper.swap();
      if (RESETW) state.resetWeights();
      if (process.env.DEBUG) console.error("swap", search.iteration, search.lastBestPool, state.activeCount, state.poolSize, Math.round(clock() - startedAt));
    }
    if (!solved) break;
    // Deactivate any worker the search happened to empty as a bonus.
    for (let w = 0; w < model.workerCount; w++) {
      if (state.active[w] === 1 && state.tasksOn[w].length === 0) state.deactivate(w);
    }
    best = state.snapshot();
  }
  return finish(best, true);
}
