import { DateTime } from 'luxon';
import type { Interval } from './model';

export const ZONE = 'Europe/Berlin';
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** One ISO week (Monday 00:00 Europe/Berlin), clipped to the model's period. */
export interface Week {
  index: number;
  weekYear: number;
  weekNumber: number;
  start: number;
  end: number;
}

/** ISO weeks that overlap the period, in order, clipped to it. */
export function weeksOf(period: Interval): Week[] {
  const weeks: Week[] = [];
  let cursor = DateTime.fromMillis(period.start, { zone: ZONE }).startOf('week');
  while (cursor.toMillis() < period.end) {
    const next = cursor.plus({ weeks: 1 });
    weeks.push({
      index: weeks.length,
      weekYear: cursor.weekYear,
      weekNumber: cursor.weekNumber,
      start: Math.max(cursor.toMillis(), period.start),
      end: Math.min(next.toMillis(), period.end),
    });
    cursor = next;
  }
  return weeks;
}

/** Index of the week holding `t` (binary search), or -1 outside the period. */
export function weekIndexAt(weeks: readonly Week[], t: number): number {
  let lo = 0;
  let hi = weeks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < weeks[mid].start) hi = mid - 1;
    else if (t >= weeks[mid].end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export function overlapMs(a: Interval, start: number, end: number): number {
  return Math.max(0, Math.min(a.end, end) - Math.max(a.start, start));
}

/** Adds `amount(overlap)` of [start, end) to each week it touches. */
export function spreadOverWeeks(
  weeks: readonly Week[],
  start: number,
  end: number,
  into: Float64Array,
  perMs = 1 / HOUR_MS,
): void {
  let w = weekIndexAt(weeks, Math.max(start, weeks[0]?.start ?? start));
  if (w < 0) return;
  for (; w < weeks.length && weeks[w].start < end; w++) {
    into[w] += overlapMs(weeks[w], start, end) * perMs;
  }
}

/** Merges sorted intervals that touch or overlap. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of sorted) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ start: i.start, end: i.end });
  }
  return merged;
}

export function contains(outer: Interval, start: number, end: number): boolean {
  return outer.start <= start && end <= outer.end;
}

/** Runs of consecutive week indices for which `hit` holds. */
export function weekRuns(count: number, hit: (w: number) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  let from = -1;
  for (let w = 0; w <= count; w++) {
    const on = w < count && hit(w);
    if (on && from < 0) from = w;
    if (!on && from >= 0) {
      runs.push([from, w - 1]);
      from = -1;
    }
  }
  return runs;
}
