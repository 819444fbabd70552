import type { ScheduleState } from './schedule-state';

/**
 * Start by whole chains: repeatedly give the worker whose qualified, still unplaced tasks hold
 * the longest chain of non-overlapping work (by total duration: weighted interval scheduling)
 * that whole chain, until every task is placed or nobody can take one. On instances built from
 * long chains of tightly packed tasks this finds the chain workers that the task-by-task greedy
 * misses (it opens a worker for every task no used worker is free for). Expects all workers to
 * be active and the schedule empty; tasks nobody can take stay in the pool, and so do the tasks
 * not yet placed when `outOfTime` says so (asked before every worker it fills).
 */
export function constructByChains(
  state: ScheduleState,
  weights?: Float64Array,
  outOfTime: () => boolean = () => false,
): void {
  const { workerCount, tasksOf, start, end, duration } = state.model;
  // By default a chain is worth its total duration, with a tiny bonus per task so that among
  // equal durations more tasks win; with Lagrangian multipliers, their sum.
  const weight = weights ?? Float64Array.from(duration, (d) => d + 1e-3);
  const used = new Uint8Array(workerCount);
  // Per worker, its tasks in order of end (then start), fixed for the whole construction.
  const byEnd = tasksOf.map((tasks) =>
    Int32Array.from(tasks).sort((a, b) => end[a] - end[b] || start[a] - start[b]),
  );
  const chainCache: (Int32Array | null)[] = new Array<Int32Array | null>(workerCount).fill(null);
  const valueCache = new Float64Array(workerCount).fill(-1);
  const stale = new Uint8Array(workerCount).fill(1);
  // Out of time, the tasks not yet placed stay in the pool (the search places them).
  while (state.poolSize > 0 && !outOfTime()) {
    let bestWorker = -1;
    let bestValue = 0;
    for (let worker = 0; worker < workerCount; worker++) {
      if (used[worker] === 1) continue;
      if (stale[worker] === 1) {
        const chain = longestChain(state, byEnd[worker], start, end, weight);
        chainCache[worker] = chain.tasks;
        valueCache[worker] = chain.value;
        stale[worker] = 0;
      }
      if (valueCache[worker] > bestValue) {
        bestValue = valueCache[worker];
        bestWorker = worker;
      }
    }
    if (bestWorker < 0) return;
    used[bestWorker] = 1;
    for (const task of chainCache[bestWorker] as Int32Array) {
      state.assign(task, bestWorker);
      // Workers qualified for a task just placed must recompute their chain.
      for (const other of state.model.workersOf[task]) stale[other] = 1;
    }
  }
}

/**
 * Maximum total weight of non-overlapping unplaced tasks among `tasks` (sorted by end). Classic
 * DP: best[j] is the best over the first j tasks; task j either joins the best ending by its
 * start or not.
 */
function longestChain(
  state: ScheduleState,
  tasks: Int32Array,
  start: Int32Array,
  end: Int32Array,
  weight: Float64Array,
): { tasks: Int32Array; value: number } {
  const open: number[] = [];
  for (const t of tasks) if (state.isInPool(t)) open.push(t);
  const n = open.length;
  if (n === 0) return { tasks: new Int32Array(0), value: 0 };
  const best = new Float64Array(n + 1);
  const take = new Uint8Array(n + 1);
  const previous = new Int32Array(n + 1);
  for (let j = 1; j <= n; j++) {
    const task = open[j - 1];
    // Last task (1-based count) ending by this one's start: binary search over ends.
    let lo = 0;
    let hi = j - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (end[open[mid - 1]] <= start[task]) lo = mid;
      else hi = mid - 1;
    }
    const withTask = best[lo] + weight[task];
    if (withTask > best[j - 1]) {
      best[j] = withTask;
      take[j] = 1;
      previous[j] = lo;
    } else {
      best[j] = best[j - 1];
    }
  }
  const chosen: number[] = [];
  for (let j = n; j > 0;) {
    if (take[j] === 1) {
      chosen.push(open[j - 1]);
      j = previous[j];
    } else j--;
  }
  return { tasks: Int32Array.from(chosen.reverse()), value: best[n] };
}
