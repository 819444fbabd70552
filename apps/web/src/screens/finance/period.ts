/** Statement periods as the API names them: "2026-11" (month), "2026-Q4" (quarter), "2026" (year). */
import type { Language } from '../../format';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  year: number;
  /** 1–12 for a month, 1–4 for a quarter. */
  part: number;
}

export function parsePeriod(value: string | null): Period | null {
  if (!value) return null;
  let m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12)
    return { kind: 'month', year: Number(m[1]), part: Number(m[2]) };
  m = /^(\d{4})-Q([1-4])$/.exec(value);
  if (m) return { kind: 'quarter', year: Number(m[1]), part: Number(m[2]) };
  m = /^(\d{4})$/.exec(value);
  if (m) return { kind: 'year', year: Number(m[1]), part: 1 };
  return null;
}

export function periodKey(p: Period): string {
  if (p.kind === 'month') return `${p.year}-${String(p.part).padStart(2, '0')}`;
  if (p.kind === 'quarter') return `${p.year}-Q${p.part}`;
  return String(p.year);
}

/** The month before the one `today` ("YYYY-MM-DD", Berlin) lies in. */
export function previousMonth(today: string): Period {
  const [y, m] = today.split('-').map(Number);
  return m === 1 ? { kind: 'month', year: y - 1, part: 12 } : { kind: 'month', year: y, part: m - 1 };
}

/** Switching the kind keeps the year and the part of the year the period was in. */
export function withKind(p: Period, kind: PeriodKind): Period {
  const month = p.kind === 'month' ? p.part : p.kind === 'quarter' ? (p.part - 1) * 3 + 1 : 1;
  if (kind === 'month') return { kind, year: p.year, part: month };
  if (kind === 'quarter') return { kind, year: p.year, part: Math.ceil(month / 3) };
  return { kind, year: p.year, part: 1 };
}

/** "April 2026", "2. Quartal 2026" / "Q2 2026", "2026". */
export function periodLabel(p: Period, language: Language): string {
  if (p.kind === 'month') {
    return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(p.year, p.part - 1, 15)));
  }
  if (p.kind === 'quarter')
    return language === 'de' ? `${p.part}. Quartal ${p.year}` : `Q${p.part} ${p.year}`;
  return String(p.year);
}

/** "Apr" / "Apr." for a chart axis. */
export function monthShort(month: number, language: Language): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(2000, month - 1, 15)));
}

/** The months of the period's year up to the last one over by `today` ("YYYY-MM-DD"). */
export function monthsOfYear(year: number, today: string): string[] {
  const [y, m] = today.split('-').map(Number);
  const last = year < y ? 12 : year === y ? m - 1 : 0;
  return Array.from({ length: last }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}
