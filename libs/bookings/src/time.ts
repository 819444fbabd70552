import { DateTime } from 'luxon';

/** Rules that speak of local days and hours mean Europe/Berlin wall-clock time. */
export const ZONE = 'Europe/Berlin';

/** An ISO 8601 instant that states its offset (or Z); local times without one are ambiguous. */
export const INSTANT_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):?[0-5]\d)$/;

const INSTANT_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * The instant, or null when the text has no offset or names a day or time that does not exist
 * (30 February, 10:60; 24:00 is the next day's midnight, as ISO 8601 has it). Parsed by hand, not by luxon: every request with a time asks this.
 */
export function parseInstant(value: string): Date | null {
  if (!INSTANT_WITH_OFFSET.test(value)) return null;
  const m = INSTANT_PARTS.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const endOfDay = hour === 24 && minute === 0 && second === 0 && millis === 0;
  if (month < 1 || month > 12 || day < 1 || (hour > 23 && !endOfDay) || minute > 59 || second > 59)
    return null;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  const offset = m[8] === undefined ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  return new Date(utc.getTime() - offset * 60_000);
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
const DAY_MS = 24 * HOUR_MS;
/**
 * UTC offset (minutes) of Europe/Berlin per UTC day, NaN for a day in which it changes; then per
 * UTC hour (it only changes on the hour, twice a year). Searches over years of windows hit few days.
 */
const offsetByDay = new Map<number, number>();
const offsetByHour = new Map<number, number>();

const zoneOffset = (ms: number): number => DateTime.fromMillis(ms, { zone: ZONE }).offset;

function berlinOffsetMinutes(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  let offset = offsetByDay.get(day);
  if (offset === undefined) {
    const first = zoneOffset(day * DAY_MS);
    offset = first === zoneOffset((day + 1) * DAY_MS - HOUR_MS) ? first : NaN;
    if (offsetByDay.size > 100_000) offsetByDay.clear();
    offsetByDay.set(day, offset);
  }
  if (!Number.isNaN(offset)) return offset;
  const hour = Math.floor(ms / HOUR_MS);
  offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = zoneOffset(hour * HOUR_MS);
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/**
 * The instant of a Berlin wall-clock time on a local date (yyyy-MM-dd), resolved as luxon's
 * `set({ hour, minute })` does from a DateTime whose offset is `guess` (its fixOffset): a time in
 * the spring gap moves forward by the gap, one in the autumn overlap keeps the guessed offset.
 * From the cached offsets, not a luxon zone conversion per call: free windows ask it per day.
 */
export function berlinWallTime(date: string, hour: number, minute: number, guess?: number): Date {
  const local = Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  const o = guess ?? berlinOffsetMinutes(local);
  let utc = local - o * 60_000;
  const o2 = berlinOffsetMinutes(utc);
  if (o === o2) return new Date(utc);
  utc -= (o2 - o) * 60_000;
  const o3 = berlinOffsetMinutes(utc);
  if (o2 === o3) return new Date(utc);
  return new Date(local - Math.min(o2, o3) * 60_000);
}

/** The UTC offset (minutes) of Europe/Berlin at an instant. */
export function berlinOffsetAt(date: Date): number {
  return berlinOffsetMinutes(date.getTime());
}

/** The local date after a local date (yyyy-MM-dd). */
export function nextLocalDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
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
