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

/** "Di., 14.04.2026, 07:00 Uhr" / "Tue 14 Apr 2026, 07:00". */
export function dateTime(t: number, lang: Language): string {
  const d = DateTime.fromMillis(t, { zone: ZONE });
  return lang === 'de'
    ? `${d.setLocale('de').toFormat('ccc dd.LL.yyyy, HH:mm')} Uhr`
    : d.setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm');
}

export function date(t: number, lang: Language): string {
  const d = DateTime.fromMillis(t, { zone: ZONE });
  return lang === 'de' ? d.toFormat('dd.LL.yyyy') : d.setLocale('en-GB').toFormat('d LLL yyyy');
}

export function number(x: number, lang: Language, digits = 1): string {
  const rounded = Math.round(x * 10 ** digits) / 10 ** digits;
  return rounded.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits });
}

export function hours(h: number, lang: Language): string {
  return `${number(h, lang)} h`;
}

export function percent(ratio: number, lang: Language): string {
  if (ratio < 0 || !Number.isFinite(ratio)) return lang === 'de' ? 'keine Kapazität' : 'no capacity';
  return `${number(ratio * 100, lang, 0)} %`;
}

export function euro(cents: number, lang: Language): string {
  const value = (cents / 100).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
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
