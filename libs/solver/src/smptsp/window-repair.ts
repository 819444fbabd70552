import { MipBuilder, type MipModel, type MipResult } from '../mip';
import type { SolverModel } from './model';

/**
 * An exact subproblem over a time window for a search that has stalled with a few tasks
 * unplaced on a fixed set of active workers: every task of an active worker that lies wholly
 * inside the window is freed, every other task stays where it is (and blocks its worker), and
 * HiGHS places as many of the window's unplaced tasks as possible while every freed task gets a
 * qualified active worker again. Tasks that cross the window's edges keep it small and exact.
 */
export interface WindowRepair {
  readonly mip: MipModel;
  /** Unplaced tasks inside the window (what the MIP tries to place). */
  readonly waiting: readonly number[];
  /** The schedule as it is (every freed task on its worker): a feasible start. */
  readonly start: Float64Array;
  /** The new worker of every task the MIP placed (freed ones and newly placed), or null. */
  read(result: MipResult): { task: number; worker: number }[] | null;
}

export interface WindowScope {
  /** The window [from, to) in task time units. */
  readonly from: number;
  readonly to: number;
}

/**
 * The repair MIP for `window` on the partial schedule `workerOf` (-1 = unplaced) with the
 * `active` workers, or null if the window holds no unplaced task or more than `maxColumns`
 * (task, worker) pairs.
 */
export function buildWindowRepair(
  model: SolverModel,
  workerOf: Int32Array,
  active: Uint8Array,
  window: WindowScope,
  maxColumns: number,
): WindowRepair | null {
  const { taskCount, start, end, workersOf } = model;
  const inside: number[] = [];
  const waiting: number[] = [];
  // Busy time that stays: per active worker, the intervals of its tasks outside the window.
  const blocked = new Map<number, number[]>();
  for (let t = 0; t < taskCount; t++) {
    const within = start[t] >= window.from && end[t] <= window.to;
    if (within) {
      inside.push(t);
      if (workerOf[t] < 0) waiting.push(t);
    } else if (workerOf[t] >= 0 && start[t] < window.to && end[t] > window.from) {
      let list = blocked.get(workerOf[t]);
      if (!list) blocked.set(workerOf[t], (list = []));
      list.push(t);
    }
  }
  if (waiting.length === 0) return null;

  const b = new MipBuilder();
  const pairs: [number, number][] = [];
  const columnsOf = new Map<number, { task: number; col: number }[]>();
  const rows: { task: number; cols: number[] }[] = [];
  for (const t of inside) {
    const cols: number[] = [];
    for (const w of workersOf[t]) {
      if (active[w] === 0) continue;
      const fixed = blocked.get(w);
      if (fixed && fixed.some((f) => start[f] < end[t] && start[t] < end[f])) continue;
      // Placing a waiting task is what counts; freed tasks must be placed anyway.
      const col = b.binary(workerOf[t] < 0 ? 1 : 0);
      pairs.push([t, w]);
      cols.push(col);
      let list = columnsOf.get(w);
      if (!list) columnsOf.set(w, (list = []));
      list.push({ task: t, col });
      if (pairs.length > maxColumns) return null;
    }
    rows.push({ task: t, cols });
  }
  for (const { task, cols } of rows) {
    // A freed task keeps a worker (its own is always a candidate); a waiting one may stay out.
    if (workerOf[task] >= 0) b.addRow(1, 1, cols, 1);
    else if (cols.length > 0) b.addRow(0, 1, cols, 1);
  }
  for (const list of columnsOf.values()) {
    // Maximal cliques of the worker's candidate tasks: at most one of each.
    const events: { at: number; kind: 0 | 1; col: number }[] = [];
    for (const { task, col } of list)
      events.push({ at: start[task], kind: 1, col }, { at: end[task], kind: 0, col });
    events.sort((p, q) => p.at - q.at || p.kind - q.kind);
    const running = new Set<number>();
    let grew = false;
    for (const e of events) {
      if (e.kind === 1) {
        running.add(e.col);
        grew = true;
      } else {
        if (grew && running.size > 1) b.addRow(-Infinity, 1, [...running], 1);
        grew = false;
        running.delete(e.col);
      }
    }
  }
  const mip = b.build('maximize');
  const startVector = new Float64Array(mip.numCols);
  pairs.forEach(([task, worker], k) => {
    if (workerOf[task] === worker) startVector[k] = 1;
  });
  const read = (result: MipResult): { task: number; worker: number }[] | null => {
    const x = result.solution;
    if (!x) return null;
    const placed: { task: number; worker: number }[] = [];
    pairs.forEach(([task, worker], k) => {
      if (x[k] > 0.5) placed.push({ task, worker });
    });
    return placed;
  };
  return { mip, waiting, start: startVector, read };
}

/**
 * Windows around the unplaced tasks: each task's interval widened by `margin` on both sides,
 * overlapping ones merged.
 */
export function windowsAround(
  model: SolverModel,
  unplaced: readonly number[],
  margin: number,
): WindowScope[] {
  const spans = unplaced
    .map((t) => ({ from: model.start[t] - margin, to: model.end[t] + margin }))
    .sort((p, q) => p.from - q.from);
  const merged: { from: number; to: number }[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}
