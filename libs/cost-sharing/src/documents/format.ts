import type { PeriodKind } from '../statement-document';

/**
 * Numbers, money, hours and dates for people, in the document's language. German is what a
 * treasurer files: "1.234,56 €", "3,5", "08.12.2026". Amounts are integer cents throughout; only
 * here do they become euros, and only as text.
 */
export type Language = 'de' | 'en';

const LOCALE: Record<Language, string> = { de: 'de-DE', en: 'en-GB' };

const money = new Map<Language, Intl.NumberFormat>();
const decimals = new Map<string, Intl.NumberFormat>();

/** "1.234,56 €" (de) or "€1,234.56" (en); negative amounts keep their sign. */
export function formatEuros(cents: number, language: Language): string {
  let f = money.get(language);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[language], { style: 'currency', currency: 'EUR' });
    money.set(language, f);
  }
  return f.format(cents / 100);
}

/** A decimal with at most `max` fraction digits and at least `min`: "3,5", "1.234,25". */
export function formatDecimal(value: number, language: Language, min = 0, max = 2): string {
  const key = `${language}:${min}:${max}`;
  let f = decimals.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[language], { minimumFractionDigits: min, maximumFractionDigits: max });
    decimals.set(key, f);
  }
  return f.format(value);
}

/**
 * Cents as a plain number for CSV cells: "1234,56" (de), "1234.56" (en). No thousands separator
 * and no currency sign, so that Excel reads the cell as a number.
 */
export function plainEuros(cents: number, language: Language): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const text = `${sign}${Math.floor(abs / 100)}${language === 'de' ? ',' : '.'}${String(abs % 100).padStart(2, '0')}`;
  return text;
}

/** A plain decimal for CSV cells: "3,5" (de) or "3.5" (en), no thousands separator. */
export function plainDecimal(value: number, language: Language): string {
  const text = String(Math.round(value * 100) / 100);
  return language === 'de' ? text.replace('.', ',') : text;
}

/** An ISO date (YYYY-MM-DD) as "08.12.2026" (de) or "08/12/2026" (en). */
export function formatDate(isoDate: string, language: Language): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return language === 'de' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

const clocks = new Map<Language, Intl.DateTimeFormat>();

/** An instant as a local (Europe/Berlin) date and time: "08.12.2026 06:00" (a cell Excel reads). */
export function formatInstant(iso: string, language: Language): string {
  let f = clocks.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(language, f);
  }
  const part = Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const date = formatDate(`${part.year}-${part.month}-${part.day}`, language);
  return `${date} ${part.hour}:${part.minute}`;
}

/** The day before an ISO date: periods are half-open, people read the last day. */
export function dayBefore(isoDate: string): string {
  return new Date(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** An ISO date as a Date at UTC midnight: what a spreadsheet date cell shows unshifted. */
export function utcDate(isoDate: string): Date {
  return new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
}

const MONTHS: Record<Language, string[]> = {
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

/** "November 2026", "4. Quartal 2026" / "Q4 2026", "2026". */
export function formatPeriod(period: string, kind: PeriodKind, language: Language): string {
  const year = period.slice(0, 4);
  switch (kind) {
    case 'month':
      return `${MONTHS[language][Number(period.slice(5, 7)) - 1]} ${year}`;
    case 'quarter': {
      const q = period.slice(-1);
      return language === 'de' ? `${q}. Quartal ${year}` : `Q${q} ${year}`;
    }
    case 'year':
      return year;
  }
}

/** Name of a month "2026-03" in words: "März 2026". */
export function formatMonth(month: string, language: Language): string {
  return formatPeriod(month, 'month', language);
}
