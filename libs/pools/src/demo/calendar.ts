import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export const ZONE = 'Europe/Berlin';

/** Working day of a municipal building yard: 07:00 to 15:30 local time, Monday to Friday. */
export const WORKDAY_START_MINUTES = 7 * 60;
export const WORKDAY_END_MINUTES = 15 * 60 + 30;

/** Public holidays of Hesse in a year as local dates (YYYY-MM-DD). */
export function hessianPublicHolidays(year: number): Set<string> {
  // date-holidays also lists observances (Rosenmontag) and half bank holidays (Heiligabend); only
  // the statutory public holidays close the building yards.
  const holidays = new Holidays('DE', 'HE').getHolidays(year);
  return new Set(holidays.filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
}

/** Days of a month (1-based) on which normal bookings may be made. */
export function workingDays(year: number, month: number, holidays: Set<string>): number[] {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
  const days: number[] = [];
  for (let day = 1; day <= (first.daysInMonth ?? 0); day++) {
    const date = first.set({ day });
    if (date.weekday <= 5 && !holidays.has(date.toISODate() ?? '')) days.push(day);
  }
  return days;
}

export function daysInMonth(year: number, month: number): number {
  return DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE }).daysInMonth ?? 28;
}

/**
 * Splits `total` requests over the months in proportion to the weights (largest remainder), so
 * every seed gets exactly the seasonal shape and the peaks do not depend on luck.
 */
export function monthlyQuotas(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum === 0 ? 0 : (total * w) / sum));
  const quotas = exact.map(Math.floor);
  let missing = total - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, month) => ({ month, remainder: x - Math.floor(x) }))
    .sort((a, b) => b.remainder - a.remainder || a.month - b.month);
  for (const { month } of byRemainder) {
    if (missing <= 0) break;
    quotas[month]++;
    missing--;
  }
  return quotas;
}
