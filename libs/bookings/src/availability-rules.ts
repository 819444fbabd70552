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
  | 'resource-inactive';

export interface Unavailability {
  reason: UnavailableReason;
  detail: string;
}

const holidayCalendars = new Map<string, Holidays>();

function calendar(state: string): Holidays {
  let hd = holidayCalendars.get(state);
  if (!hd) {
    hd = new Holidays('DE', state, { types: ['public'] });
    holidayCalendars.set(state, hd);
  }
  return hd;
}

/** Public holidays (name by date) of a German state on the local days of [start, end). */
export function publicHolidays(state: string, start: Date, end: Date): { date: string; name: string }[] {
  const hd = calendar(state);
  return localDays(start, end).flatMap((date) => {
    const found = hd.isHoliday(DateTime.fromISO(date, { zone: ZONE }).set({ hour: 12 }).toJSDate());
    const publicOnes = (found || []).filter((h) => h.type === 'public');
    return publicOnes.length ? [{ date, name: publicOnes[0].name }] : [];
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
