import type { MipResult, MipSolver } from '../mip';
import { buildSmptspMip } from './mip-model';
import type { SolverModel } from './model';
import { Prng } from './prng';
import { SmptspSearch, type SolveSmptspOptions, type SolveSmptspResult } from './solve';
import type { SmptspInstance } from './types';

/** Instances up to this many tasks are given to the MIP whole. */
const WHOLE_MODEL_MAX_TASKS = 200;
/**
 * Share of the budget the local search gets alone first on small instances (it proves all of the
 * benchmark's small ones in well under a second); what it leaves goes to HiGHS on the whole MIP.
 */
const SMALL_SEARCH_SHARE = 0.5;
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
}

export interface SolveSmptspExactResult extends SolveSmptspResult {
  readonly exact: ExactSmptspReport;
}

/**
 * The local search of `solveSmptsp` with HiGHS where it pays. The search runs alone first; if it
 * has not reached the lower bound by then:
 * - small instances (≤ 200 tasks) go to the MIP whole, started from the best schedule: optimal
 *   there is optimal, and its proven bound counts;
 * - larger ones, if `lnsShare` asks for it, get large-neighbourhood steps at the end: free the
 *   tasks of a few workers, keep the rest, and let HiGHS find the fewest workers for them (one
 *   fewer is an improvement), with the local search resuming from every improvement. (Neither
 *   the LP relaxation, which takes over 20 s on a 500-task instance, nor the exact optimum of
 *   the tasks around the busiest moment gave a bound above the clique bound on the benchmark.)
 * Deterministic for a seed as long as no MIP is stopped by its time limit.
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
  const lnsShare = options.lnsShare ?? 0;
  const searchShare = small ? SMALL_SEARCH_SHARE : 1 - lnsShare;
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
    if (small) {
      const best = search.best as Int32Array;
      const whole = wholeModel(model, best);
      const result = await solve(whole.mip, { timeLimitMs: left(), start: whole.start, seed: options.seed });
      const assignment = whole.read(result);
      if (assignment && countUsed(assignment) < search.bestWorkers) {
        savedByMip += search.bestWorkers - countUsed(assignment);
        search.adopt(assignment);
      }
      if (result.status === 'optimal') wholeOptimal = true;
      raiseBound(result.status === 'optimal' ? result.objective : result.bound);
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
