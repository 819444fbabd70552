import { constructByChains } from './chain-construct';
import { constructGreedy } from './construct';
import { EjectionSearch, type EjectionSearchLimits } from './ejection-search';
import { smptspLowerBound } from './lower-bound';
import { buildSolverModel, type SolverModel } from './model';
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

/**
 * The start by whole chains recomputes every affected worker's longest chain after each worker it
 * fills: cheap where qualifications are sparse, seconds on the public set's largest instances.
 */
const CHAIN_START_MAX_PAIRS = 50_000;
/**
 * ... and only where qualifications are sparse (a worker qualified for at most this share of the
 * tasks): there a worker's longest chain says who can carry a whole day. Where everybody is
 * qualified for a third of the tasks or more (the public set), everybody has a long chain and
 * the greedy start is kept.
 */
const CHAIN_START_MAX_DENSITY = 0.15;

/** Rounds without any swap or move after which the search stops (it cannot go on). */
const MAX_IDLE_ROUNDS = 2 * RESTART_EVERY_FAILURES;

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
  const search = new SmptspSearch(instance, options);
  search.runUntil(search.startedAt + options.timeLimitMs);
  return search.result(clock() - search.startedAt);
}

/**
 * The search of `solveSmptsp` as an object that can be paused at a deadline and resumed, so that
 * other methods (exact subproblems) can work on its best schedule in between.
 */
export class SmptspSearch {
  readonly model: SolverModel;
  readonly startedAt: number;
  /** The proven lower bound; may be raised (e.g. by an exact bound) to stop the search there. */
  lowerBound: number;
  private readonly clock: () => number;
  private readonly maxIterations: number;
  private readonly stagnationLimit: number;
  private readonly rng: Prng;
  private readonly state: ScheduleState;
  private readonly search: EjectionSearch;
  private readonly swapper: WorkerSwapper;
  private phase: 'start' | 'remove' | 'repair' | 'done' = 'start';
  private failures = 0;
  private idleRounds = 0;
  private bestAssignment: Int32Array | null = null;
  /** The last complete schedule of the current run (above the best after a restart). */
  private lastComplete: Int32Array | null = null;
  private feasible = false;

  constructor(instance: SmptspInstance, options: Omit<SolveSmptspOptions, 'timeLimitMs'>) {
    this.clock = options.clock ?? (() => performance.now());
    this.startedAt = this.clock();
    this.maxIterations = options.maxIterations ?? Number.POSITIVE_INFINITY;
    this.stagnationLimit = options.stagnationLimit ?? DEFAULT_STAGNATION_LIMIT;
    this.rng = new Prng(options.seed ?? 1);
    this.model = buildSolverModel(instance);
    this.lowerBound = smptspLowerBound(instance);
    this.state = new ScheduleState(this.model);
    this.search = new EjectionSearch(this.state, this.rng);
    this.swapper = new WorkerSwapper(this.state, this.rng);
  }

  /** Internal best complete schedule (internal task numbers), or null if none yet. */
  get best(): Int32Array | null {
    return this.bestAssignment;
  }

  get bestWorkers(): number {
    return this.bestAssignment ? countWorkers(this.bestAssignment) : Number.POSITIVE_INFINITY;
  }

  /** True when nothing is left to do: optimal, hopeless, or out of iterations. */
  get finished(): boolean {
    return this.phase === 'done' || this.search.iteration >= this.maxIterations;
  }

  get iterations(): number {
    return this.search.iteration;
  }

  /** Continues the search until `deadline` (clock ms) or until it has nothing left to do. */
  runUntil(deadline: number): void {
    const state = this.state;
    const outOfBudget = (): boolean => this.search.iteration >= this.maxIterations || this.clock() > deadline;
    const searchLimits = (): EjectionSearchLimits => ({
      deadline,
      stagnationLimit: Math.min(
        this.stagnationLimit,
        Math.max(0, this.maxIterations - this.search.iteration),
      ),
      clock: this.clock,
    });
    if (this.phase === 'start') {
      // Phase 1, a complete schedule: greedy with every worker available, then the search places
      // whatever the greedy could not. A task nobody is qualified for makes this hopeless.
      if (state.activeCount === 0 && state.poolSize === this.model.taskCount) {
        this.construct();
        if (this.model.workersOf.some((workers) => workers.length === 0)) {
          this.phase = 'done';
          return;
        }
      }
      while (state.poolSize > 0 && !outOfBudget()) this.search.run(searchLimits());
      if (state.poolSize > 0) return;
      deactivateIdleWorkers(state);
      // A restart (see `restartByChains`) that ends above the best so far goes on from its own
      // schedule, but the best is kept.
      this.lastComplete = state.snapshot();
      if (state.activeCount < this.bestWorkers) this.bestAssignment = this.lastComplete;
      this.feasible = true;
      this.phase = 'remove';
    }
    // Phase 2, one worker fewer at a time until the lower bound proves optimality or time is up.
    while (this.phase !== 'done' && !outOfBudget()) {
      if (this.phase === 'remove') {
        if (state.activeCount <= this.lowerBound) {
          this.phase = 'done';
          return;
        }
        // Where every worker is the only active one for some task (sparse qualifications), the
        // least busy one goes anyway: worker swaps bring in who can take its orphaned tasks.
        const removed = pickWorkerToRemove(state, this.rng, { allowIrreplaceable: true });
        if (removed < 0) {
          this.phase = 'done';
          return;
        }
        state.deactivate(removed);
        this.failures = 0;
        this.phase = 'repair';
        if (this.search.run(searchLimits())) this.solved();
        continue;
      }
      this.failures++;
      const before = this.search.iteration;
      let swapped = true;
      if (this.failures % RESTART_EVERY_FAILURES === 0) {
        state.restore(this.lastComplete as Int32Array);
        const again = pickWorkerToRemove(state, this.rng, { allowIrreplaceable: true });
        if (again >= 0) state.deactivate(again);
      } else {
        swapped = this.swapper.swap();
      }
      if (this.search.run(searchLimits())) this.solved();
      // Neither a swap nor a move possible, round after round: nothing left to try.
      this.idleRounds = !swapped && this.search.iteration === before ? this.idleRounds + 1 : 0;
      if (this.idleRounds > MAX_IDLE_ROUNDS) this.phase = 'done';
    }
  }

  /**
   * Adopts a better complete schedule found elsewhere (internal task numbers); the search goes
   * on from it with one worker fewer.
   */
  adopt(assignment: Int32Array): void {
    if (countWorkers(assignment) >= this.bestWorkers) return;
    this.bestAssignment = assignment.slice();
    this.lastComplete = this.bestAssignment;
    this.feasible = true;
    this.state.restore(this.bestAssignment);
    this.phase = 'remove';
  }

  /**
   * A fresh start by whole chains worth the most under `weights` (Lagrangian multipliers: the
   * tasks that are hard to cover weigh most), every learned weight forgotten; the best schedule
   * and the lower bound are kept. The search places what the chains leave and goes on from there.
   */
  restartByChains(weights: Float64Array, deadline: number): void {
    const state = this.state;
    state.restore(new Int32Array(this.model.taskCount).fill(-1));
    for (let worker = 0; worker < this.model.workerCount; worker++) state.activate(worker);
    constructByChains(state, weights, () => this.clock() > deadline);
    for (let worker = 0; worker < this.model.workerCount; worker++)
      if (state.tasksOn[worker].length === 0) state.deactivate(worker);
    // Tasks no chain took: every qualified worker stays available for them.
    for (let p = 0; p < state.poolSize; p++)
      for (const worker of this.model.workersOf[state.pool[p]]) state.activate(worker);
    this.failures = 0;
    this.idleRounds = 0;
    this.phase = 'start';
  }

  /**
   * The partial schedule while the search tries to place the last tasks on one worker fewer
   * (null otherwise): the worker of every task (-1 unplaced), the active workers, the unplaced.
   */
  stalled(): { workerOf: Int32Array; active: Uint8Array; unplaced: number[] } | null {
    if (this.phase !== 'repair') return null;
    const state = this.state;
    return {
      workerOf: state.workerOf.slice(),
      active: state.active.slice(),
      unplaced: Array.from(state.pool.subarray(0, state.poolSize)),
    };
  }

  /**
   * Moves tasks as an exact repair decided (each to an active, qualified worker, no overlaps
   * left: the caller's MIP guarantees it); if nothing is left unplaced, that is a new best.
   */
  applyRepair(placed: readonly { task: number; worker: number }[]): void {
    if (this.phase !== 'repair') return;
    const state = this.state;
    for (const { task } of placed) if (!state.isInPool(task)) state.unassign(task);
    for (const { task, worker } of placed) state.assign(task, worker);
    if (state.poolSize === 0) this.solved();
  }

  result(elapsedMs: number): SolveSmptspResult {
    const model = this.model;
    const internal = this.bestAssignment ?? this.state.snapshot();
    const assignment = new Array<number>(model.taskCount);
    const used = new Set<number>();
    internal.forEach((worker, task) => {
      assignment[model.originalIndex[task]] = worker;
      if (worker >= 0) used.add(worker);
    });
    return {
      feasible: this.feasible,
      workersUsed: used.size,
      assignment,
      lowerBound: this.lowerBound,
      provenOptimal: this.feasible && used.size === this.lowerBound,
      iterations: this.search.iteration,
      elapsedMs,
    };
  }

  /**
   * The start: the task-by-task greedy, and on instances with sparse qualifications also the
   * start by whole chains; the one with fewer workers plus waiting tasks wins. Leaves every
   * worker active.
   */
  private construct(): void {
    const state = this.state;
    const activateAll = (): void => {
      for (let worker = 0; worker < this.model.workerCount; worker++) state.activate(worker);
    };
    activateAll();
    constructGreedy(state);
    let pairs = 0;
    for (const tasks of this.model.tasksOf) pairs += tasks.length;
    const density = pairs / Math.max(1, this.model.taskCount * this.model.workerCount);
    if (pairs > CHAIN_START_MAX_PAIRS || density > CHAIN_START_MAX_DENSITY) return;
    const greedy = state.snapshot();
    // Each task left waiting costs at most one worker more.
    const score = (assignment: Int32Array): number =>
      assignment.filter((w) => w < 0).length + countWorkers(assignment);
    state.restore(new Int32Array(this.model.taskCount).fill(-1));
    activateAll();
    constructByChains(state);
    if (score(state.snapshot()) < score(greedy)) return;
    state.restore(greedy);
    activateAll();
  }

  private solved(): void {
    deactivateIdleWorkers(this.state);
    this.lastComplete = this.state.snapshot();
    if (this.state.activeCount < this.bestWorkers) this.bestAssignment = this.lastComplete;
    this.phase = 'remove';
  }
}

function countWorkers(assignment: Int32Array): number {
  const used = new Set<number>();
  for (const worker of assignment) if (worker >= 0) used.add(worker);
  return used.size;
}

/** Workers left without tasks (after construction, or emptied by the search) are not needed. */
function deactivateIdleWorkers(state: ScheduleState): void {
  for (let worker = 0; worker < state.model.workerCount; worker++) {
    if (state.active[worker] === 1 && state.tasksOn[worker].length === 0) state.deactivate(worker);
  }
}
