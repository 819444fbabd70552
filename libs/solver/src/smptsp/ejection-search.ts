import type { Prng } from './prng';
import type { ScheduleState } from './schedule-state';

export interface EjectionSearchLimits {
  /** Absolute time (clock units, ms) after which the search gives up. */
  readonly deadline: number;
  /** Give up after this many iterations without a new best (smallest) pool size. */
  readonly stagnationLimit: number;
  readonly clock: () => number;
}

export interface EjectionSearchTuning {
  /** Tabu tenure = random(0..tenureRandom-1) + tenurePoolFactor * poolSize. */
  readonly tenureRandom: number;
  readonly tenurePoolFactor: number;
  /** Weight added to every pool task per iteration (0 = plain count objective). */
  readonly weightIncrement: number;
}

/** Weights are halved once any exceeds this, long before conflict sums could overflow. */
const WEIGHT_RESCALE_THRESHOLD = 1 << 22;

const DEFAULT_TUNING: EjectionSearchTuning = { tenureRandom: 10, tenurePoolFactor: 0.6, weightIncrement: 1 };

/**
 * Ejection-chain tabu search over partial schedules on a fixed set of active workers, in the
 * spirit of PartialCol for graph colouring: a move inserts one pool task into a qualified active
 * worker and ejects the tasks there that overlap it back into the pool. The move with the least
 * weight ejected minus weight inserted wins; an ejected task may not return to the worker it
 * was ejected from for a tenure that grows with the pool (otherwise the search cycles).
 */
export class EjectionSearch {
  /** tabuUntil[task * workerCount + worker]: iteration until which the pair is forbidden. */
  private readonly tabuUntil: Int32Array;
  private readonly ejected: number[] = [];
  iteration = 0;

  constructor(
    private readonly state: ScheduleState,
    private readonly rng: Prng,
    private readonly tuning: EjectionSearchTuning = DEFAULT_TUNING,
  ) {
    this.tabuUntil = new Int32Array(state.model.taskCount * state.model.workerCount);
  }

  /** Returns true once the pool is empty (every task placed on an active worker). */
  run(limits: EjectionSearchLimits): boolean {
    const state = this.state;
    let bestPool = state.poolSize;
    let sinceImprovement = 0;
    while (state.poolSize > 0) {
      if ((this.iteration & 63) === 0 && limits.clock() > limits.deadline) return false;
      if (sinceImprovement >= limits.stagnationLimit) return false;
      if (!this.step()) return false;
      if (state.poolSize < bestPool) {
        bestPool = state.poolSize;
        sinceImprovement = 0;
      } else {
        sinceImprovement++;
      }
    }
    return true;
  }

  /** Forbids moving `task` back to `worker` for the given number of iterations. */
  forbid(task: number, worker: number, iterations: number): void {
    this.tabuUntil[task * this.state.model.workerCount + worker] = this.iteration + iterations;
  }

  /** One move; false if no waiting task has an active qualified worker (a worker swap must help). */
  private step(): boolean {
    const state = this.state;
    const { taskCount, workerCount, workersOf } = state.model;
    const { pool, conflict, weight, active } = state;
    const tabuUntil = this.tabuUntil;
    const iteration = this.iteration;
    const poolSize = state.poolSize;

    let bestDelta = Number.POSITIVE_INFINITY;
    let chosenTask = -1;
    let chosenWorker = -1;
    let ties = 0;
    for (let p = 0; p < poolSize; p++) {
      const task = pool[p];
      const base = task * workerCount;
      const gain = weight[task];
      const workers = workersOf[task];
      for (let k = 0; k < workers.length; k++) {
        const worker = workers[k];
        if (active[worker] === 0) continue;
        const ejectedWeight = conflict[worker * taskCount + task];
        const delta = ejectedWeight - gain;
        if (delta > bestDelta) continue;
        // Aspiration: an insertion that ejects nothing always shrinks the pool.
        if (tabuUntil[base + worker] > iteration && ejectedWeight !== 0) continue;
        if (delta < bestDelta) {
          bestDelta = delta;
          chosenTask = task;
          chosenWorker = worker;
          ties = 1;
        } else if (this.rng.nextInt(++ties) === 0) {
          chosenTask = task;
          chosenWorker = worker;
        }
      }
    }

    if (chosenTask < 0) {
      // Everything is tabu: take a random admissible insertion to keep moving, for a task that
      // some active worker may take at all.
      const placeable: number[] = [];
      for (let p = 0; p < poolSize; p++) if (state.activeQualifiedCount[pool[p]] > 0) placeable.push(pool[p]);
      if (placeable.length === 0) return false;
      chosenTask = placeable[this.rng.nextInt(placeable.length)];
      const candidates = Array.from(workersOf[chosenTask]).filter((w) => active[w] === 1);
      chosenWorker = candidates[this.rng.nextInt(candidates.length)];
    }

    this.apply(chosenTask, chosenWorker);
    this.raisePoolWeights();
    return true;
  }

  /**
   * Tasks that stay unplaced get heavier, so that they become ever more expensive to eject
   * again; this breaks the plateaus on which a plain count objective wanders indefinitely.
   */
  private raisePoolWeights(): void {
    const increment = this.tuning.weightIncrement;
    if (increment === 0) return;
    const { pool, weight } = this.state;
    let heaviest = 0;
    for (let p = 0; p < this.state.poolSize; p++) {
      const w = (weight[pool[p]] += increment);
      if (w > heaviest) heaviest = w;
    }
    // Keep the Int32 conflict sums far from overflow on long runs: halve all weights.
    if (heaviest > WEIGHT_RESCALE_THRESHOLD) this.state.rescaleWeights();
  }

  private apply(task: number, worker: number): void {
    const state = this.state;
    const ejected = state.conflictingTasks(task, worker, this.ejected);
    for (const other of ejected) state.unassign(other);
    state.assign(task, worker);
    const tenure =
      this.rng.nextInt(this.tuning.tenureRandom) + Math.floor(this.tuning.tenurePoolFactor * state.poolSize);
    for (const other of ejected) this.forbid(other, worker, tenure);
    this.iteration++;
  }
}
