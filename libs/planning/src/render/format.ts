import { DateTime } from 'luxon';

export type Language = 'de' | 'en';
export const ZONE = 'Europe/Berlin';

/** Picks de or en from an Accept-Language header; German unless English is preferred. */
export function languageOf(header: string | undefined): Language {
  if (!header) return 'de';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'de' || tag.startsWith('de-')) return 'de';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'de';
}

/** ISO 8601 in UTC, as every response gives instants. */
export function isoUtc(t: number): string {
  return new Date(t).toISOString();
}

/** The Europe/Berlin wall-clock form beside it, with its offset. */
export function isoLocal(t: number): string {
  return DateTime.fromMillis(t, { zone: ZONE }).toISO({ suppressMilliseconds: true }) ?? '';
}

// Own names rather than the platform's locale data, so the words do not change with the ICU version.
const WEEKDAYS = {
  de: ['Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.', 'So.'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Di. 14.04.2026, 07:00 Uhr" / "Tue 14 Apr 2026, 07:00" (Europe/Berlin). */
export function dateTime(t: number, lang: Language): string {
  const d = DateTime.fromMillis(t, { zone: ZONE });
  const day = WEEKDAYS[lang][d.weekday - 1];
  return lang === 'de'
    ? `${day} ${d.toFormat('dd.LL.yyyy, HH:mm')} Uhr`
    : `${day} ${d.day} ${MONTHS[d.month - 1]} ${d.year}, ${d.toFormat('HH:mm')}`;
}

export function date(t: number, lang: Language): string {
  const d = DateTime.fromMillis(t, { zone: ZONE });
  return lang === 'de' ? d.toFormat('dd.LL.yyyy') : `${d.day} ${MONTHS[d.month - 1]} ${d.year}`;
}

/** 1.234,5 / 1,234.5: grouping and decimal mark by language, independent of the platform. */
export function number(x: number, lang: Language, digits = 1): string {
  const rounded = Math.round(Math.abs(x) * 10 ** digits) / 10 ** digits;
  const [whole, fraction] = rounded.toFixed(digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'de' ? '.' : ',');
  const trimmed = fraction?.replace(/0+$/, '') ?? '';
  return `${x < 0 ? '-' : ''}${grouped}${trimmed ? (lang === 'de' ? ',' : '.') + trimmed : ''}`;
}

export function hours(h: number, lang: Language): string {
  return `${number(h, lang)} h`;
}

export function percent(ratio: number, lang: Language): string {
  if (ratio < 0 || !Number.isFinite(ratio)) return lang === 'de' ? 'keine Kapazität' : 'no capacity';
  return `${number(ratio * 100, lang, 0)} %`;
}

export function euro(cents: number, lang: Language): string {
  const whole = number(Math.trunc(cents / 100), lang, 0);
  const rest = String(Math.abs(cents) % 100).padStart(2, '0');
  const value = `${whole}${lang === 'de' ? ',' : '.'}${rest}`;
  return lang === 'de' ? `${value} €` : `EUR ${value}`;
}

export interface IsoWeekLike {
  weekYear: number;
  weekNumber: number;
}

/** "2026-W19", the machine form of an ISO week. */
export function isoWeek(w: IsoWeekLike): string {
  return `${w.weekYear}-W${String(w.weekNumber).padStart(2, '0')}`;
}

/** "KW 14–16/2026" / "weeks 14–16/2026"; across a year boundary with both years. */
export function weekRange(from: IsoWeekLike, to: IsoWeekLike, lang: Language): string {
  const word =
    lang === 'de'
      ? 'KW'
      : from.weekNumber === to.weekNumber && from.weekYear === to.weekYear
        ? 'week'
        : 'weeks';
  if (from.weekYear === to.weekYear && from.weekNumber === to.weekNumber)
    return `${word} ${from.weekNumber}/${from.weekYear}`;
  if (from.weekYear === to.weekYear) return `${word} ${from.weekNumber}–${to.weekNumber}/${from.weekYear}`;
  return `${word} ${from.weekNumber}/${from.weekYear}–${to.weekNumber}/${to.weekYear}`;
}

export function list(items: string[], lang: Language): string {
  if (items.length <= 1) return items.join('');
  const and = lang === 'de' ? 'und' : 'and';
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

export function plural(n: number, one: string, many: string, lang: Language): string {
  return `${number(n, lang, 1)} ${n === 1 ? one : many}`;
}
