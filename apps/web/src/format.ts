/**
 * Dates, times and amounts as German municipal staff read them ("Di, 08.12.2026", "07:00",
 * "1.234,56 €", "KW 50"), always in Europe/Berlin whatever the device's zone; English is the
 * same data in en-GB conventions. Intl only: no date library in the bundle.
 */

export const ZONE = 'Europe/Berlin';
export type Language = 'de' | 'en';

const LOCALE: Record<Language, string> = { de: 'de-DE', en: 'en-GB' };

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE[language], { timeZone: ZONE, ...options });
    cache.set(key, f);
  }
  return f;
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function parts(value: Date, language: Language, options: Intl.DateTimeFormatOptions) {
  const map: Record<string, string> = {};
  for (const p of dtf(language, options).formatToParts(value)) map[p.type] = p.value;
  return map;
}

/** "Di, 08.12.2026" (de) or "Tue, 08/12/2026" (en): weekday without its abbreviation dot. */
export function formatDate(value: Date | string | number, language: Language = 'de'): string {
  const p = parts(toDate(value), language, {
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
  const weekday = p.weekday.replace(/\.$/, '');
  return language === 'de'
    ? `${weekday}, ${p.day}.${p.month}.${p.year}`
    : `${weekday}, ${p.day}/${p.month}/${p.year}`;
}

/** "08.12.2026" without the weekday. */
export function formatShortDate(value: Date | string | number, language: Language = 'de'): string {
  const p = parts(toDate(value), language, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return language === 'de' ? `${p.day}.${p.month}.${p.year}` : `${p.day}/${p.month}/${p.year}`;
}

/** "07:00", 24 hours, in Berlin. */
export function formatTime(value: Date | string | number, language: Language = 'de'): string {
  const p = parts(toDate(value), language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${p.hour}:${p.minute}`;
}

/** "Di, 08.12.2026, 07:00". */
export function formatDateTime(value: Date | string | number, language: Language = 'de'): string {
  return `${formatDate(value, language)}, ${formatTime(value, language)}`;
}

/** "07:00–15:30" on one day; with the date on both ends when the range spans days. */
export function formatTimeRange(start: Date | string, end: Date | string, language: Language = 'de'): string {
  const sameDay = berlinDay(start) === berlinDay(end);
  return sameDay
    ? `${formatDate(start, language)}, ${formatTime(start, language)}–${formatTime(end, language)}`
    : `${formatDateTime(start, language)} – ${formatDateTime(end, language)}`;
}

const money = new Map<Language, Intl.NumberFormat>();
/** "1.234,56 €" (with a no-break space before €), from an amount in euros. */
export function formatAmount(euros: number, language: Language = 'de'): string {
  let f = money.get(language);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[language], { style: 'currency', currency: 'EUR' });
    money.set(language, f);
  }
  return f.format(euros);
}

/** From cents (the API's integer amounts) to "1.234,56 €". */
export function formatCents(cents: number, language: Language = 'de'): string {
  return formatAmount(cents / 100, language);
}

/** "1.234,5" with German separators. */
export function formatNumber(value: number, language: Language = 'de', maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits }).format(value);
}

/** The calendar day in Berlin, "2026-12-08". */
export function berlinDay(value: Date | string | number): string {
  const p = parts(toDate(value), 'en', { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}

/** ISO 8601 week of the Berlin calendar day (weeks start Monday; week 1 holds the first Thursday). */
export function isoWeek(value: Date | string | number): { year: number; week: number } {
  const [y, m, d] = berlinDay(value).split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday of this week
  const year = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return { year, week };
}

/** "KW 50" (de) or "CW 50" (en). */
export function formatWeek(value: Date | string | number, language: Language = 'de'): string {
  return `${language === 'de' ? 'KW' : 'CW'} ${isoWeek(value).week}`;
}
