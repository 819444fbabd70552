import { DateTime } from 'luxon';
import type { Interval, PoolModel, Text } from './model';

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

/** "KW 14–16" / "weeks 14–16"; across a year boundary with the year. */
export function weekLabel(weeks: readonly Week[], from: number, to: number): Text {
  const a = weeks[from];
  const b = weeks[to];
  if (from === to)
    return { de: `KW ${a.weekNumber}/${a.weekYear}`, en: `week ${a.weekNumber}/${a.weekYear}` };
  if (a.weekYear === b.weekYear)
    return {
      de: `KW ${a.weekNumber}–${b.weekNumber}/${a.weekYear}`,
      en: `weeks ${a.weekNumber}–${b.weekNumber}/${a.weekYear}`,
    };
  return {
    de: `KW ${a.weekNumber}/${a.weekYear}–${b.weekNumber}/${b.weekYear}`,
    en: `weeks ${a.weekNumber}/${a.weekYear}–${b.weekNumber}/${b.weekYear}`,
  };
}

/** Local date and time for explanations: "Di 14.04.2026 07:00" / "Tue 2026-04-14 07:00". */
export function formatInstant(t: number): Text {
  const d = DateTime.fromMillis(t, { zone: ZONE });
  return {
    de: d.setLocale('de').toFormat('ccc dd.LL.yyyy HH:mm'),
    en: d.setLocale('en').toFormat('ccc yyyy-LL-dd HH:mm'),
  };
}

export function formatHours(hours: number): Text {
  const rounded = Math.round(hours * 10) / 10;
  const en = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
  return { de: `${en.replace('.', ',')} h`, en: `${en} h` };
}

export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

export function formatEuro(cents: number): Text {
  const euros = Math.round(cents / 100);
  return {
    de: `${euros.toLocaleString('de-DE')} €`,
    en: `EUR ${euros.toLocaleString('en-GB')}`,
  };
}

export function typeName(model: PoolModel, type: string): Text {
  const known = model.typeNames?.[type];
  if (known) return known;
  const words = type.replace(/[-_]/g, ' ');
  return { de: words.charAt(0).toUpperCase() + words.slice(1), en: words };
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function siteName(model: PoolModel, siteId: string): string {
  return model.siteNames?.[siteId] ?? siteId;
}
