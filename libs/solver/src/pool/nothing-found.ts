import type { NothingFound, NothingFoundReason } from './model';
import { earliestStart, type Position, type Task, type TaskModel } from './tasks';

/**
 * Why a plan serves no waiting request: per request the first reason that holds (its time has
 * passed; no resource of its type; every machine of the type retired or due for inspection by
 * then; no qualified operator free in its window; otherwise fully booked), and one reason for the
 * run: nothing waiting, or the reason most requests share ("nothing movable" when they are fully
 * booked and no booking could move to make room).
 */
export function whyNothingFound(tm: TaskModel, positions: readonly (Position | null)[]): NothingFound {
  const requests = tm.tasks.filter((t) => t.kind === 'request');
  if (requests.length === 0) return { reason: 'nothing-waiting', waiting: 0, requests: [] };
  const unserved = requests
    .filter((t) => !positions[t.index])
    .map((t) => ({ requestId: t.id, reason: reasonFor(tm, t) }));
  const counts = new Map<NothingFoundReason, number>();
  for (const u of unserved) counts.set(u.reason, (counts.get(u.reason) ?? 0) + 1);
  let reason: NothingFoundReason = 'fully-booked';
  let most = 0;
  for (const [r, c] of counts)
    if (c > most) {
      reason = r;
      most = c;
    }
  if (reason === 'fully-booked' && !tm.tasks.some(isMovable)) reason = 'nothing-movable';
  return { reason, waiting: requests.length, requests: unserved };
}

function isMovable(t: Task): boolean {
  return t.kind === 'booking' && !t.fixed && (t.candidates.length > 1 || t.startMax > t.startMin);
}

function reasonFor(tm: TaskModel, t: Task): NothingFoundReason {
  const windowEnd = t.startMax + t.duration;
  if (t.startMax < earliestStart(tm.model) || t.startMax < t.startMin) return 'all-in-past';
  const ofType = tm.resources.flatMap((r, i) => (r.type === t.type ? [i] : []));
  if (ofType.length === 0 || t.candidates.length === 0) return 'no-resource-of-type';
  const from = t.startMin;
  const retired = (i: number) => {
    const at = tm.resources[i].retiredAt;
    return at !== undefined && at !== null && at <= from + 0;
  };
  const inspectionDue = (i: number) => {
    const at = tm.resources[i].inspectionDue;
    return at !== undefined && at !== null && at < from + t.duration;
  };
  const usable = t.candidates.filter((i) => !retired(i) && !inspectionDue(i));
  if (usable.length === 0)
    return t.candidates.every(retired) ? 'blocked-by-retirement' : 'blocked-by-inspections';
  const fits = (i: number) =>
    tm.available[i].some((a) => Math.min(a.end, windowEnd) - Math.max(a.start, from) >= t.duration);
  const withOperator = usable.filter((i) => {
    if (!fits(i)) return false;
    const operators = t.operatorOn(i);
    return operators === null || operators.some(fits);
  });
  if (withOperator.length === 0 && usable.some((i) => fits(i) && t.operatorOn(i) !== null))
    return 'blocked-by-operator-hours';
  if (withOperator.length === 0 && usable.every((i) => !fits(i)) && t.candidates.some(inspectionDue))
    return 'blocked-by-inspections';
  return 'fully-booked';
}
