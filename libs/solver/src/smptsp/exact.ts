import type { MipResult, MipSolver } from '../mip';
import { LagrangianBound } from './lagrangian';
import { buildSmptspMip } from './mip-model';
import type { SolverModel } from './model';
import { Prng } from './prng';
import { SmptspSearch, type SolveSmptspOptions, type SolveSmptspResult } from './solve';
import type { SmptspInstance } from './types';
import { buildWindowRepair, windowsAround } from './window-repair';

/** Instances up to this many tasks are given to the MIP whole. */
const WHOLE_MODEL_MAX_TASKS = 200;
/**
 * Share of the budget the local search gets alone first on small instances (it proves all of the
 * benchmark's small ones in well under a second); what it leaves goes to HiGHS on the whole MIP.
 */
const SMALL_SEARCH_SHARE = 0.5;
/**
 * Sparse instances (few qualified pairs) go to the whole MIP too, side by side with the search,
 * after the search has had this share of the budget alone.
 */
const SPARSE_SEARCH_SHARE = 0.1;
/** Limits of "sparse": qualified (task, worker) pairs, and nonzeros of the whole MIP. */
const SPARSE_MAX_PAIRS = 12_000;
const SPARSE_MAX_NONZEROS = 20_000;
/**
 * Instances whose qualified pairs fill at most this share of the task × worker table (but too
 * many for the whole MIP) get exact window repairs when the search stalls. The public set's
 * instances fill 33 % or more, so they keep the plain search.
 */
const WINDOW_MAX_DENSITY = 0.15;
/**
 * Instances above 200 tasks that are not given to the whole MIP get restarts by chains weighted
 * with Lagrangian multipliers whenever the search has had a slice without reaching the bound.
 * Where qualifications are sparse (at most this share of the task × worker table: the planted
 * family), the search alone has a tenth of the budget first and 0.8 s from each restart; where
 * they are dense (the public set fills 33 % or more, and the search alone reaches the bound on
 * most instances within a few seconds) it has 40 % first and 1.5 s from each restart.
 */
const LAGRANGIAN_SPARSE_DENSITY = 0.15;
const LAGRANGIAN_DENSE = { searchShare: 0.4, sliceMs: 1_500 } as const;
const LAGRANGIAN_SPARSE = { searchShare: SPARSE_SEARCH_SHARE, sliceMs: 800 } as const;
/**
 * Subgradient steps before the first restart and before each further one (one step is one pass
 * over the qualified pairs: about 0.1 ms on the planted family's largest instances).
 */
const LAGRANGIAN_STEPS = { first: 4_000, then: 1_000 } as const;
/** Search slice between window repairs. */
const WINDOW_SEARCH_SLICE_MS = 300;
/** Repairs only while this few tasks are unplaced (more means the worker set is wrong). */
const WINDOW_MAX_UNPLACED = 12;
/** A window reaches this far (task time units) beyond its unplaced tasks, adapting in between. */
const WINDOW_MARGIN = { start: 120, min: 30, max: 480 } as const;
const WINDOW_MAX_COLUMNS = 6_000;
const WINDOW_SOLVE_MS = 400;
/** Search slice between looks at HiGHS's answer. */
const SEARCH_SLICE_MS = 25;
/** One LNS subproblem may take this long at most. */
const LNS_SOLVE_MS = 500;
/** After an LNS improvement, the local search continues from it this long. */
const SEARCH_AFTER_IMPROVEMENT_MS = 1_500;
/** Workers freed per LNS step: adapts between these, starting at the first. */
const LNS_WORKERS = { start: 4, min: 2, max: 12 } as const;
/** Stay this far away from the deadline with a MIP call (the runner's own grace is extra). */
const MIP_MARGIN_MS = 150;

export interface ExactSmptspReport {
  /** Lower bound proven with HiGHS (≥ the clique bound), or null if HiGHS proved none. */
  readonly bound: number | null;
  /** True if HiGHS proved the answer optimal (a bound above the clique bound, or the whole MIP). */
  readonly provedOptimal: boolean;
  /** Workers saved by HiGHS subproblems beyond what the local search had found. */
  readonly workersSaved: number;
  readonly mipSolves: number;
  /** Time spent waiting for HiGHS, ms. */
  readonly mipMs: number;
}

export interface SolveSmptspExactOptions extends SolveSmptspOptions {
  /**
   * Share of the budget for HiGHS large-neighbourhood steps on instances above 200 tasks (the
   * tail of the run). Default 0: on the benchmark these steps never saved a worker in 3 s per
   * instance, while every second taken from the local search costs (data_45 reaches the bound
   * only after 4-8 s of 9.4 with two runs at a time on two cores).
   */
  readonly lnsShare?: number;
  /**
   * Exact window repairs while the search is stuck (instances with sparse qualifications too
   * large for the whole MIP). Off by default: on the planted family's largest instances the
   * search alone ended 7-12 workers lower than with the repairs taking its time.
   */
  readonly windowRepair?: boolean;
}

export interface SolveSmptspExactResult extends SolveSmptspResult {
  readonly exact: ExactSmptspReport;
}

/**
 * The local search of `solveSmptsp` with HiGHS where it pays. The search runs alone first; if it
 * has not reached the lower bound by then:
 * - small instances (≤ 200 tasks) go to the MIP whole, started from the best schedule: optimal
 *   there is optimal, and its proven bound counts;
 * - sparse ones (few qualified pairs, a whole MIP of at most 20,000 nonzeros) too, with the
 *   search going on beside HiGHS until one of them reaches the bound;
 * - the other instances above 200 tasks get restarts by chains weighted with Lagrangian
 *   multipliers (lagrangian.ts) between slices of search, and the Lagrangian bound, where it
 *   exceeds the max-overlap bound, proves what it can: sparse qualifications after a tenth of
 *   the budget, dense ones (the public set) after 40 %;
 * - with `windowRepair`, larger instances with sparse qualifications get exact window repairs
 *   whenever the search is stuck with a few tasks unplaced;
 * - larger ones, if `lnsShare` asks for it, get large-neighbourhood steps at the end: free the
 *   tasks of a few workers, keep the rest, and let HiGHS find the fewest workers for them (one
 *   fewer is an improvement), with the local search resuming from every improvement. (Neither
 *   the LP relaxation, which takes over 20 s on a 500-task instance, nor the exact optimum of
 *   the tasks around the busiest moment gave a bound above the clique bound on the benchmark.)
 * Deterministic for a seed as long as no MIP is stopped by its time limit and the search does not
 * run beside HiGHS (the sparse case: there the clock decides how far each gets).
 */
export async function solveSmptspWithExact(
  instance: SmptspInstance,
  options: SolveSmptspExactOptions,
  exact: MipSolver,
): Promise<SolveSmptspExactResult> {
  const clock = options.clock ?? (() => performance.now());
  const search = new SmptspSearch(instance, options);
  const deadline = search.startedAt + options.timeLimitMs;
  const cliqueBound = search.lowerBound;
  const small = search.model.taskCount <= WHOLE_MODEL_MAX_TASKS;
  const sparse = !small && isSparse(search.model);
  const lnsShare = options.lnsShare ?? 0;
  const windowed =
    !!options.windowRepair && !small && !sparse && qualifiedDensity(search.model) <= WINDOW_MAX_DENSITY;
  const lagrangian =
    small || sparse || windowed || lnsShare > 0
      ? null
      : qualifiedDensity(search.model) <= LAGRANGIAN_SPARSE_DENSITY
        ? LAGRANGIAN_SPARSE
        : LAGRANGIAN_DENSE;
  const searchShare = small
    ? SMALL_SEARCH_SHARE
    : sparse || windowed
      ? SPARSE_SEARCH_SHARE
      : (lagrangian?.searchShare ?? 1 - lnsShare);
  search.runUntil(search.startedAt + options.timeLimitMs * searchShare);

  let mipSolves = 0;
  let mipMs = 0;
  let bound: number | null = null;
  let wholeOptimal = false;
  const foundBySearch = search.bestWorkers;
  let savedByMip = 0;
  const solve = async (...args: Parameters<MipSolver['solve']>): Promise<MipResult> => {
    const t = clock();
    const result = await exact.solve(...args);
    mipSolves++;
    mipMs += clock() - t;
    return result;
  };
  const raiseBound = (value: number | null): void => {
    if (value === null || !Number.isFinite(value)) return;
    // Objectives count workers: a bound of 59.0000001 proves 60 only beyond rounding noise.
    const proven = Math.ceil(value - 1e-6);
    if (proven > search.lowerBound) {
      search.lowerBound = proven;
      bound = proven;
    } else bound ??= Math.max(proven, cliqueBound);
  };
  const left = (): number => deadline - clock() - MIP_MARGIN_MS;

  // Also when the search has given up (no worker it could remove): HiGHS may still prove it.
  const open = (): boolean => search.best !== null && search.bestWorkers > search.lowerBound;
  if (open() && left() > 0) {
    const model = search.model;
    if (small || sparse) {
      const best = search.best as Int32Array;
      const whole = wholeModel(model, best);
      // Small instances: HiGHS alone for the rest of the budget. Sparse ones: HiGHS in its thread
      // and the search on this one side by side; whichever proves the bound first ends the run.
      const mip = solve(whole.mip, { timeLimitMs: left(), start: whole.start, seed: options.seed });
      const result = sparse ? await searchWhile(search, mip, deadline, clock) : await mip;
      const assignment = whole.read(result);
      if (assignment && countUsed(assignment) < search.bestWorkers) {
        savedByMip += search.bestWorkers - countUsed(assignment);
        search.adopt(assignment);
      }
      if (result.status === 'optimal') wholeOptimal = true;
      raiseBound(result.status === 'optimal' ? result.objective : result.bound);
    } else if (lagrangian) {
      raiseBound(restartByLagrangian(search, deadline, clock, lagrangian.sliceMs));
    } else if (windowed) {
      const ready = (): Promise<void> => exact.warmUp?.() ?? Promise.resolve();
      savedByMip += await repairByWindows(search, solve, ready, left, deadline, clock, options.seed ?? 1);
    } else if (lnsShare > 0) {
      savedByMip += await largeNeighbourhoodSearch(search, solve, left, clock, options.seed ?? 1);
    }
  }
  if (!search.finished && clock() < deadline) search.runUntil(deadline);
  const result = search.result(clock() - search.startedAt);
  const provedOptimal =
    result.feasible &&
    (wholeOptimal || (bound !== null && bound > cliqueBound && result.workersUsed === bound));
  return {
    ...result,
    provenOptimal: result.provenOptimal || provedOptimal,
    exact: {
      bound,
      provedOptimal,
      workersSaved: Math.max(0, Math.min(savedByMip, foundBySearch - result.workersUsed)),
      mipSolves,
      mipMs,
    },
  };
}

/**
 * Runs the search in short slices while HiGHS works in its own thread, until HiGHS answers, the
 * search reaches the bound or the deadline passes. Yields to the event loop between slices so
 * that HiGHS's answer is seen. Returns HiGHS's answer, or (if the search finished first) a
 * stand-in without a solution: the MIP is left to run out on its own time limit.
 */
async function searchWhile(
  search: SmptspSearch,
  mip: Promise<MipResult>,
  deadline: number,
  clock: () => number,
): Promise<MipResult> {
  let answer: MipResult | null = null;
  void mip.then((result) => (answer = result));
  // On a busy machine HiGHS may not finish: the search beside it restarts by Lagrangian chains
  // as on instances too large for the whole MIP (it searches half the time, hence twice the slice).
  const restarts = new LagrangianRestarts(search, deadline, clock);
  let restartAt = clock() + 2 * LAGRANGIAN_SPARSE.sliceMs;
  while (answer === null && clock() < deadline) {
    if (search.bestWorkers <= search.lowerBound) break;
    if (clock() >= restartAt) {
      restarts.next();
      restartAt = clock() + 2 * LAGRANGIAN_SPARSE.sliceMs;
    }
    // A search with nothing left to try waits for HiGHS.
    if (search.finished) return mip;
    search.runUntil(Math.min(deadline, clock() + SEARCH_SLICE_MS));
    // Half the time off: on a busy machine HiGHS's thread, the likelier winner here, gets the core.
    await new Promise<void>((resolve) => setTimeout(resolve, SEARCH_SLICE_MS));
  }
  return answer ?? { status: 'time-limit', objective: null, solution: null, bound: null, elapsedMs: 0 };
}

/**
 * Restarts of the search by chains weighted with Lagrangian multipliers (see lagrangian.ts):
 * each `next()` takes subgradient steps on the bound (raising the search's lower bound where it
 * proves more than the max-overlap bound) and then starts the search afresh from the chains that
 * the best multipliers favour; the best schedule is kept.
 */
class LagrangianRestarts {
  private readonly lagrangian: LagrangianBound;
  private readonly tieBreak: number;
  private steps: number = LAGRANGIAN_STEPS.first;

  constructor(
    private readonly search: SmptspSearch,
    private readonly deadline: number,
    private readonly clock: () => number,
  ) {
    this.lagrangian = new LagrangianBound(search.model, search.lowerBound);
    // A tiny share of the duration keeps tasks with a zero multiplier worth taking along.
    this.tieBreak = 1e-6 / Math.max(1, ...search.model.duration);
  }

  /** The best Lagrangian bound so far (a proven lower bound). */
  get bound(): number {
    return this.lagrangian.bound;
  }

  next(): void {
    const { search, lagrangian, deadline, clock } = this;
    // Polyak steps aim a little above the max-overlap bound, the bound the schedules are to
    // reach (the covering LP's optimum is at least that).
    lagrangian.improve(this.steps, search.lowerBound + 2, () => clock() >= deadline);
    this.steps = LAGRANGIAN_STEPS.then;
    if (lagrangian.bound > search.lowerBound) search.lowerBound = lagrangian.bound;
    if (search.bestWorkers <= search.lowerBound || clock() >= deadline) return;
    const duration = search.model.duration;
    search.restartByChains(
      Float64Array.from(lagrangian.bestMultipliers, (pi, t) => pi + this.tieBreak * duration[t]),
      deadline,
    );
  }
}

/**
 * Lagrangian restarts, each followed by a slice of search, until the bound is reached (by a
 * schedule or by the Lagrangian bound itself) or the time is up. Returns the Lagrangian bound.
 */
function restartByLagrangian(
  search: SmptspSearch,
  deadline: number,
  clock: () => number,
  sliceMs: number,
): number {
  const restarts = new LagrangianRestarts(search, deadline, clock);
  while (clock() < deadline && search.bestWorkers > search.lowerBound) {
    restarts.next();
    search.runUntil(Math.min(deadline, clock() + sliceMs));
  }
  return restarts.bound;
}

/** Share of the task × worker table that is qualified. */
function qualifiedDensity(model: SolverModel): number {
  let pairs = 0;
  for (const tasks of model.tasksOf) pairs += tasks.length;
  return pairs / Math.max(1, model.taskCount * model.workerCount);
}

/**
 * The search in slices; whenever it is stuck with a few tasks unplaced on one worker fewer, each
 * window around them is solved exactly by HiGHS (see window-repair.ts) and the placements are
 * handed back to the search. Windows widen while HiGHS answers fast without placing anything and
 * narrow when it runs out of time. Returns the workers saved by repairs that completed a schedule.
 */
async function repairByWindows(
  search: SmptspSearch,
  solve: (...args: Parameters<MipSolver['solve']>) => Promise<MipResult>,
  ready: () => Promise<void>,
  left: () => number,
  deadline: number,
  clock: () => number,
  seed: number,
): Promise<number> {
  const model = search.model;
  let margin: number = WINDOW_MARGIN.start;
  let saved = 0;
  while (left() > 50 && search.bestWorkers > search.lowerBound && !search.finished) {
    search.runUntil(Math.min(deadline, clock() + WINDOW_SEARCH_SLICE_MS));
    const first = search.stalled();
    if (!first || first.unplaced.length > WINDOW_MAX_UNPLACED) continue;
    const before = search.bestWorkers;
    for (const window of windowsAround(model, first.unplaced, margin)) {
      const stalled = search.stalled();
      if (!stalled || left() <= 50) break;
      const repair = buildWindowRepair(model, stalled.workerOf, stalled.active, window, WINDOW_MAX_COLUMNS);
      if (!repair) {
        margin = Math.max(WINDOW_MARGIN.min, Math.floor(margin * 0.7));
        continue;
      }
      // A thread stopped at its limit restarts for the next solve: not on a short solve's time.
      await Promise.race([ready(), new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, left())))]);
      if (left() <= 50) break;
      const t0 = clock();
      const result = await solve(repair.mip, {
        timeLimitMs: Math.min(WINDOW_SOLVE_MS, left()),
        start: repair.start,
        seed,
      });
      const placed = repair.read(result);
      if (placed && (result.objective ?? 0) > 0.5) search.applyRepair(placed);
      else if (result.status === 'optimal' && clock() - t0 < WINDOW_SOLVE_MS / 4)
        margin = Math.min(WINDOW_MARGIN.max, Math.ceil(margin * 1.3));
      if (result.status !== 'optimal') margin = Math.max(WINDOW_MARGIN.min, Math.floor(margin * 0.7));
    }
    if (search.bestWorkers < before) saved += before - search.bestWorkers;
  }
  return saved;
}

/**
 * Whether the whole MIP is small enough for HiGHS within seconds: few qualified (task, worker)
 * pairs (sparse qualifications), and then few nonzeros in the clique rows. The public set's
 * instances above 200 tasks have 10-100 times more.
 */
function isSparse(model: SolverModel): boolean {
  let pairs = 0;
  for (const tasks of model.tasksOf) pairs += tasks.length;
  if (pairs > SPARSE_MAX_PAIRS) return false;
  // The clique rows as buildSmptspMip makes them: per worker, a sweep over its tasks in order of
  // start; each maximal set of running tasks is a row (plus the worker's own column).
  let nonzeros = pairs;
  const { start, end } = model;
  for (const tasks of model.tasksOf) {
    const events: number[] = [];
    for (const t of tasks) events.push(start[t] * 2 + 1, end[t] * 2);
    events.sort((a, b) => a - b);
    let running = 0;
    let grew = false;
    for (const e of events) {
      if (e % 2 === 1) {
        running++;
        grew = true;
      } else {
        if (grew) nonzeros += running + 1;
        grew = false;
        running--;
      }
    }
    if (nonzeros > SPARSE_MAX_NONZEROS) return false;
  }
  return nonzeros <= SPARSE_MAX_NONZEROS;
}

function allWorkers(model: SolverModel): number[] {
  return Array.from({ length: model.workerCount }, (_, w) => w);
}

function countUsed(assignment: Int32Array): number {
  const used = new Set<number>();
  for (const w of assignment) if (w >= 0) used.add(w);
  return used.size;
}

/** The whole instance as a MIP, with the best schedule as its start. */
function wholeModel(
  model: SolverModel,
  best: Int32Array,
): ReturnType<typeof buildSmptspMip> & { start: Float64Array; read: (r: MipResult) => Int32Array | null } {
  const tasks = Array.from({ length: model.taskCount }, (_, t) => t);
  const built = buildSmptspMip(model, { tasks, workers: allWorkers(model) });
  const start = startVector(built, best, new Set(best));
  const read = (result: MipResult): Int32Array | null => readAssignment(built, result, best);
  return { ...built, start, read };
}

function startVector(
  built: ReturnType<typeof buildSmptspMip>,
  assignment: Int32Array,
  usedWorkers: ReadonlySet<number>,
): Float64Array {
  const start = new Float64Array(built.mip.numCols);
  for (const [w, col] of built.workerColumn) if (usedWorkers.has(w)) start[col] = 1;
  built.pairs.forEach(([t, w], k) => {
    if (assignment[t] === w) start[built.workerColumn.size + k] = 1;
  });
  return start;
}

/** The schedule of a MIP solution on top of `base` (tasks outside the MIP keep their worker). */
function readAssignment(
  built: ReturnType<typeof buildSmptspMip>,
  result: MipResult,
  base: Int32Array,
): Int32Array | null {
  const x = result.solution;
  if (!x) return null;
  const assignment = base.slice();
  const offset = built.workerColumn.size;
  const seen = new Set<number>();
  built.pairs.forEach(([t, w], k) => {
    if (x[offset + k] > 0.5) {
      assignment[t] = w;
      seen.add(t);
    }
  });
  for (const [t] of built.pairs) if (!seen.has(t)) return null;
  return assignment;
}

/**
 * Large-neighbourhood steps until the time is up or the bound is reached: free the tasks of a few
 * used workers that share qualifications, keep every other task where it is, and ask HiGHS for
 * the fewest of the freed (and idle) workers that can take them, gaps of the other used workers
 * included. The number of workers freed grows while HiGHS answers fast and shrinks when it
 * does not. Returns the workers saved.
 */
async function largeNeighbourhoodSearch(
  search: SmptspSearch,
  solve: (...args: Parameters<MipSolver['solve']>) => Promise<MipResult>,
  left: () => number,
  clock: () => number,
  seed: number,
): Promise<number> {
  const model = search.model;
  const rng = new Prng(seed ^ 0x5eed);
  let size: number = LNS_WORKERS.start;
  let saved = 0;
  while (left() > 50 && search.bestWorkers > search.lowerBound) {
    const best = search.best as Int32Array;
    const tasksOn = new Map<number, number[]>();
    best.forEach((w, t) => {
      let list = tasksOn.get(w);
      if (!list) tasksOn.set(w, (list = []));
      list.push(t);
    });
    const freed = chooseWorkers(model, tasksOn, size, rng);
    const freedSet = new Set(freed);
    const tasks = freed.flatMap((w) => tasksOn.get(w) ?? []);
    const fixedOn = new Map<number, number[]>();
    for (const [w, list] of tasksOn) if (!freedSet.has(w)) fixedOn.set(w, list);
    const qualifiedForSome = allWorkers(model).filter((w) =>
      tasks.some((t) => model.qualified[t * model.workerCount + w] === 1),
    );
    const built = buildSmptspMip(model, {
      tasks,
      workers: qualifiedForSome,
      fixedOn,
      // Workers that keep other tasks are paid for already.
      workerCost: (w) => (fixedOn.has(w) ? 0 : 1),
    });
    const start = startVector(built, best, freedSet);
    const t0 = clock();
    const result = await solve(built.mip, { timeLimitMs: Math.min(LNS_SOLVE_MS, left()), start, seed });
    const ms = clock() - t0;
    const assignment = readAssignment(built, result, best);
    if (assignment && countUsed(assignment) < search.bestWorkers) {
      saved += search.bestWorkers - countUsed(assignment);
      search.adopt(assignment);
      search.runUntil(Math.min(clock() + SEARCH_AFTER_IMPROVEMENT_MS, clock() + left()));
    }
    if (result.status === 'optimal' && ms < LNS_SOLVE_MS / 5) size = Math.min(LNS_WORKERS.max, size + 1);
    else if (result.status !== 'optimal') size = Math.max(LNS_WORKERS.min, size - 1);
  }
  return saved;
}

/**
 * A random used worker and the used workers most qualified for its tasks (and each other's):
 * their tasks can plausibly be shuffled among fewer of them.
 */
function chooseWorkers(
  model: SolverModel,
  tasksOn: ReadonlyMap<number, number[]>,
  size: number,
  rng: Prng,
): number[] {
  const used = [...tasksOn.keys()].sort((a, b) => a - b);
  const chosen = [used[rng.nextInt(used.length)]];
  const chosenSet = new Set(chosen);
  while (chosen.length < Math.min(size, used.length)) {
    const freed = chosen.flatMap((w) => tasksOn.get(w) ?? []);
    let bestWorker = -1;
    let bestScore = -1;
    for (const w of used) {
      if (chosenSet.has(w)) continue;
      let score = 0;
      for (const t of freed) score += model.qualified[t * model.workerCount + w];
      // Random tie-breaks (and a little noise) keep successive neighbourhoods different.
      const noisy = score + rng.nextFloat();
      if (noisy > bestScore) {
        bestScore = noisy;
        bestWorker = w;
      }
    }
    if (bestWorker < 0) break;
    chosen.push(bestWorker);
    chosenSet.add(bestWorker);
  }
  return chosen;
}
