import { MipBuilder, type MipModel } from '../mip';
import type { SolverModel } from './model';

/**
 * The SMPTSP as a MIP (the clique formulation): x[t,w] = 1 if worker w does task t, y[w] = 1 if
 * worker w is used; every task to one qualified worker; on every maximal set of mutually
 * overlapping tasks a worker is qualified for, at most y[w] of them. Minimise Σ y.
 *
 * `tasks` restricts the model to a subset (the others are fixed elsewhere), `workers` to the
 * workers that may be used, and `blocked[w]` lists, per worker, busy intervals from fixed tasks
 * that the free tasks must not overlap.
 */
export interface SmptspMip {
  readonly mip: MipModel;
  /** Column of x[t,w]: pairs[k] = [task, worker] for column k (k < pairs.length). */
  readonly pairs: readonly (readonly [number, number])[];
  /** Column of y[w] for each worker of `workers`, in that order. */
  readonly workerColumn: ReadonlyMap<number, number>;
}

export interface SmptspMipScope {
  readonly tasks: readonly number[];
  readonly workers: readonly number[];
  /** Per worker: tasks fixed on it (their intervals exclude overlapping free tasks). */
  readonly fixedOn?: ReadonlyMap<number, readonly number[]>;
  /** Cost of using a worker (default 1 each): 0 for a worker kept busy by fixed tasks anyway. */
  readonly workerCost?: (worker: number) => number;
  /** Upper limit on Σ y (e.g. "one worker fewer than found"). */
  readonly maxWorkers?: number;
}

export function buildSmptspMip(model: SolverModel, scope: SmptspMipScope): SmptspMip {
  const { start, end, qualified, workerCount } = model;
  const b = new MipBuilder();
  const workerColumn = new Map<number, number>();
  for (const w of scope.workers) workerColumn.set(w, b.binary(scope.workerCost?.(w) ?? 1));

  const overlaps = (a: number, c: number): boolean => start[a] < end[c] && start[c] < end[a];
  const pairs: [number, number][] = [];
  const columnsOfWorker = new Map<number, { task: number; col: number }[]>();
  const columnsOfTask: number[][] = [];
  for (const t of scope.tasks) {
    const cols: number[] = [];
    for (const w of scope.workers) {
      if (qualified[t * workerCount + w] === 0) continue;
      const fixed = scope.fixedOn?.get(w);
      if (fixed && fixed.some((f) => overlaps(f, t))) continue;
      const col = b.binary(0);
      pairs.push([t, w]);
      cols.push(col);
      let list = columnsOfWorker.get(w);
      if (!list) columnsOfWorker.set(w, (list = []));
      list.push({ task: t, col });
    }
    columnsOfTask.push(cols);
  }
  for (const cols of columnsOfTask) b.addRow(1, 1, cols, 1);

  // Maximal cliques of an interval graph: sweep the tasks of the worker in order of start; a
  // clique is maximal when the next event after a start is an end.
  for (const w of scope.workers) {
    const list = columnsOfWorker.get(w);
    if (!list) continue;
    const y = workerColumn.get(w) as number;
    const events: { at: number; kind: 0 | 1; col: number }[] = [];
    for (const { task, col } of list) {
      events.push({ at: start[task], kind: 1, col }, { at: end[task], kind: 0, col });
    }
    // Ends before starts at equal times (half-open intervals).
    events.sort((p, q) => p.at - q.at || p.kind - q.kind);
    const running = new Set<number>();
    let grew = false;
    for (const e of events) {
      if (e.kind === 1) {
        running.add(e.col);
        grew = true;
      } else {
        if (grew) {
          const cols = [...running];
          b.addRow(-Infinity, 0, [...cols, y], [...cols.map(() => 1), -1]);
          grew = false;
        }
        running.delete(e.col);
      }
    }
  }
  if (scope.maxWorkers !== undefined) {
    b.addRow(-Infinity, scope.maxWorkers, [...workerColumn.values()], 1);
  }
  return { mip: b.build('minimize'), pairs, workerColumn };
}
