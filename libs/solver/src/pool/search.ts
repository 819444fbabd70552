import { Prng } from '../smptsp/prng';
import { PlanState, type Score } from './plan-state';
import type { Position, Task, TaskModel } from './tasks';

/**
 * Local search over the plan, in the spirit of Timefold's late acceptance: a move is kept when the
 * score is at least as good as now or as it was `LATE_ACCEPTANCE_LENGTH` steps ago. Score is
 * lexicographic (hard, served, −changes, −transport); the hard level is always 0 because every
 * move only ever uses feasible places. Moves: change (one task to another resource or time),
 * swap (two tasks trade resources), ejection chain (place a request where others sit, re-place
 * those elsewhere, recursively), and ruin (drop a served request, so the search can rearrange).
 */
const LATE_ACCEPTANCE_LENGTH = 300;
const EJECTION_DEPTH = 3;

export interface SearchOptions {
  seed: number;
  /** Absolute clock deadline (ms, as returned by `now`). */
  deadline: number;
  now: () => number;
  /** Stop after this many moves (default: unlimited; the clock decides). */
  maxMoves?: number;
  /** Stop when the best score has not improved for this many moves (default 10,000 + 50 per task). */
  stagnationMoves?: number;
}

export interface SearchResult {
  positions: (Position | null)[];
  score: Score;
  initial: Score;
  iterations: number;
}

export function searchPlan(tm: TaskModel, options: SearchOptions): SearchResult {
  const state = new PlanState(tm);
  const initial = state.score();
  const search = new Search(state, new Prng(options.seed));
  const outOfTime = (): boolean => options.now() >= options.deadline;
  const maxMoves = options.maxMoves ?? Infinity;
  const stagnation = options.stagnationMoves ?? 10_000 + 50 * tm.tasks.length;
  let lastImprovement = 0;

  search.greedy(outOfTime);
  let best = state.positions.slice();
  let bestScore = state.score();
  const history: Score[] = Array.from({ length: LATE_ACCEPTANCE_LENGTH }, () => bestScore);
  const requests = tm.tasks.filter((t) => t.kind === 'request' && t.candidates.length > 0);
  const movable = tm.tasks.filter((t) => !t.fixed && t.candidates.length > 0);
  let iterations = 0;
  if (movable.length === 0) return { positions: best, score: bestScore, initial, iterations };

  while (iterations < maxMoves && iterations - lastImprovement < stagnation && !outOfTime()) {
    const before = state.score();
    state.begin();
    if (!search.randomMove(requests, movable)) {
      state.rollback();
      iterations++;
      continue;
    }
    const after = state.score();
    const slot = iterations % LATE_ACCEPTANCE_LENGTH;
    if (PlanState.compare(after, before) >= 0 || PlanState.compare(after, history[slot]) >= 0) {
      state.commit();
      if (PlanState.compare(after, bestScore) > 0) {
        // A new level of requests served: forget the history of the lower level, or late
        // acceptance would take any number of needless changes as "better than back then".
        if (after.served !== bestScore.served) history.fill(after);
        bestScore = after;
        best = state.positions.slice();
        lastImprovement = iterations;
      }
    } else state.rollback();
    const current = state.score();
    if (PlanState.compare(current, history[slot]) > 0) history[slot] = current;
    iterations++;
  }
  const cleaned = revertNeedlessChanges(tm, best, outOfTime);
  return { positions: cleaned.positions, score: cleaned.score(), initial, iterations };
}

/**
 * Late acceptance drifts: bookings moved on the way to a better plan may no longer need to be
 * moved. Put every changed booking back where it was booked if that place is free (fewer changes
 * for the coordinator, nothing served is lost).
 */
function revertNeedlessChanges(
  tm: TaskModel,
  positions: (Position | null)[],
  outOfTime: () => boolean,
): PlanState {
  const state = new PlanState(tm);
  for (const task of tm.tasks) if (task.origin) state.set(task.index, null);
  positions.forEach((pos, i) => state.set(i, pos));
  let improved = true;
  while (improved && !outOfTime()) {
    improved = false;
    for (const task of tm.tasks) {
      const origin = task.origin;
      const pos = state.positions[task.index];
      if (!origin || !pos || (pos.res === origin.res && pos.op === origin.op && pos.start === origin.start))
        continue;
      state.set(task.index, null);
      const fits = state
        .fitRanges(task, origin.res, origin.op)
        .some(([a, b]) => a <= origin.start && origin.start <= b);
      state.set(task.index, fits ? origin : pos);
      improved ||= fits;
    }
  }
  return state;
}

class Search {
  constructor(
    private readonly state: PlanState,
    private readonly rng: Prng,
  ) {}

  /**
   * Requests by urgency and scarcity: first every one that fits as the plan stands is placed
   * directly, whatever the clock says (a pass over the requests, so that even a run whose time
   * goes on reading a large region proposes what fits); then, while time is left, each of the
   * others with a short ejection chain.
   */
  greedy(outOfTime: () => boolean): void {
    const order = this.state.tm.tasks
      .filter((t) => t.kind === 'request' && t.candidates.length > 0)
      .sort(
        (a, b) =>
          b.weight - a.weight ||
          a.candidates.length - b.candidates.length ||
          a.preferredStart - b.preferredStart ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
    const waiting = order.filter((task) => !this.placeDirect(task));
    for (const task of waiting) {
      if (outOfTime()) return;
      if (this.placeDirect(task)) continue;
      const before = this.state.score();
      this.state.begin();
      if (
        this.placeWithEjection(task, EJECTION_DEPTH - 1, new Set([task.index])) &&
        PlanState.compare(this.state.score(), before) > 0
      )
        this.state.commit();
      else this.state.rollback();
    }
  }

  /** One random move applied to the state (inside a journal); false if it could not be built. */
  randomMove(requests: Task[], movable: Task[]): boolean {
    const roll = this.rng.nextFloat();
    if (roll < 0.45 && requests.length > 0) {
      const task = requests[this.rng.nextInt(requests.length)];
      if (this.state.positions[task.index]) return this.ruin(task);
      return this.placeWithEjection(task, EJECTION_DEPTH, new Set([task.index]));
    }
    const task = movable[this.rng.nextInt(movable.length)];
    if (!this.state.positions[task.index]) return false;
    if (roll < 0.6 && task.origin) return this.revert(task);
    if (roll < 0.85) return this.change(task);
    return this.swap(task);
  }

  private shuffled(list: readonly number[]): number[] {
    const out = list.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.rng.nextInt(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Best direct place on any candidate resource, without touching others. */
  placeDirect(task: Task): boolean {
    let best: Position | null = null;
    for (const res of task.candidates) {
      const pos = this.state.bestOn(task, res);
      if (
        pos &&
        (!best || Math.abs(pos.start - task.preferredStart) < Math.abs(best.start - task.preferredStart))
      )
        best = pos;
    }
    if (!best) return false;
    this.state.set(task.index, best);
    return true;
  }

  /** Drops a served request now and then, so late acceptance can rebuild around it. */
  private ruin(task: Task): boolean {
    if (this.rng.nextFloat() < 0.8) return false;
    this.state.set(task.index, null);
    return true;
  }

  /** Back to the booked place, if it is free again: fewer changes for the coordinator. */
  private revert(task: Task): boolean {
    const origin = task.origin;
    const current = this.state.positions[task.index];
    if (!origin || !current) return false;
    if (current.res === origin.res && current.op === origin.op && current.start === origin.start)
      return false;
    this.state.set(task.index, null);
    const pos = this.state.bestOn(task, origin.res);
    if (!pos) return false;
    this.state.set(task.index, pos);
    return true;
  }

  /** Moves a task to a random other candidate resource (or, if flexible, another time). */
  private change(task: Task): boolean {
    const current = this.state.positions[task.index];
    if (!current) return false;
    const res = task.candidates[this.rng.nextInt(task.candidates.length)];
    this.state.set(task.index, null);
    const flexible = task.startMax > task.startMin;
    const prefer = flexible && this.rng.nextFloat() < 0.5 ? this.randomStart(task) : task.preferredStart;
    const pos = this.state.bestOn(task, res, prefer);
    if (!pos || (pos.res === current.res && pos.op === current.op && pos.start === current.start))
      return false;
    this.state.set(task.index, pos);
    return true;
  }

  /** Two tasks at about the same time trade resources. */
  private swap(task: Task): boolean {
    const current = this.state.positions[task.index];
    if (!current || task.candidates.length < 2) return false;
    const other = task.candidates[this.rng.nextInt(task.candidates.length)];
    if (other === current.res) return false;
    const tl = this.state.timeline(other);
    const partners: number[] = [];
    const end = current.start + task.duration;
    for (const e of tl) {
      if (e.start >= end) break;
      if (e.end > current.start) partners.push(e.task);
    }
    if (partners.length === 0) return false;
    const partner = this.state.tm.tasks[partners[this.rng.nextInt(partners.length)]];
    if (partner.fixed || !partner.candidates.includes(current.res)) return false;
    const partnerPos = this.state.positions[partner.index];
    if (!partnerPos || partnerPos.res !== other) return false;
    this.state.set(task.index, null);
    this.state.set(partner.index, null);
    const a = this.state.bestOn(task, other);
    if (!a) return false;
    this.state.set(task.index, a);
    const b = this.state.bestOn(partner, current.res);
    if (!b) return false;
    this.state.set(partner.index, b);
    return true;
  }

  private randomStart(task: Task): number {
    const span = task.startMax - task.startMin;
    const quarter = 15 * 60_000;
    return task.startMin + Math.floor((this.rng.nextFloat() * span) / quarter) * quarter;
  }

  /**
   * Ejection chain: place the task directly if it fits anywhere; otherwise put it on a random
   * candidate at an available time, eject what is in the way and re-place the ejected tasks the
   * same way with one level less. An ejected request may stay unserved (the score decides); an
   * ejected booking that finds no place fails the whole chain.
   */
  placeWithEjection(task: Task, depth: number, chain: Set<number>): boolean {
    const mark = this.state.mark();
    if (this.eject(task, depth, chain)) return true;
    this.state.rollbackTo(mark);
    return false;
  }

  private eject(task: Task, depth: number, chain: Set<number>): boolean {
    if (this.placeDirect(task)) return true;
    if (depth <= 0 || task.candidates.length === 0) return false;
    const res = task.candidates[this.rng.nextInt(task.candidates.length)];
    const operators = task.operatorOn(res);
    const op = operators ? (operators.length > 0 ? operators[this.rng.nextInt(operators.length)] : -2) : -1;
    if (op === -2 || op === res) return false;
    let ranges = this.state.taskStarts(res, task);
    if (op >= 0) {
      const opRanges = this.state.taskStarts(op, task);
      ranges = ranges.flatMap(([a, b]) =>
        opRanges.flatMap(([c, d]): [number, number][] =>
          Math.max(a, c) <= Math.min(b, d) ? [[Math.max(a, c), Math.min(b, d)]] : [],
        ),
      );
    }
    if (ranges.length === 0) return false;
    let start: number;
    if (this.rng.nextFloat() < 0.6) {
      start = ranges[0][0];
      for (const [a, b] of ranges) {
        const x = Math.min(Math.max(task.preferredStart, a), b);
        if (Math.abs(x - task.preferredStart) < Math.abs(start - task.preferredStart)) start = x;
      }
    } else {
      const [a, b] = ranges[this.rng.nextInt(ranges.length)];
      start = a + Math.floor(this.rng.nextFloat() * (b - a + 1));
    }
    const ejected = new Set<number>();
    for (const r of op >= 0 ? [res, op] : [res]) {
      const hits = this.state.conflictsOn(r, task, start);
      if (!hits) return false;
      for (const h of hits) {
        if (chain.has(h)) return false;
        ejected.add(h);
      }
    }
    for (const h of ejected) this.state.set(h, null);
    const fits = this.state.fitRanges(task, res, op).some(([a, b]) => a <= start && start <= b);
    if (!fits) return false;
    this.state.set(task.index, { res, op, start });
    const next = new Set(chain);
    next.add(task.index);
    const tasks = this.state.tm.tasks;
    const order = [...ejected].sort(
      (a, b) => (tasks[a].kind === 'booking' ? 0 : 1) - (tasks[b].kind === 'booking' ? 0 : 1),
    );
    for (const h of order) {
      if (!this.placeWithEjection(tasks[h], depth - 1, next) && tasks[h].kind === 'booking') return false;
    }
    return true;
  }
}
