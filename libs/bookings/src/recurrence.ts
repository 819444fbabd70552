import { DateTime } from 'luxon';
import { RRule } from 'rrule';
import { ValidationFailed } from '@allmende/core';
import { ZONE } from './time';

export const MAX_OCCURRENCES = 366;

export interface Occurrence {
  start: Date;
  end: Date;
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
