import { MINUTE_MS } from './calendar';
import type { Position, Task, TaskModel } from './tasks';

interface Entry {
  task: number;
  start: number;
  end: number;
  site: number;
}

/** Start ranges [from, to] (inclusive), sorted and disjoint. */
type Ranges = [number, number][];

/**
 * The working plan of the search: where each task sits, one sorted timeline per resource, and the
 * score kept up to date incrementally. Every placement it makes is feasible (hard score 0): the
 * search never holds a plan that breaks a hard rule, so the lexicographic score starts at
 * "requests served".
 */
export class PlanState {
  readonly positions: (Position | null)[];
  private readonly timelines: Entry[][];
  /** Hard violations: existing bookings without a place (a chain that failed half-way). */
  unplacedBookings = 0;
  /** Weighted requests served. */
  served = 0;
  servedCount = 0;
  /** Existing bookings (machine and operator bookings counted separately) that differ from the input. */
  changes = 0;
  transport = 0;
  private journal: { task: number; previous: Position | null }[] | null = null;

  constructor(readonly tm: TaskModel) {
    this.positions = tm.tasks.map(() => null);
    this.timelines = tm.resources.map(() => []);
    this.unplacedBookings = tm.tasks.filter((t) => t.origin).length;
    // The input plan is taken as it is, even where it already breaks a rule (the engine's problem).
    for (const task of tm.tasks) if (task.origin) this.set(task.index, task.origin);
  }

  // ---- score -------------------------------------------------------------------------------

  /** Lexicographic: served (weighted) ↑, changes ↓, transport ↓. Positive when a is better. */
  static compare(a: Score, b: Score): number {
    return b.hard - a.hard || a.served - b.served || b.changes - a.changes || b.transport - a.transport;
  }

  score(): Score {
    return {
      hard: this.unplacedBookings,
      served: this.served,
      changes: this.changes,
      transport: this.transport,
    };
  }

  private changeCount(task: Task, pos: Position | null): number {
    const origin = task.origin;
    if (!origin || !pos) return 0;
    const moved = pos.start !== origin.start;
    let n = moved || pos.res !== origin.res ? 1 : 0;
    if (task.operatorBookingId && (moved || pos.op !== origin.op)) n++;
    return n;
  }

  // ---- journal (undo) ----------------------------------------------------------------------

  begin(): void {
    this.journal = [];
  }

  /** Savepoint inside the current journal. */
  mark(): number {
    return this.journal?.length ?? 0;
  }

  rollbackTo(mark: number): void {
    const journal = this.journal;
    if (!journal) return;
    this.journal = null;
    for (let i = journal.length - 1; i >= mark; i--) this.set(journal[i].task, journal[i].previous);
    journal.length = mark;
    this.journal = journal;
  }

  commit(): void {
    this.journal = null;
  }

  rollback(): void {
    const journal = this.journal;
    this.journal = null;
    if (!journal) return;
    for (let i = journal.length - 1; i >= 0; i--) this.set(journal[i].task, journal[i].previous);
  }

  // ---- placing -----------------------------------------------------------------------------

  set(taskIndex: number, pos: Position | null): void {
    const task = this.tm.tasks[taskIndex];
    const previous = this.positions[taskIndex];
    if (this.journal) this.journal.push({ task: taskIndex, previous });
    if (previous) {
      this.changes -= this.changeCount(task, previous);
      this.unlink(previous.res, taskIndex, previous.start);
      if (previous.op >= 0) this.unlink(previous.op, taskIndex, previous.start);
      if (task.kind === 'request') {
        this.served -= task.weight;
        this.servedCount--;
      } else this.unplacedBookings++;
    }
    this.positions[taskIndex] = pos;
    if (pos) {
      this.changes += this.changeCount(task, pos);
      this.link(pos.res, task, pos.start);
      if (pos.op >= 0) this.link(pos.op, task, pos.start);
      if (task.kind === 'request') {
        this.served += task.weight;
        this.servedCount++;
      } else this.unplacedBookings--;
    }
  }

  private link(res: number, task: Task, start: number): void {
    const tl = this.timelines[res];
    const i = this.lowerBound(tl, start);
    const prevSite = i > 0 ? tl[i - 1].site : this.tm.homeSite[res];
    const next = tl[i];
    const t = this.tm.travel;
    this.transport +=
      t(prevSite, task.site, res) + (next ? t(task.site, next.site, res) - t(prevSite, next.site, res) : 0);
    tl.splice(i, 0, { task: task.index, start, end: start + task.duration, site: task.site });
  }

  private unlink(res: number, taskIndex: number, start: number): void {
    const tl = this.timelines[res];
    let i = this.lowerBound(tl, start);
    while (i < tl.length && tl[i].task !== taskIndex) i++;
    if (i >= tl.length) throw new Error(`plan state: task ${taskIndex} missing on resource ${res}`);
    const entry = tl[i];
    tl.splice(i, 1);
    const prevSite = i > 0 ? tl[i - 1].site : this.tm.homeSite[res];
    const next = tl[i];
    const t = this.tm.travel;
    this.transport -=
      t(prevSite, entry.site, res) + (next ? t(entry.site, next.site, res) - t(prevSite, next.site, res) : 0);
  }

  /** First index whose start is ≥ start. */
  private lowerBound(tl: Entry[], start: number): number {
    let lo = 0;
    let hi = tl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tl[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Pairs of neighbours on a timeline that break the transport rule (for tests and debugging). */
  violations(): string[] {
    const out: string[] = [];
    this.timelines.forEach((tl, res) => {
      for (let i = 1; i < tl.length; i++) {
        const a = tl[i - 1];
        const b = tl[i];
        if (a.end + this.tm.travel(a.site, b.site, res) * MINUTE_MS > b.start)
          out.push(
            `${this.tm.tasks[a.task].id} / ${this.tm.tasks[b.task].id} on ${this.tm.resources[res].id}`,
          );
      }
    });
    return out;
  }

  timeline(res: number): readonly Entry[] {
    return this.timelines[res];
  }

  transportOf(res: number): number {
    const tl = this.timelines[res];
    let prev = this.tm.homeSite[res];
    let sum = 0;
    for (const e of tl) {
      sum += this.tm.travel(prev, e.site, res);
      prev = e.site;
    }
    return sum;
  }

  // ---- where a task fits -------------------------------------------------------------------

  /** Starts in [lo, hi] at which [start, start + duration) fits the resource's availability. */
  availableStarts(res: number, duration: number, lo: number, hi: number): Ranges {
    const out: Ranges = [];
    for (const a of this.tm.available[res]) {
      if (a.start > hi) break;
      const from = Math.max(a.start, lo);
      const to = Math.min(a.end - duration, hi);
      if (from <= to) out.push([from, to]);
    }
    return out;
  }

  /** Starts in [lo, hi] that keep the resource's timeline feasible including transport. */
  private freeStarts(res: number, task: Task, lo: number, hi: number): Ranges {
    const tl = this.timelines[res];
    const t = this.tm.travel;
    const out: Ranges = [];
    let i = this.lowerBound(tl, lo);
    if (i > 0) i--;
    // Earlier entries may still end late; step back while they reach into the range.
    while (i > 0 && tl[i - 1].end > lo - 86_400_000) i--;
    let from = -Infinity;
    for (; i <= tl.length; i++) {
      const next = tl[i];
      if (next) {
        const to = next.start - t(task.site, next.site, res) * MINUTE_MS - task.duration;
        const a = Math.max(from, lo);
        const b = Math.min(to, hi);
        if (a <= b) out.push([a, b]);
        from = Math.max(from, next.end + t(next.site, task.site, res) * MINUTE_MS);
        if (next.start > hi + task.duration + 86_400_000) {
          from = Infinity;
          break;
        }
      } else {
        const a = Math.max(from, lo);
        if (a <= hi) out.push([a, hi]);
      }
    }
    return out;
  }

  /** Starts the task may take on `res` as far as its availability and the task's ranges go. */
  taskStarts(res: number, task: Task): Ranges {
    return intersect(
      this.availableStarts(res, task.duration, task.startMin, task.startMax),
      task.startRanges,
    );
  }

  /** Start ranges where the task fits on `res` (and `op`), ignoring its own current place. */
  fitRanges(task: Task, res: number, op: number): Ranges {
    let ranges = this.taskStarts(res, task);
    if (op >= 0) ranges = intersect(ranges, this.taskStarts(op, task));
    if (ranges.length === 0) return ranges;
    const lo = ranges[0][0];
    const hi = ranges[ranges.length - 1][1];
    ranges = intersect(ranges, this.freeStarts(res, task, lo, hi));
    if (op >= 0 && ranges.length > 0) ranges = intersect(ranges, this.freeStarts(op, task, lo, hi));
    return ranges;
  }

  /**
   * Best place for the task on `res` (operator chosen among the qualified): the start closest to
   * the preferred one; ties keep the original operator. The task must not be placed right now.
   */
  bestOn(task: Task, res: number, prefer = task.preferredStart): Position | null {
    const operators = task.operatorOn(res);
    if (!operators) {
      const start = closest(this.fitRanges(task, res, -1), prefer);
      return start === null ? null : { res, op: -1, start };
    }
    let best: Position | null = null;
    let bestDistance = Infinity;
    const originalOp = task.origin?.op ?? -1;
    for (const op of operators) {
      if (op === res) continue;
      const start = closest(this.fitRanges(task, res, op), prefer);
      if (start === null) continue;
      const d = Math.abs(start - prefer) - (op === originalOp ? 0.5 : 0);
      if (d < bestDistance) {
        bestDistance = d;
        best = { res, op, start };
      }
    }
    return best;
  }

  /** Tasks on the timeline of `res` that stop [start, start + duration) at the task's site. */
  conflictsOn(res: number, task: Task, start: number): number[] | null {
    const tl = this.timelines[res];
    const t = this.tm.travel;
    const end = start + task.duration;
    const hits: number[] = [];
    let i = this.lowerBound(tl, start);
    let back = i - 1;
    while (back >= 0 && tl[back].end + t(tl[back].site, task.site, res) * MINUTE_MS > start) {
      hits.push(tl[back].task);
      back--;
    }
    for (; i < tl.length && tl[i].start < end + t(task.site, tl[i].site, res) * MINUTE_MS; i++)
      hits.push(tl[i].task);
    for (const h of hits) if (this.tm.tasks[h].fixed) return null;
    return hits;
  }
}

export interface Score {
  hard: number;
  served: number;
  changes: number;
  transport: number;
}

export function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i][0], b[j][0]);
    const to = Math.min(a[i][1], b[j][1]);
    if (from <= to) out.push([from, to]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

const QUARTER_HOUR = 15 * MINUTE_MS;

/**
 * Start in the ranges closest to `prefer`. A start that had to move is put on a quarter hour
 * where the range allows (a plan reads "13:15", not "13:09"; Berlin is a whole-hour offset).
 */
export function closest(ranges: Ranges, prefer: number): number | null {
  let best: number | null = null;
  for (const [from, to] of ranges) {
    let x = Math.min(Math.max(prefer, from), to);
    if (x !== prefer && x % QUARTER_HOUR !== 0) {
      const up = Math.ceil(x / QUARTER_HOUR) * QUARTER_HOUR;
      const down = Math.floor(x / QUARTER_HOUR) * QUARTER_HOUR;
      const aligned = [up, down].filter((q) => from <= q && q <= to);
      if (aligned.length > 0)
        x = aligned.reduce((a, b) => (Math.abs(b - prefer) < Math.abs(a - prefer) ? b : a));
    }
    if (best === null || Math.abs(x - prefer) < Math.abs(best - prefer)) best = x;
  }
  return best;
}
