import { DateTime } from 'luxon';

/** Rules that speak of local days and hours mean Europe/Berlin wall-clock time. */
export const ZONE = 'Europe/Berlin';

/** An ISO 8601 instant that states its offset (or Z); local times without one are ambiguous. */
export const INSTANT_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/;

export function parseInstant(value: string): Date | null {
  if (!INSTANT_WITH_OFFSET.test(value)) return null;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toJSDate() : null;
}

export function toBerlin(date: Date): DateTime {
  return DateTime.fromJSDate(date, { zone: ZONE });
}

/** The local (Europe/Berlin) calendar date of an instant, yyyy-MM-dd. */
export function berlinDate(date: Date): string {
  const ms = date.getTime();
  return new Date(ms + berlinOffsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
}

/**
 * Local calendar days (yyyy-MM-dd) touched by [start, end). From the cached offset, not a luxon
 * zone conversion: every booking write asks this (membership, holidays).
 */
export function localDays(start: Date, end: Date): string[] {
  const last = berlinDate(new Date(end.getTime() - 1));
  const days: string[] = [];
  for (let day = berlinDate(start); ;) {
    days.push(day);
    if (day >= last) return days;
    day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
}

export function minutesBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / 60_000;
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

const HOUR_MS = 3_600_000;
/** UTC offset (minutes) of Europe/Berlin per UTC hour: it only changes on the hour, twice a year. */
const offsetByHour = new Map<number, number>();

function berlinOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = DateTime.fromMillis(hour * HOUR_MS, { zone: ZONE }).offset;
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/**
 * The wall-clock form beside the UTC instant in responses, e.g. 2026-10-25T02:30:00+01:00.
 * Formatted by hand from a cached offset: responses carry hundreds of these, and a luxon zone
 * conversion per instant was most of the availability search's CPU.
 */
export function berlinWallClock(date: Date): string {
  const ms = date.getTime();
  const offset = berlinOffsetMinutes(ms);
  const local = new Date(ms + offset * 60_000).toISOString();
  const seconds = local.slice(17, 23) === '00.000' ? ':00' : `:${local.slice(17, 19)}`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  const millis = local.slice(20, 23) === '000' ? '' : `.${local.slice(20, 23)}`;
  return `${local.slice(0, 16)}${seconds}${millis}${sign}${hh}:${mm}`;
}

export function overlaps(aStart: Date, aEnd: Date, bStart: Date, bEnd: Date): boolean {
  return aStart < bEnd && bStart < aEnd;
}
