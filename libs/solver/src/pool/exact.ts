import { MipBuilder, type MipSolver } from '../mip';
import { MINUTE_MS } from './calendar';
import { PlanState } from './plan-state';
import type { Position, Task, TaskModel } from './tasks';

/** A subproblem is given to the MIP only up to this many tasks and candidate places. */
const MAX_TASKS = 80;
const MAX_PLACES = 4_000;
/** Flexible tasks: candidate starts on this grid across their window (at most MAX_STARTS). */
const QUARTER_HOUR = 15 * MINUTE_MS;
const MAX_STARTS = 96;
/** Requests whose windows lie closer than this share one subproblem. */
const CLUSTER_GAP_MS = 12 * 3_600_000;

/**
 * What the exact check of one subproblem found: one resource type within one time window, every
 * other task kept where the plan has it. Exact over the candidate places: every eligible resource
 * and qualified operator, at the booked or requested start, the planned start and, for flexible
 * tasks, every quarter hour of their window.
 */
export interface ExactCheck {
  type: string;
  window: { start: number; end: number };
  tasks: number;
  requests: number;
  /** Requests served in the window by the local search, and after the exact step. */
  servedBefore: number;
  servedAfter: number;
  /** Most requests (weighted: emergencies count 10) the window can serve at the candidate places. */
  servableBound: number;
  /** servedAfter reaches the bound: no plan of these places serves more. */
  provenOptimal: boolean;
  /** The exact plan replaced the local search's in this window. */
  improved: boolean;
}

interface Place extends Position {
  task: number;
  end: number;
  changes: number;
}

/**
 * Takes each subproblem (a resource type, and the requests of that type that lie close in time,
 * with the movable bookings of the type in their window) and solves the assignment exactly with
 * the MIP solver: most requests served, then fewest changed bookings; transport decides among
 * equal plans by the search's score. Where the exact plan is better it replaces the search's
 * (`positions` is updated); the checks say how far each window is from the best possible.
 */
export async function improveExactly(
  tm: TaskModel,
  positions: (Position | null)[],
  exact: MipSolver,
  deadline: number,
  now: () => number,
): Promise<ExactCheck[]> {
  const checks: ExactCheck[] = [];
  const all = subproblems(tm, positions);
  // A window whose requests the search serves all is optimal without a solver: no plan serves
  // more than every request. Those are proven first, whatever their size, and cost no time.
  const open: Subproblem[] = [];
  for (const sub of all) {
    const requests = sub.tasks.filter((t) => t.kind === 'request');
    if (requests.every((t) => positions[t.index])) {
      const weight = requests.reduce((sum, t) => sum + t.weight, 0);
      checks.push({
        type: sub.type,
        window: sub.window,
        tasks: sub.tasks.length,
        requests: requests.length,
        servedBefore: weight,
        servedAfter: weight,
        servableBound: weight,
        provenOptimal: true,
        improved: false,
      });
    } else if (sub.tasks.length <= MAX_TASKS) open.push(sub);
  }
  for (const sub of open) {
    const left = deadline - now();
    if (left <= 50) break;
    const check = await solveSubproblem(tm, positions, sub, exact, left);
    if (check) checks.push(check);
  }
  return checks.sort(
    (a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) || a.window.start - b.window.start,
  );
}

interface Subproblem {
  type: string;
  window: { start: number; end: number };
  tasks: Task[];
}

/** Requests grouped by type and time (windows closer than CLUSTER_GAP_MS), with their bookings. */
function subproblems(tm: TaskModel, positions: readonly (Position | null)[]): Subproblem[] {
  const byType = new Map<string, Task[]>();
  for (const t of tm.tasks) {
    if (t.kind !== 'request' || t.candidates.length === 0) continue;
    const list = byType.get(t.type) ?? [];
    list.push(t);
    byType.set(t.type, list);
  }
  const out: Subproblem[] = [];
  for (const [type, requests] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    requests.sort((a, b) => a.startMin - b.startMin || a.index - b.index);
    let cluster: Task[] = [];
    let end = -Infinity;
    const flush = (): void => {
      if (cluster.length === 0) return;
      const window = { start: Math.min(...cluster.map((t) => t.startMin)), end };
      const inside = (t: Task): boolean => {
        const pos = positions[t.index];
        return (
          t.startMin >= window.start &&
          t.startMax + t.duration <= window.end &&
          (!pos || (pos.start >= window.start && pos.start + t.duration <= window.end))
        );
      };
      const bookings = tm.tasks.filter(
        (t) => t.kind === 'booking' && !t.fixed && t.type === type && t.origin && inside(t),
      );
      out.push({ type, window, tasks: [...cluster, ...bookings] });
      cluster = [];
    };
    for (const q of requests) {
      if (q.startMin > end + CLUSTER_GAP_MS) flush();
      cluster.push(q);
      end = Math.max(end, q.startMax + q.duration);
    }
    flush();
  }
  return out;
}

function candidateStarts(task: Task, current: Position | null): number[] {
  const starts = new Set<number>([task.preferredStart]);
  if (task.origin) starts.add(task.origin.start);
  if (current) starts.add(current.start);
  if (task.startMax > task.startMin) {
    const first = Math.ceil(task.startMin / QUARTER_HOUR) * QUARTER_HOUR;
    const count = Math.floor((task.startMax - first) / QUARTER_HOUR) + 1;
    const step = QUARTER_HOUR * Math.max(1, Math.ceil(count / MAX_STARTS));
    for (let s = first; s <= task.startMax; s += step) starts.add(s);
    starts.add(task.startMin);
    starts.add(task.startMax);
  }
  return [...starts].filter((s) => s >= task.startMin && s <= task.startMax).sort((a, b) => a - b);
}

async function solveSubproblem(
  tm: TaskModel,
  positions: (Position | null)[],
  sub: Subproblem,
  exact: MipSolver,
  timeLimitMs: number,
): Promise<ExactCheck | null> {
  // The rest of the plan, fixed: the search's positions without the subproblem's tasks.
  const state = new PlanState(tm);
  for (const t of tm.tasks) if (t.origin) state.set(t.index, null);
  positions.forEach((pos, i) => state.set(i, pos));
  const before = state.score();
  for (const t of sub.tasks) state.set(t.index, null);

  const places: Place[] = [];
  const placesOf = new Map<number, number[]>();
  for (const task of sub.tasks) {
    const starts = candidateStarts(task, positions[task.index]);
    const mine: number[] = [];
    for (const res of task.candidates) {
      const operators = task.operatorOn(res);
      for (const op of operators ?? [-1]) {
        if (op === res) continue;
        const ranges = state.fitRanges(task, res, op);
        for (const start of starts) {
          if (!ranges.some(([a, b]) => a <= start && start <= b)) continue;
          mine.push(places.length);
          places.push({
            task: task.index,
            res,
            op,
            start,
            end: start + task.duration,
            changes: changeCount(task, res, op, start),
          });
        }
      }
    }
    placesOf.set(task.index, mine);
    if (places.length > MAX_PLACES) return null;
  }

  // Served weight dominates: one more request outweighs every possible change in the window.
  const bookingCount = sub.tasks.filter((t) => t.kind === 'booking').length;
  const M = 2 * bookingCount + 1;
  const b = new MipBuilder();
  for (const p of places) {
    const task = tm.tasks[p.task];
    b.binary(task.kind === 'request' ? M * task.weight : -p.changes);
  }
  for (const task of sub.tasks) {
    const cols = placesOf.get(task.index) ?? [];
    // A booking keeps a place (its planned one is always a candidate); a request may stay open.
    if (task.kind === 'booking') b.addRow(1, 1, cols, 1);
    else if (cols.length > 0) b.addRow(0, 1, cols, 1);
  }
  // Two places collide when they share a resource (or operator) and the later one starts before
  // the earlier one ends plus the transport between them.
  const onResource = new Map<number, number[]>();
  places.forEach((p, k) => {
    for (const r of p.op >= 0 ? [p.res, p.op] : [p.res]) {
      const list = onResource.get(r) ?? [];
      list.push(k);
      onResource.set(r, list);
    }
  });
  const maxGap = 24 * 3_600_000;
  for (const [r, list] of onResource) {
    list.sort((x, y) => places[x].start - places[y].start);
    for (let i = 0; i < list.length; i++) {
      const p = places[list[i]];
      for (let j = i + 1; j < list.length; j++) {
        const q = places[list[j]];
        if (q.start >= p.end + maxGap) break;
        if (q.task === p.task) continue;
        const pSite = tm.tasks[p.task].site;
        const qSite = tm.tasks[q.task].site;
        const clear =
          p.end + tm.travel(pSite, qSite, r) * MINUTE_MS <= q.start ||
          q.end + tm.travel(qSite, pSite, r) * MINUTE_MS <= p.start;
        if (!clear) b.addRow(-Infinity, 1, [list[i], list[j]], 1);
      }
    }
  }
  const mip = b.build('maximize');
  const start = new Float64Array(mip.numCols);
  places.forEach((p, k) => {
    const pos = positions[p.task];
    if (pos && pos.res === p.res && pos.op === p.op && pos.start === p.start) start[k] = 1;
  });
  const result = await exact.solve(mip, { timeLimitMs, start });

  const requests = sub.tasks.filter((t) => t.kind === 'request');
  const servedBefore = requests.reduce((s, t) => s + (positions[t.index] ? t.weight : 0), 0);
  let improved = false;
  if (result.solution) {
    const chosen = new Map<number, Place>();
    places.forEach((p, k) => {
      if ((result.solution as Float64Array)[k] > 0.5) chosen.set(p.task, p);
    });
    const trial = new PlanState(tm);
    for (const t of tm.tasks) if (t.origin) trial.set(t.index, null);
    const next = positions.slice();
    for (const t of sub.tasks) {
      const p = chosen.get(t.index);
      next[t.index] = p ? { res: p.res, op: p.op, start: p.start } : null;
    }
    next.forEach((pos, i) => trial.set(i, pos));
    const complete = sub.tasks.every((t) => t.kind === 'request' || next[t.index] !== null);
    if (complete && trial.violations().length === 0 && PlanState.compare(trial.score(), before) > 0) {
      next.forEach((pos, i) => (positions[i] = pos));
      improved = true;
    }
  }
  const servedAfter = requests.reduce((s, t) => s + (positions[t.index] ? t.weight : 0), 0);
  // objective = M·served − changes ≤ bound, and changes < M: served ≤ ⌊(bound + M − 1) / M⌋.
  const bound = result.bound ?? Infinity;
  const totalWeight = requests.reduce((s, t) => s + t.weight, 0);
  const servableBound = Math.min(totalWeight, Math.floor((bound + 1e-6 + M - 1) / M));
  return {
    type: sub.type,
    window: sub.window,
    tasks: sub.tasks.length,
    requests: requests.length,
    servedBefore,
    servedAfter,
    servableBound,
    provenOptimal: servedAfter >= servableBound,
    improved,
  };
}

/** Changed bookings (machine and operator booking separately) if the task sits at the place. */
function changeCount(task: Task, res: number, op: number, start: number): number {
  const origin = task.origin;
  if (!origin) return 0;
  const moved = start !== origin.start;
  let n = moved || res !== origin.res ? 1 : 0;
  if (task.operatorBookingId && (moved || op !== origin.op)) n++;
  return n;
}
