import { DateTime } from 'luxon';
import type { PeriodKind } from '../statement-document';

export const ZONE = 'Europe/Berlin';

/** A statement period: a calendar month, quarter or year in Europe/Berlin. */
export interface Period {
  /** "2026-11", "2026-Q4" or "2026". */
  label: string;
  kind: PeriodKind;
  year: number;
  /** First local day (YYYY-MM-DD) and the first local day after the period. */
  from: string;
  to: string;
  /** Local midnight at both ends, as instants: DST-correct (October has 745 hours). */
  fromInstant: Date;
  toInstant: Date;
  days: number;
  /** Days of the calendar year the period lies in (365 or 366): fixed costs are annual. */
  yearDays: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

/** Parses "2026-11", "2026-Q4" or "2026"; null when it is none of them. */
export function parsePeriod(label: string): Period | null {
  let kind: PeriodKind;
  let start: DateTime;
  let end: DateTime;
  let m: RegExpExecArray | null;
  if ((m = MONTH.exec(label))) {
    kind = 'month';
    start = DateTime.fromObject({ year: +m[1], month: +m[2], day: 1 }, { zone: ZONE });
    end = start.plus({ months: 1 });
  } else if ((m = QUARTER.exec(label))) {
    kind = 'quarter';
    start = DateTime.fromObject({ year: +m[1], month: (+m[2] - 1) * 3 + 1, day: 1 }, { zone: ZONE });
    end = start.plus({ months: 3 });
  } else if ((m = YEAR.exec(label))) {
    kind = 'year';
    start = DateTime.fromObject({ year: +m[1], month: 1, day: 1 }, { zone: ZONE });
    end = start.plus({ years: 1 });
  } else return null;
  if (start.year < 2000 || start.year > 2100) return null;
  const from = start.toISODate()!;
  const to = end.toISODate()!;
  return {
    label,
    kind,
    year: start.year,
    from,
    to,
    fromInstant: start.toJSDate(),
    toInstant: end.toJSDate(),
    days: daysBetween(from, to),
    yearDays: start.isInLeapYear ? 366 : 365,
  };
}

/** The period of `kind` that starts on the local day `from` (the first of a month). */
export function periodStartingOn(kind: PeriodKind, from: string): Period {
  const [y, mo] = from.split('-').map(Number);
  const label =
    kind === 'month'
      ? `${y}-${String(mo).padStart(2, '0')}`
      : kind === 'quarter'
        ? `${y}-Q${Math.floor((mo - 1) / 3) + 1}`
        : `${y}`;
  return parsePeriod(label)!;
}

/** The month before the one `now` falls in, in Europe/Berlin: what the monthly run issues. */
export function previousMonth(now: Date): Period {
  const d = DateTime.fromJSDate(now, { zone: ZONE }).startOf('month').minus({ months: 1 });
  return parsePeriod(d.toFormat('yyyy-MM'))!;
}

/** Calendar days from one ISO date to another (dates, not instants: DST plays no part). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** Days of [from, to) that lie in [start, end); `end` null means open. */
export function overlapDays(from: string, to: string, start: string, end: string | null): number {
  const s = maxDate(from, start);
  const e = end === null ? to : minDate(to, end);
  return s < e ? daysBetween(s, e) : 0;
}

/** The local date (Europe/Berlin) of an instant. */
export function localDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toISODate()!;
}

/** Local midnight (Europe/Berlin) at the start of a local day, as an instant. */
export function localMidnight(date: string): Date {
  return DateTime.fromISO(date, { zone: ZONE }).toJSDate();
}
