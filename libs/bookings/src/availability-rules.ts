import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { localDays, toBerlin, ZONE } from './time';

export type UnavailableReason =
  | 'public-holiday'
  | 'outside-working-hours'
  | 'blackout'
  | 'inspection-overdue'
  | 'not-a-pool-member'
  | 'operator-not-qualified'
  | 'no-operator-available'
  | 'busy'
  | 'absent'
  | 'resource-inactive';

export interface Unavailability {
  reason: UnavailableReason;
  detail: string;
  /** Facts behind the reason, for texts in other languages (the API renders German from them). */
  resourceName?: string;
  /** A local date, yyyy-MM-dd (holiday, inspection due). */
  date?: string;
  holiday?: string;
  state?: string;
  /** An instant, ISO 8601 (blackout). */
  start?: string;
  end?: string;
  note?: string;
}

/** German states (ISO 3166-2:DE subdivision codes), for their public holidays. */
export const GERMAN_STATES = [
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HH',
  'HE',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
] as const;

/**
 * Sundays that a state's holiday law names besides the ones date-holidays marks as public: Hesse's
 * Feiertagsgesetz (§ 1 HFeiertagsG) lists Easter Sunday and Whit Sunday, which date-holidays only
 * has as observances. A normal booking or a suggested window on them would be wrong.
 */
const STATUTORY_SUNDAYS: Record<string, string[]> = { HE: ['Ostersonntag', 'Pfingstsonntag'] };

const holidayCalendars = new Map<string, Holidays>();
const holidaysByYear = new Map<string, Map<string, string>>();

/** Public holidays of a state in a year, by local date; date-holidays is slow per call, so cached. */
function holidaysOf(state: string, year: number): Map<string, string> {
  const key = `${state}:${year}`;
  let byDate = holidaysByYear.get(key);
  if (!byDate) {
    let hd = holidayCalendars.get(state);
    if (!hd) {
      hd = new Holidays('DE', state, { types: ['public', 'observance'] });
      holidayCalendars.set(state, hd);
    }
    const sundays = STATUTORY_SUNDAYS[state] ?? [];
    byDate = new Map(
      hd
        .getHolidays(year)
        .filter((h) => h.type === 'public' || sundays.includes(h.name))
        .map((h) => [h.date.slice(0, 10), h.name]),
    );
    holidaysByYear.set(key, byDate);
  }
  return byDate;
}

/** Public holidays (name by date) of a German state on the local days of [start, end). */
export function publicHolidays(state: string, start: Date, end: Date): { date: string; name: string }[] {
  return localDays(start, end).flatMap((date) => {
    const name = holidaysOf(state, Number(date.slice(0, 4))).get(date);
    return name ? [{ date, name }] : [];
  });
}

/** Mon–Fri 07:00–15:30 unless the staff member's record says otherwise. */
export const DEFAULT_WORKING_HOURS: Record<string, [string, string]> = {
  '1': ['07:00', '15:30'],
  '2': ['07:00', '15:30'],
  '3': ['07:00', '15:30'],
  '4': ['07:00', '15:30'],
  '5': ['07:00', '15:30'],
};

/** Whether [start, end) lies inside the local working hours, day by day. */
export function withinWorkingHours(
  start: Date,
  end: Date,
  hours: Partial<Record<string, [string, string]>> = DEFAULT_WORKING_HOURS,
): boolean {
  const s = toBerlin(start);
  const e = toBerlin(end);
  let day = s.startOf('day');
  while (day < e) {
    const span = hours[String(day.weekday)];
    const dayEnd = day.plus({ days: 1 });
    const from = s > day ? s : day;
    const to = e < dayEnd ? e : dayEnd;
    if (to > from) {
      if (!span) return false;
      const [oh, om] = span[0].split(':').map(Number);
      const [ch, cm] = span[1].split(':').map(Number);
      const open = day.set({ hour: oh, minute: om });
      const close = day.set({ hour: ch, minute: cm });
      if (from < open || to > close) return false;
    }
    day = dayEnd;
  }
  return true;
}

/** An inspection due on a date allows use up to the end of that local day. */
export function inspectionOverdue(nextInspectionDue: string | null, end: Date): boolean {
  if (!nextInspectionDue) return false;
  const limit = DateTime.fromISO(nextInspectionDue, { zone: ZONE }).plus({ days: 1 }).startOf('day');
  return toBerlin(end) > limit;
}
