import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { ValidationFailed } from '@allmende/core';
import { ZONE } from './time';

export const MAX_OCCURRENCES = 366;

export interface Occurrence {
  start: Date;
  end: Date;
}

/** RFC 5545's ranges of the BY… parts. */
const PART_RANGES: [keyof ReturnType<typeof RRule.parseString>, string, number, number][] = [
  ['byhour', 'BYHOUR', 0, 23],
  ['byminute', 'BYMINUTE', 0, 59],
  ['bysecond', 'BYSECOND', 0, 60],
  ['bymonth', 'BYMONTH', 1, 12],
  ['bymonthday', 'BYMONTHDAY', -31, 31],
  ['byyearday', 'BYYEARDAY', -366, 366],
  ['byweekno', 'BYWEEKNO', -53, 53],
  ['bysetpos', 'BYSETPOS', -366, 366],
];

const FREQUENCIES = [RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY, RRule.HOURLY];
const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Periods (one step of FREQ, times INTERVAL) an expansion may walk: 100 years, or 5 of hours.
 * rrule.js walks period by period until it has COUNT occurrences or passes UNTIL, and stops
 * elsewhere only at the year 9999: a rule that never or rarely matches (BYMONTH=2;BYMONTHDAY=30)
 * kept the process busy for a second (YEARLY, MONTHLY), seconds (DAILY) or minutes (HOURLY).
 * Within these a walk takes at most ~0.15 s (DAILY, HOURLY; measured on the bench machine).
 */
export const MAX_PERIODS: Record<number, number> = {
  [RRule.YEARLY]: 100,
  [RRule.MONTHLY]: 1200,
  [RRule.WEEKLY]: 5218,
  [RRule.DAILY]: 36_525,
  [RRule.HOURLY]: 43_830,
};

/** How far MAX_PERIODS reach, in years. */
const horizonYears = (options: { freq?: number | null; interval?: number | null }) =>
  (options.freq === RRule.HOURLY ? 5 : 100) * (options.interval ?? 1);

/** A rule whose walk reached MAX_PERIODS. */
class TooSparse extends Error {}

/**
 * What rrule.js parses but does not check: RFC 5545's ranges (BYHOUR=99 would silently yield
 * nothing or nonsense), and values that are not numbers at all (COUNT=abc, INTERVAL=abc: the
 * latter never advances and would loop for ever).
 */
function ruleOutOfRange(options: ReturnType<typeof RRule.parseString>): string | null {
  if (options.freq === RRule.MINUTELY || options.freq === RRule.SECONDLY) {
    return 'FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY';
  }
  if (!FREQUENCIES.includes(options.freq as number)) {
    return 'FREQ is required: YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY';
  }
  for (const [key, part, min, max] of PART_RANGES) {
    const raw = options[key] as unknown;
    if (raw === undefined || raw === null) continue;
    const values = (Array.isArray(raw) ? raw : [raw]) as unknown[];
    for (const v of values) {
      if (!isWhole(v) || v < min || v > max || (v === 0 && min < 0)) {
        return `${part}=${String(v)} is out of range (${min}..${max})`;
      }
    }
  }
  if (options.byweekday !== undefined && options.byweekday !== null) {
    const days = (Array.isArray(options.byweekday) ? options.byweekday : [options.byweekday]) as unknown[];
    const weekday = (d: unknown) => {
      if (isWhole(d)) return d >= 0 && d <= 6;
      const w = d as { weekday?: unknown; n?: unknown } | null;
      return (
        typeof w === 'object' &&
        w !== null &&
        isWhole(w.weekday) &&
        w.weekday >= 0 &&
        w.weekday <= 6 &&
        (w.n === undefined || w.n === null || (isWhole(w.n) && w.n !== 0 && Math.abs(w.n) <= 53))
      );
    };
    if (!days.every(weekday)) {
      return 'BYDAY must list weekdays (MO, TU, WE, TH, FR, SA, SU), each with an optional position such as 2MO or -1FR';
    }
  }
  if (
    options.interval !== undefined &&
    !(isWhole(options.interval) && options.interval >= 1 && options.interval <= 1000)
  ) {
    return 'INTERVAL must be between 1 and 1000';
  }
  if (options.until) {
    const y = options.until.getUTCFullYear();
    if (!(y >= 2000 && y < 2100)) return 'UNTIL must lie between 2000 and 2099';
  }
  if (
    options.count !== undefined &&
    options.count !== null &&
    !(isWhole(options.count) && options.count >= 1)
  )
    return 'COUNT must be at least 1';
  return null;
}

/**
 * The rule with its walk limited to MAX_PERIODS. rrule.js (2.8.1, pinned) offers no hook per period
 * but reads `options.interval` twice in each; recurrence.spec fails if a version stops doing so.
 */
function limited(rule: RRule): RRule {
  const maxReads = 2 * MAX_PERIODS[rule.options.freq] + 2;
  let reads = 0;
  rule.options = new Proxy(rule.options, {
    get(target, key, receiver) {
      if (key === 'interval' && ++reads > maxReads) throw new TooSparse();
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return rule;
}

/**
 * Expands an RFC 5545 RRULE in Europe/Berlin wall-clock time: "every second Monday 07:00–15:30"
 * stays 07:00–15:30 local on both sides of a DST change. rrule.js computes in floating UTC, so
 * wall-clock fields go in and come out as UTC fields and are placed in the zone with luxon.
 */
export function expandRecurrence(rule: string, start: Date, end: Date): Occurrence[] {
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(rule.replace(/^RRULE:/i, ''));
  } catch (e) {
    // rrule.js's own messages name the part (Unknown RRULE property 'X', Invalid UNTIL value: x);
    // a TypeError from inside it ("FREQ" without a value) says nothing to the user.
    const said = e instanceof Error && !(e instanceof TypeError) ? e.message : null;
    throw new ValidationFailed([
      {
        field: 'recurrence.rrule',
        message: said
          ? `is not a valid RRULE: ${said}`
          : 'is not a valid RRULE: write NAME=VALUE parts separated by ";", e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10',
      },
    ]);
  }
  if (options.dtstart || options.tzid) {
    throw new ValidationFailed([
      { field: 'recurrence.rrule', message: 'must not carry DTSTART or TZID; start gives them' },
    ]);
  }
  const outOfRange = ruleOutOfRange(options);
  if (outOfRange) throw new ValidationFailed([{ field: 'recurrence.rrule', message: outOfRange }]);
  if (!options.count && !options.until) {
    throw new ValidationFailed([{ field: 'recurrence.rrule', message: 'needs COUNT or UNTIL' }]);
  }
  const localStart = DateTime.fromJSDate(start, { zone: ZONE });
  const wallMinutes = DateTime.fromJSDate(end, { zone: ZONE }).diff(localStart, 'minutes').minutes;
  const floating = new Date(
    Date.UTC(
      localStart.year,
      localStart.month - 1,
      localStart.day,
      localStart.hour,
      localStart.minute,
      localStart.second,
    ),
  );
  let dates: Date[];
  try {
    dates = limited(new RRule({ ...options, dtstart: floating })).all((_, i) => i < MAX_OCCURRENCES + 1);
  } catch (e) {
    const message =
      e instanceof TooSparse
        ? `matches too rarely: not all its occurrences fall within ${horizonYears(options)} years of the start ` +
          '(perhaps it never matches, as BYMONTH=2;BYMONTHDAY=30)'
        : `is not a valid RRULE: ${(e as Error).message}`;
    throw new ValidationFailed([{ field: 'recurrence.rrule', message }]);
  }
  if (dates.length === 0) {
    // A rule whose days never come (BYMONTH=4;BYMONTHDAY=31 by the year) or end before the start.
    throw new ValidationFailed([
      { field: 'recurrence.rrule', message: 'yields no occurrence from start on' },
    ]);
  }
  if (dates.length > MAX_OCCURRENCES) {
    throw new ValidationFailed([
      { field: 'recurrence.rrule', message: `yields more than ${MAX_OCCURRENCES} occurrences` },
    ]);
  }
  return dates.map((d) => {
    const local = DateTime.fromObject(
      {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
      },
      { zone: ZONE },
    );
    return { start: local.toJSDate(), end: local.plus({ minutes: wallMinutes }).toJSDate() };
  });
}
