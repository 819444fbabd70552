/**
 * The board's calendar: Berlin days as instants, weeks from Monday, and the public holidays of
 * Hesse (the pools' state) by name. Pure functions, no date library in the bundle.
 */
import { berlinDay, ZONE } from '../format';

const hourFormat = new Intl.DateTimeFormat('en', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' });

/** The instant of 00:00 in Berlin on the calendar day "YYYY-MM-DD". */
export function berlinMidnight(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  for (const offsetHours of [1, 2]) {
    const t = new Date(Date.UTC(y, m - 1, d) - offsetHours * 3_600_000);
    if (berlinDay(t) === day && Number(hourFormat.format(t)) === 0) return t;
  }
  return new Date(Date.UTC(y, m - 1, d) - 3_600_000);
}

/** "YYYY-MM-DD" plus n days (calendar arithmetic, no zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Monday of the week holding `day`. */
export function mondayOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

export function isDay(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** Easter Sunday (Gregorian, anonymous algorithm) as "YYYY-MM-DD". */
function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export type HolidayKey =
  | 'newYear'
  | 'goodFriday'
  | 'easterMonday'
  | 'labourDay'
  | 'ascension'
  | 'whitMonday'
  | 'corpusChristi'
  | 'germanUnity'
  | 'christmasDay'
  | 'boxingDay';

/** Public holidays in Hesse (HE) of a year: day → key (the words live in i18n). */
export function hessianHolidays(year: number): Map<string, HolidayKey> {
  const e = easter(year);
  return new Map<string, HolidayKey>([
    [`${year}-01-01`, 'newYear'],
    [addDays(e, -2), 'goodFriday'],
    [addDays(e, 1), 'easterMonday'],
    [`${year}-05-01`, 'labourDay'],
    [addDays(e, 39), 'ascension'],
    [addDays(e, 50), 'whitMonday'],
    [addDays(e, 60), 'corpusChristi'],
    [`${year}-10-03`, 'germanUnity'],
    [`${year}-12-25`, 'christmasDay'],
    [`${year}-12-26`, 'boxingDay'],
  ]);
}

export function holidayOn(day: string): HolidayKey | undefined {
  return hessianHolidays(Number(day.slice(0, 4))).get(day);
}
