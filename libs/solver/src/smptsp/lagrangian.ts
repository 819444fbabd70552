import type { SolverModel } from './model';

/**
 * The SMPTSP as a covering problem over chains: every used worker does one chain (a set of
 * non-overlapping tasks it is qualified for), every task must be in some used worker's chain,
 * and the fewest workers win. Relaxing "every task covered" with multipliers π_t ≥ 0 gives
 *
 *   L(π) = Σ_t π_t + Σ_w min(0, 1 − v_w(π)),   v_w(π) = max over chains of w of Σ_{t in chain} π_t,
 *
 * a lower bound on the optimum for every π (each used worker pays 1 and collects at most v_w).
 * v_w is a weighted interval scheduling problem: one pass over the worker's tasks in order of
 * end, with each task's predecessor (the last task ending by its start) fixed in advance, so an
 * evaluation of all workers costs one pass over the qualified pairs. Subgradient steps raise
 * L(π) towards the covering LP's optimum; its ceiling can exceed the max-overlap bound (a
 * stronger bound), and the multipliers say which tasks are hard to cover, so a start by chains
 * weighted with them picks the workers whose chains fit together (see chain-construct.ts).
 * Pure and deterministic: no randomness, the caller decides how many steps.
 */
/** Steps without a better bound after which the step size is halved. */
const STALL_STEPS = 100;

export class LagrangianBound {
  /** Multipliers, one per (internal) task. */
  readonly multipliers: Float64Array;
  /** Best L(π) seen so far, and the multipliers it was seen with. */
  best = 0;
  readonly bestMultipliers: Float64Array;
  steps = 0;
  private readonly order: Int32Array[];
  private readonly predecessor: Int32Array[];
  private readonly chainValue: Float64Array;
  private readonly take: Uint8Array;
  private readonly covered: Int32Array;
  private readonly value: Float64Array;
  private readonly subgradient: Float64Array;
  private stepSize = 2;
  private sinceBest = 0;

  constructor(
    private readonly model: SolverModel,
    /** Start value of each multiplier: the task's share of a worker's average day. */
    startBound: number,
  ) {
    const { taskCount, tasksOf, start, end, duration } = model;
    this.order = tasksOf.map((tasks) =>
      Int32Array.from(tasks).sort((a, b) => end[a] - end[b] || start[a] - start[b] || a - b),
    );
    this.predecessor = this.order.map((tasks) => {
      const pred = new Int32Array(tasks.length);
      for (let j = 0; j < tasks.length; j++) {
        // Number of tasks (a prefix) ending by this one's start.
        let lo = 0;
        let hi = j;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (end[tasks[mid - 1]] <= start[tasks[j]]) lo = mid;
          else hi = mid - 1;
        }
        pred[j] = lo;
      }
      return pred;
    });
    let work = 0;
    for (let t = 0; t < taskCount; t++) work += duration[t];
    this.multipliers = new Float64Array(taskCount);
    for (let t = 0; t < taskCount; t++)
      this.multipliers[t] = (duration[t] * Math.max(1, startBound)) / Math.max(1, work);
    this.bestMultipliers = this.multipliers.slice();
    const longest = Math.max(1, ...this.order.map((o) => o.length));
    this.chainValue = new Float64Array(longest + 1);
    this.take = new Uint8Array(longest + 1);
    this.covered = new Int32Array(taskCount);
    this.value = new Float64Array(model.workerCount);
    this.subgradient = new Float64Array(taskCount);
  }

  /** Ceiling of the best bound (objectives count workers), beyond rounding noise. */
  get bound(): number {
    return Math.ceil(this.best - 1e-6);
  }

  /**
   * `count` subgradient steps towards the best bound, with Polyak steps against `upperBound`
   * (a value the bound should reach), or fewer if `outOfTime` says so (asked every 8 steps).
   * Returns the best L(π) so far.
   */
  improve(count: number, upperBound: number, outOfTime: () => boolean = () => false): number {
    const { taskCount } = this.model;
    const pi = this.multipliers;
    const g = this.subgradient;
    for (let s = 0; s < count; s++) {
      if ((s & 7) === 7 && outOfTime()) break;
      this.covered.fill(0);
      let lagrangian = 0;
      for (let t = 0; t < taskCount; t++) lagrangian += pi[t];
      for (let w = 0; w < this.model.workerCount; w++) {
        const v = this.bestChain(w, pi, this.covered);
        this.value[w] = v;
        if (v > 1) lagrangian += 1 - v;
      }
      this.steps++;
      if (lagrangian > this.best + 1e-9) {
        this.best = lagrangian;
        this.bestMultipliers.set(pi);
        this.sinceBest = 0;
      } else if (++this.sinceBest >= STALL_STEPS) {
        this.stepSize /= 2;
        this.sinceBest = 0;
      }
      let norm = 0;
      for (let t = 0; t < taskCount; t++) {
        g[t] = 1 - this.covered[t];
        // Projection: a zero multiplier that would fall below zero does not count.
        if (pi[t] <= 0 && g[t] < 0) g[t] = 0;
        norm += g[t] * g[t];
      }
      if (norm === 0 || this.stepSize < 1e-4) break;
      const step = (this.stepSize * Math.max(0.05, upperBound - lagrangian)) / norm;
      for (let t = 0; t < taskCount; t++) pi[t] = Math.max(0, pi[t] + step * g[t]);
    }
    return this.best;
  }

  /**
   * The value of worker `w`'s best chain under `weights`; if `mark` is given and the chain is
   * worth more than 1 (the worker would be used), its tasks are counted there.
   */
  bestChain(w: number, weights: Float64Array, mark?: Int32Array): number {
    const tasks = this.order[w];
    const pred = this.predecessor[w];
    const best = this.chainValue;
    const take = this.take;
    best[0] = 0;
    for (let j = 1; j <= tasks.length; j++) {
      const task = tasks[j - 1];
      const with_ = best[pred[j - 1]] + weights[task];
      if (with_ > best[j - 1]) {
        best[j] = with_;
        take[j] = 1;
      } else {
        best[j] = best[j - 1];
        take[j] = 0;
      }
    }
    const v = best[tasks.length];
    if (mark && v > 1) {
      for (let j = tasks.length; j > 0;) {
        if (take[j] === 1) {
          mark[tasks[j - 1]]++;
          j = pred[j - 1];
        } else j--;
      }
    }
    return v;
  }
}
