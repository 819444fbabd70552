import { DateTime, Interval } from 'luxon';

/** Rules that speak of local days and hours mean Europe/Berlin wall-clock time. */
export const ZONE = 'Europe/Berlin';

/** An ISO 8601 instant that states its offset (or Z); local times without one are ambiguous. */
export const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function parseInstant(value: string): Date | null {
  if (!INSTANT_WITH_OFFSET.test(value)) return null;
  const dt = DateTime.fromISO(value, { setZone: true });
  return dt.isValid ? dt.toJSDate() : null;
}

export function toBerlin(date: Date): DateTime {
  return DateTime.fromJSDate(date, { zone: ZONE });
}

/** Local calendar days (yyyy-MM-dd) touched by [start, end). */
export function localDays(start: Date, end: Date): string[] {
  const days: string[] = [];
  let day = toBerlin(start).startOf('day');
  const last = toBerlin(new Date(end.getTime() - 1)).startOf('day');
  while (day <= last) {
    days.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  return days;
}

export function minutesBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / 60_000;
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

/** The wall-clock form beside the UTC instant in responses. */
export function berlinWallClock(date: Date): string {
  return toBerlin(date).toISO({ suppressMilliseconds: true })!;
}

export function overlaps(aStart: Date, aEnd: Date, bStart: Date, bEnd: Date): boolean {
  return aStart < bEnd && bStart < aEnd;
}

export { Interval };
