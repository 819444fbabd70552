import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { ValidationFailed } from '@allmende/core';
import { ZONE } from './time';

export const MAX_OCCURRENCES = 366;

export interface Occurrence {
  start: Date;
  end: Date;
}

/** RFC 5545's ranges, which rrule.js does not check (BYHOUR=99 would silently yield nothing or nonsense). */
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

function ruleOutOfRange(options: ReturnType<typeof RRule.parseString>): string | null {
  for (const [key, part, min, max] of PART_RANGES) {
    const raw = options[key] as unknown;
    if (raw === undefined || raw === null) continue;
    const values = (Array.isArray(raw) ? raw : [raw]) as unknown[];
    for (const v of values) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max || (v === 0 && min < 0)) {
        return `${part}=${String(v)} is out of range (${min}..${max})`;
      }
    }
  }
  if (options.interval !== undefined && (options.interval < 1 || options.interval > 1000)) {
    return 'INTERVAL must be between 1 and 1000';
  }
  if (options.freq === RRule.MINUTELY || options.freq === RRule.SECONDLY) {
    return 'FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY';
  }
  if (options.until) {
    const y = options.until.getUTCFullYear();
    if (!(y >= 2000 && y < 2100)) return 'UNTIL must lie between 2000 and 2099';
  }
  if (options.count !== undefined && options.count !== null && options.count < 1)
    return 'COUNT must be at least 1';
  return null;
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
    throw new ValidationFailed([
      { field: 'recurrence.rrule', message: `is not a valid RRULE: ${(e as Error).message}` },
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
    dates = new RRule({ ...options, dtstart: floating }).all((_, i) => i < MAX_OCCURRENCES + 1);
  } catch (e) {
    throw new ValidationFailed([{ field: 'recurrence.rrule', message: (e as Error).message }]);
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
