import { mergeIntervals } from './calendar';
import type { Interval, PoolModel, SolverBooking, SolverResource } from './model';

/**
 * What the search places: an existing booking (with the operator booking that goes with it) or a
 * request. A task occupies one resource and, where the machine needs one, a qualified operator
 * for the same time.
 */
export interface Task {
  index: number;
  kind: 'booking' | 'request';
  /** Booking id or request id. */
  id: string;
  /** Booking tasks: the staff booking that operates this machine booking. */
  operatorBookingId: string | null;
  type: string;
  municipalityId: string;
  site: number;
  duration: number;
  /** Allowed starts: [startMin, startMax] … */
  startMin: number;
  startMax: number;
  /** … and within these ranges (sorted, disjoint): the own start, and the model's movable hours. */
  startRanges: [number, number][];
  /** Start the task is best placed at (its booked or requested start). */
  preferredStart: number;
  /** Emergency bookings and bookings whose resource the model does not know never move. */
  fixed: boolean;
  emergency: boolean;
  /** Requests: what serving it is worth (emergencies count more). */
  weight: number;
  /** Resources (indices) the task may be placed on. */
  candidates: number[];
  /** Whether placing on a resource needs an operator, and which staff qualify. */
  operatorOn: (resource: number) => number[] | null;
  origin: Position | null;
}

export interface Position {
  res: number;
  /** Operator resource or -1. */
  op: number;
  start: number;
}

/** A served emergency request counts as much as this many normal ones. */
export const EMERGENCY_WEIGHT = 10;

export interface TaskModel {
  model: PoolModel;
  resources: SolverResource[];
  available: Interval[][];
  resourceIndex: Map<string, number>;
  sites: string[];
  siteIndex: Map<string, number>;
  homeSite: Int32Array;
  tasks: Task[];
  bookingTask: Map<string, number>;
  requestTask: Map<string, number>;
  /** Minutes of transport between sites for a resource (cached; the loader's function may be slow). */
  travel: (from: number, to: number, res: number) => number;
}

export function hasQualification(
  resource: SolverResource,
  qualification: string | null | undefined,
): boolean {
  return !qualification || resource.qualifications.includes(qualification);
}

/**
 * Starts in [startMin, startMax] at which [start, start + duration) lies in one of `hours`, plus
 * the task's own start; all of [startMin, startMax] without `hours`.
 */
export function startRanges(
  startMin: number,
  startMax: number,
  duration: number,
  own: number,
  hours: Interval[] | undefined,
): [number, number][] {
  if (startMax < startMin) return [];
  if (!hours || startMin === startMax) return [[startMin, startMax]];
  const ranges: [number, number][] = own >= startMin && own <= startMax ? [[own, own]] : [];
  for (const h of hours) {
    const from = Math.max(startMin, h.start);
    const to = Math.min(startMax, h.end - duration);
    if (from <= to) ranges.push([from, to]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Quarter hours: moved or newly placed work starts on one, from the present on. */
const QUARTER_HOUR_MS = 15 * 60_000;

/** The earliest start the solver may give moved or new work: `now` rounded up to a quarter hour. */
export function earliestStart(model: PoolModel): number {
  if (model.now === undefined) return -Infinity;
  return Math.ceil(model.now / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
}

export function buildTaskModel(model: PoolModel): TaskModel {
  const resources = model.resources;
  const notBefore = earliestStart(model);
  const resourceIndex = new Map(resources.map((r, i) => [r.id, i]));
  const sites: string[] = [];
  const siteIndex = new Map<string, number>();
  const site = (id: string): number => {
    let i = siteIndex.get(id);
    if (i === undefined) {
      i = sites.length;
      sites.push(id);
      siteIndex.set(id, i);
    }
    return i;
  };
  const homeSite = Int32Array.from(resources, (r) => site(r.homeSiteId));
  const available = resources.map((r) => mergeIntervals(r.available));

  const cache = resources.map(() => new Map<number, number>());
  const travel = (from: number, to: number, res: number): number => {
    if (from === to) return 0;
    const key = from * 1_000_003 + to;
    let minutes = cache[res].get(key);
    if (minutes === undefined) {
      minutes = Math.max(0, model.travelMinutes(sites[from], sites[to], resources[res].id));
      cache[res].set(key, minutes);
    }
    return minutes;
  };

  const staffIndices = resources.flatMap((r, i) => (r.kind === 'staff' ? [i] : []));
  const operatorCache = new Map<string, number[]>();
  const operatorsFor = (qualification: string | null, type: string | null): number[] => {
    const key = `${type ?? '*'}\u0000${qualification ?? '*'}`;
    let list = operatorCache.get(key);
    if (!list) {
      list = staffIndices.filter(
        (i) => (type === null || resources[i].type === type) && hasQualification(resources[i], qualification),
      );
      operatorCache.set(key, list);
    }
    return list;
  };

  const bookingById = new Map(model.bookings.map((b) => [b.id, b]));
  const operatorOf = new Map<string, SolverBooking>();
  for (const b of model.bookings) {
    const machine = b.operatorForBookingId ? bookingById.get(b.operatorForBookingId) : undefined;
    if (machine && resourceIndex.has(b.resourceId) && !operatorOf.has(machine.id))
      operatorOf.set(machine.id, b);
  }
  const absorbed = new Set([...operatorOf.values()].map((b) => b.id));

  const tasks: Task[] = [];
  const bookingTask = new Map<string, number>();
  const requestTask = new Map<string, number>();

  for (const b of model.bookings) {
    if (absorbed.has(b.id)) continue;
    const res = resourceIndex.get(b.resourceId);
    if (res === undefined) continue;
    const original = resources[res];
    const operatorBooking = operatorOf.get(b.id) ?? null;
    const opRes = operatorBooking ? (resourceIndex.get(operatorBooking.resourceId) ?? -1) : -1;
    const emergency = b.priority === 'emergency' || operatorBooking?.priority === 'emergency';
    // Work that has started (or lies in the past) stays where it is.
    const started = b.start < notBefore;
    const pinned = emergency || started;
    const candidates = pinned
      ? [res]
      : resources.flatMap((r, i) => {
          if (r.kind !== original.kind || r.type !== original.type) return [];
          if (r.kind === 'staff') return hasQualification(r, b.requiredQualification) ? [i] : [];
          // Without a pool operator the municipality brings its own, qualified for the booked machine.
          if (
            !operatorBooking &&
            r.requiredQualification &&
            r.requiredQualification !== original.requiredQualification
          )
            return [];
          return [i];
        });
    const duration = b.end - b.start;
    const window = !pinned && b.flexible ? b.flexible : { start: b.start, end: b.end };
    const operatorType = opRes >= 0 ? resources[opRes].type : null;
    const index = tasks.length;
    const startMin = pinned ? b.start : Math.min(Math.max(window.start, notBefore), b.start);
    const startMax = Math.max(window.end - duration, b.start);
    tasks.push({
      index,
      kind: 'booking',
      id: b.id,
      operatorBookingId: operatorBooking?.id ?? null,
      type: original.type,
      municipalityId: b.municipalityId,
      site: site(b.siteId),
      duration,
      startMin,
      startMax,
      startRanges: startRanges(startMin, startMax, duration, b.start, model.movableHours),
      preferredStart: b.start,
      fixed: pinned,
      emergency,
      weight: 0,
      candidates,
      operatorOn: operatorBooking
        ? (r) => (pinned ? [opRes] : operatorsFor(resources[r].requiredQualification, operatorType))
        : () => null,
      origin: { res, op: opRes, start: b.start },
    });
    bookingTask.set(b.id, index);
  }

  for (const q of model.requests) {
    const duration = q.end - q.start;
    const window = q.window ?? { start: q.start, end: q.end };
    const candidates = resources.flatMap((r, i) =>
      r.type === q.type && (r.kind === 'machine' || hasQualification(r, q.requiredQualification)) ? [i] : [],
    );
    const index = tasks.length;
    // A request is served from the present on; one whose window has passed cannot be served.
    const requestStartMin = Math.max(window.start, notBefore);
    tasks.push({
      index,
      kind: 'request',
      id: q.id,
      operatorBookingId: null,
      type: q.type,
      municipalityId: q.municipalityId,
      site: site(q.siteId),
      duration,
      startMin: requestStartMin,
      startMax: window.end - duration,
      startRanges: startRanges(requestStartMin, window.end - duration, duration, q.start, model.movableHours),
      preferredStart: q.start,
      fixed: false,
      emergency: q.priority === 'emergency',
      weight: q.priority === 'emergency' ? EMERGENCY_WEIGHT : 1,
      candidates: requestStartMin > window.end - duration ? [] : candidates,
      operatorOn: (r) => {
        const needed = resources[r].kind === 'machine' ? resources[r].requiredQualification : null;
        return needed && q.needsOperator !== false ? operatorsFor(needed, null) : null;
      },
      origin: null,
    });
    requestTask.set(q.id, index);
  }

  return {
    model,
    resources,
    available,
    resourceIndex,
    sites,
    siteIndex,
    homeSite,
    tasks,
    bookingTask,
    requestTask,
    travel,
  };
}
