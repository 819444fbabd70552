import type { SolverModel } from './model';

/**
 * Incremental partial schedule: each task is either on an active worker or in the
 * unassigned pool. Keeps, for every (task, worker) pair, the summed weight of the tasks on that
 * worker that overlap the task ("conflict"), so that the cost of inserting a pool task anywhere
 * is a single array read; assigning or unassigning a task updates only its overlap neighbours.
 */
export class ScheduleState {
  readonly workerOf: Int32Array;
  readonly active: Uint8Array;
  activeCount = 0;
  /** conflict[worker * taskCount + task]: summed weight of tasks on worker overlapping task. */
  readonly conflict: Int32Array;
  /** Task weights; only changed while a task is in the pool (conflict stays consistent). */
  readonly weight: Int32Array;
  readonly pool: Int32Array;
  poolSize = 0;
  private readonly poolPos: Int32Array;
  /** Tasks per worker (unordered) and each task's slot in its worker's list. */
  readonly tasksOn: number[][];
  private readonly slot: Int32Array;
  /** Number of active workers qualified for each task: a task with 0 could never be placed. */
  readonly activeQualifiedCount: Int32Array;

  constructor(readonly model: SolverModel) {
    const { taskCount, workerCount } = model;
    this.workerOf = new Int32Array(taskCount).fill(-1);
    this.active = new Uint8Array(workerCount);
    this.conflict = new Int32Array(taskCount * workerCount);
    this.weight = new Int32Array(taskCount).fill(1);
    this.pool = new Int32Array(taskCount);
    this.poolPos = new Int32Array(taskCount);
    this.tasksOn = Array.from({ length: workerCount }, () => []);
    this.slot = new Int32Array(taskCount);
    this.activeQualifiedCount = new Int32Array(taskCount);
    for (let t = 0; t < taskCount; t++) {
      this.poolPos[t] = t;
      this.pool[t] = t;
    }
    this.poolSize = taskCount;
  }

  isInPool(task: number): boolean {
    return this.workerOf[task] < 0;
  }

  assign(task: number, worker: number): void {
    const { taskCount, overlapOffset, overlapList } = this.model;
    this.removeFromPool(task);
    this.workerOf[task] = worker;
    const list = this.tasksOn[worker];
    this.slot[task] = list.length;
    list.push(task);
    const w = this.weight[task];
    const row = worker * taskCount;
    for (let i = overlapOffset[task], e = overlapOffset[task + 1]; i < e; i++) {
      this.conflict[row + overlapList[i]] += w;
    }
  }

  unassign(task: number): void {
    const { taskCount, overlapOffset, overlapList } = this.model;
    const worker = this.workerOf[task];
    const list = this.tasksOn[worker];
    const last = list.pop() as number;
    if (last !== task) {
      const s = this.slot[task];
      list[s] = last;
      this.slot[last] = s;
    }
    this.workerOf[task] = -1;
    const w = this.weight[task];
    const row = worker * taskCount;
    for (let i = overlapOffset[task], e = overlapOffset[task + 1]; i < e; i++) {
      this.conflict[row + overlapList[i]] -= w;
    }
    this.addToPool(task);
  }

  /** Summed weight of the tasks on `worker` that overlap `task`. */
  conflictOf(task: number, worker: number): number {
    return this.conflict[worker * this.model.taskCount + task];
  }

  /** Tasks currently on `worker` that overlap `task` (they would have to leave). */
  conflictingTasks(task: number, worker: number, out: number[]): number[] {
    out.length = 0;
    const { start, end } = this.model;
    const s = start[task];
    const e = end[task];
    for (const other of this.tasksOn[worker]) {
      if (start[other] < e && s < end[other]) out.push(other);
    }
    return out;
  }

  activate(worker: number): void {
    if (this.active[worker]) return;
    this.active[worker] = 1;
    this.activeCount++;
    for (const task of this.model.tasksOf[worker]) this.activeQualifiedCount[task]++;
  }

  /** Deactivates a worker; its tasks go to the pool. */
  deactivate(worker: number): void {
    if (!this.active[worker]) return;
    const list = this.tasksOn[worker];
    while (list.length > 0) this.unassign(list[list.length - 1]);
    this.active[worker] = 0;
    this.activeCount--;
    for (const task of this.model.tasksOf[worker]) this.activeQualifiedCount[task]--;
  }

  /** True if removing the worker would leave some task with no active qualified worker. */
  isIrreplaceable(worker: number): boolean {
    for (const task of this.model.tasksOf[worker]) {
      if (this.activeQualifiedCount[task] <= 1) return true;
    }
    return false;
  }

  /** Halves every weight (rounding up, so weights stay >= 1) and rebuilds the conflict sums. */
  rescaleWeights(): void {
    for (let t = 0; t < this.weight.length; t++) this.weight[t] = (this.weight[t] + 1) >> 1;
    this.recomputeConflicts();
  }

  /** Rebuilds conflict sums after a bulk weight change on assigned tasks. */
  recomputeConflicts(): void {
    const { taskCount, overlapOffset, overlapList } = this.model;
    this.conflict.fill(0);
    for (let task = 0; task < taskCount; task++) {
      const worker = this.workerOf[task];
      if (worker < 0) continue;
      const w = this.weight[task];
      const row = worker * taskCount;
      for (let i = overlapOffset[task], e = overlapOffset[task + 1]; i < e; i++) {
        this.conflict[row + overlapList[i]] += w;
      }
    }
  }

  /**
   * Replaces the schedule by a complete one (its used workers become active) and forgets all
   * learned weights: a fresh start from a known solution.
   */
  restore(assignment: Int32Array): void {
    const { taskCount, workerCount } = this.model;
    for (let worker = 0; worker < workerCount; worker++) this.deactivate(worker);
    this.weight.fill(1);
    for (let task = 0; task < taskCount; task++) {
      const worker = assignment[task];
      if (worker < 0) continue;
      this.activate(worker);
      this.assign(task, worker);
    }
  }

  snapshot(): Int32Array {
    return this.workerOf.slice();
  }

  private removeFromPool(task: number): void {
    const pos = this.poolPos[task];
    const last = this.pool[--this.poolSize];
    this.pool[pos] = last;
    this.poolPos[last] = pos;
  }

  private addToPool(task: number): void {
    this.pool[this.poolSize] = task;
    this.poolPos[task] = this.poolSize++;
  }
}
