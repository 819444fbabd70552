import { PlanState } from './plan-state';
import type { Position, Task, TaskModel } from './tasks';

/** A new trip order is only worth the coordinator's time when it saves at least this. */
export const MIN_TRIP_SAVING_MINUTES = 15;
/** Clusters up to this size are ordered exactly (all permutations); larger ones greedily. */
const EXACT_CLUSTER_SIZE = 6;

export interface TripOrderResult {
  resource: number;
  moves: { task: Task; from: Position; to: Position }[];
  savedMinutes: number;
}

/**
 * For each machine, the flexible bookings whose windows overlap form a cluster; the cluster is
 * re-ordered within the windows (each booking at the earliest feasible start after the previous
 * one) and the order with the least transport is kept if it saves enough. Works on the current
 * plan (input), independently of the reassignment.
 */
export function improveTripOrders(tm: TaskModel, outOfTime: () => boolean): TripOrderResult[] {
  const state = new PlanState(tm);
  const results: TripOrderResult[] = [];
  tm.resources.forEach((resource, res) => {
    if (resource.kind !== 'machine' || outOfTime()) return;
    const flexible = state
      .timeline(res)
      .map((e) => tm.tasks[e.task])
      .filter((t) => t.kind === 'booking' && !t.fixed && t.startMax > t.startMin && t.origin?.res === res);
    for (const cluster of clusters(flexible)) {
      if (outOfTime()) return;
      if (cluster.length < 2 || new Set(cluster.map((t) => t.site)).size < 2) continue;
      const result = bestOrder(state, res, cluster, outOfTime);
      if (result && result.savedMinutes >= MIN_TRIP_SAVING_MINUTES) results.push(result);
    }
  });
  return results;
}

function clusters(tasks: Task[]): Task[][] {
  const sorted = [...tasks].sort((a, b) => a.startMin - b.startMin || a.index - b.index);
  const out: Task[][] = [];
  let reach = -Infinity;
  for (const t of sorted) {
    if (t.startMin >= reach || out.length === 0) out.push([]);
    out[out.length - 1].push(t);
    reach = Math.max(reach, t.startMax + t.duration);
  }
  return out;
}

function bestOrder(
  state: PlanState,
  res: number,
  cluster: Task[],
  outOfTime: () => boolean,
): TripOrderResult | null {
  const baseline = state.transport;
  const from = cluster.map((t) => state.positions[t.index]);
  let best: { order: Task[]; positions: Position[]; transport: number; changes: number } | null = null;
  for (const order of orders(state, res, cluster)) {
    if (outOfTime()) break;
    state.begin();
    for (const t of cluster) state.set(t.index, null);
    let cursor = -Infinity;
    const positions: Position[] = [];
    for (const t of order) {
      const pos = earliestFrom(state, t, res, cursor);
      if (!pos) break;
      state.set(t.index, pos);
      positions.push(pos);
      cursor = pos.start + t.duration;
    }
    if (positions.length === order.length) {
      const candidate = { order, positions, transport: state.transport, changes: state.changes };
      if (
        !best ||
        candidate.transport < best.transport ||
        (candidate.transport === best.transport && candidate.changes < best.changes)
      )
        best = candidate;
    }
    state.rollback();
  }
  if (!best || baseline - best.transport <= 0) return null;
  const moves = best.order.flatMap((task, k) => {
    const before = from[cluster.indexOf(task)];
    const to = best.positions[k];
    return before && (before.start !== to.start || before.op !== to.op) ? [{ task, from: before, to }] : [];
  });
  return { resource: res, moves, savedMinutes: baseline - best.transport };
}

/** Earliest place on `res` at or after `cursor`, keeping the booking's operator if possible. */
function earliestFrom(state: PlanState, task: Task, res: number, cursor: number): Position | null {
  const operators = task.operatorOn(res);
  const originalOp = task.origin?.op ?? -1;
  const ops = operators
    ? [...operators].sort((a, b) => (a === originalOp ? -1 : b === originalOp ? 1 : 0))
    : [-1];
  let best: Position | null = null;
  for (const op of ops) {
    if (op === res) continue;
    for (const [a, b] of state.fitRanges(task, res, op)) {
      if (b < cursor) continue;
      const start = Math.max(a, cursor);
      if (!best || start < best.start) best = { res, op, start };
      break;
    }
  }
  return best;
}

function* orders(state: PlanState, res: number, cluster: Task[]): Generator<Task[]> {
  if (cluster.length <= EXACT_CLUSTER_SIZE) {
    yield* permutations(cluster);
    return;
  }
  // Nearest neighbour from the machine's position before the cluster, then the booked order.
  const t = state.tm.travel;
  const first = Math.min(...cluster.map((c) => state.positions[c.index]?.start ?? Infinity));
  const before = state
    .timeline(res)
    .filter((e) => e.start < first && !cluster.some((c) => c.index === e.task));
  let site = before.length > 0 ? before[before.length - 1].site : state.tm.homeSite[res];
  const left = [...cluster];
  const greedy: Task[] = [];
  while (left.length > 0) {
    let k = 0;
    for (let i = 1; i < left.length; i++)
      if (
        t(site, left[i].site, res) < t(site, left[k].site, res) ||
        (t(site, left[i].site, res) === t(site, left[k].site, res) && left[i].startMin < left[k].startMin)
      )
        k = i;
    greedy.push(left[k]);
    site = left[k].site;
    left.splice(k, 1);
  }
  yield greedy;
  yield [...cluster].sort((a, b) => a.preferredStart - b.preferredStart);
}

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items.slice();
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i], ...p];
  }
}
