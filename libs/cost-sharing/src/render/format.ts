/** Numbers, money, percentages and dates as German (or English) readers write them. */
export type Language = 'de' | 'en';

const locale = (lang: Language) => (lang === 'de' ? 'de-DE' : 'en-GB');

/** Formatters are costly to build and statements format thousands of numbers: one per kind. */
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Language, digits: number): Intl.NumberFormat {
  const key = `${lang}/${digits}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(key, f);
  }
  return f;
}

export function money(cents: number, lang: Language): string {
  const text = numberFormat(lang, 2).format(cents / 100);
  return lang === 'de' ? `${text} €` : `€${text}`;
}

export function decimal(value: number, digits: number, lang: Language): string {
  return numberFormat(lang, digits).format(value);
}

export function integer(value: number, lang: Language): string {
  return numberFormat(lang, 0).format(value);
}

/** "37,79 %" (de) or "37.79%" (en), of a fraction given as numerator / denominator. */
export function percent(numerator: number, denominator: number, lang: Language): string {
  const value = denominator === 0 ? 0 : (numerator / denominator) * 100;
  return lang === 'de' ? `${decimal(value, 2, lang)} %` : `${decimal(value, 2, lang)}%`;
}

/** "02.11.2026" (de) or "2 Nov 2026" (en) of an ISO date. */
export function date(iso: string, lang: Language): string {
  const [y, m, d] = iso.split('-');
  if (lang === 'de') return `${d}.${m}.${y}`;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][+m - 1];
  return `${+d} ${month} ${y}`;
}

/** The day before an ISO date: periods are half-open, people read the last day. */
export function dayBefore(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

export function dateRange(from: string, lastDay: string, lang: Language): string {
  if (from === lastDay) return date(from, lang);
  return `${date(from, lang)} – ${date(lastDay, lang)}`;
}

/** The language a client asked for: `lang` wins, then the first of Accept-Language; German by default. */
export function pickLanguage(lang: string | undefined, acceptLanguage: string | undefined): Language {
  if (lang === 'en' || lang === 'de') return lang;
  const first = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((t) => t.tag.length > 0 && t.q > 0)
    .sort((a, b) => b.q - a.q)
    .find((t) => t.tag.startsWith('de') || t.tag.startsWith('en'));
  return first?.tag.startsWith('en') ? 'en' : 'de';
}
