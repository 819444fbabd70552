import { DateTime } from 'luxon';
import { DEFAULT_WORKING_HOURS, publicHolidays, ZONE } from '@allmende/bookings';

type WorkingHours = Partial<Record<string, [string, string]>>;

export interface AvailabilityInput {
  id: string;
  /** The staff member's working hours; machines and staff without them: Mon–Fri 07:00–15:30. */
  workingHours: WorkingHours | null;
  /** State of the home municipality, whose public holidays are days off. */
  state: string;
}

export interface BlackoutSpan {
  resourceId: string;
  start: Date;
  end: Date;
}

interface Shift {
  month: string;
  start: number;
  end: number;
}

/**
 * Hours a resource could work in [from, to) (local days), per month (YYYY-MM): its working hours
 * on working days, without the public holidays of its home state and without its blackouts
 * (maintenance, absence). This is what utilization divides by; machines booked at night or on a
 * weekend can therefore exceed 100 %. The shifts of a schedule are computed once per state and
 * reused for every resource that shares them: a year of a thousand machines stays cheap.
 */
export function availableHoursByMonth(
  resources: AvailabilityInput[],
  fromDay: string,
  toDay: string,
  blackouts: BlackoutSpan[],
): Map<string, Map<string, number>> {
  const shiftsBySchedule = new Map<string, Shift[]>();
  const blackoutsOf = new Map<string, BlackoutSpan[]>();
  for (const b of blackouts) blackoutsOf.set(b.resourceId, [...(blackoutsOf.get(b.resourceId) ?? []), b]);
  const result = new Map<string, Map<string, number>>();

  for (const r of resources) {
    const hours =
      r.workingHours && Object.keys(r.workingHours).length > 0 ? r.workingHours : DEFAULT_WORKING_HOURS;
    const key = `${r.state}|${JSON.stringify(hours)}`;
    let shifts = shiftsBySchedule.get(key);
    if (!shifts) {
      shifts = shiftsOf(hours, r.state, fromDay, toDay);
      shiftsBySchedule.set(key, shifts);
    }
    const own = blackoutsOf.get(r.id) ?? [];
    const byMonth = new Map<string, number>();
    for (const s of shifts) {
      let ms = s.end - s.start;
      for (const b of own) {
        const overlap = Math.min(s.end, b.end.getTime()) - Math.max(s.start, b.start.getTime());
        if (overlap > 0) ms -= overlap;
      }
      byMonth.set(s.month, (byMonth.get(s.month) ?? 0) + Math.max(0, ms) / 3_600_000);
    }
    result.set(r.id, byMonth);
  }
  return result;
}

function shiftsOf(hours: WorkingHours, state: string, fromDay: string, toDay: string): Shift[] {
  const first = DateTime.fromISO(fromDay, { zone: ZONE });
  const end = DateTime.fromISO(toDay, { zone: ZONE });
  const holidays = new Set(publicHolidays(state, first.toJSDate(), end.toJSDate()).map((h) => h.date));
  const shifts: Shift[] = [];
  for (let day = first; day < end; day = day.plus({ days: 1 })) {
    const span = hours[String(day.weekday)];
    const date = day.toISODate()!;
    if (!span || holidays.has(date)) continue;
    const [oh, om] = span[0].split(':').map(Number);
    const [ch, cm] = span[1].split(':').map(Number);
    const start = day.set({ hour: oh, minute: om }).toMillis();
    const stop = day.set({ hour: ch, minute: cm }).toMillis();
    if (stop > start) shifts.push({ month: date.slice(0, 7), start, end: stop });
  }
  return shifts;
}
