import { DateTime } from 'luxon';
import type { Language } from '../kinds';

const ZONE = 'Europe/Berlin';
const WEEKDAYS: Record<Language, string[]> = {
  de: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function berlin(iso: string | Date): DateTime {
  const d = typeof iso === 'string' ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso);
  return d.setZone(ZONE);
}

function day(t: DateTime, language: Language): string {
  const weekday = WEEKDAYS[language][t.weekday - 1];
  return language === 'de'
    ? `${weekday} ${t.toFormat('dd.MM.yyyy')}`
    : `${weekday} ${t.day} ${MONTHS_EN[t.month - 1]} ${t.year}`;
}

/** "Di 08.12.2026, 07:00 Uhr" / "Tue 8 Dec 2026, 07:00", in Europe/Berlin. */
export function formatInstant(iso: string | Date, language: Language): string {
  const t = berlin(iso);
  return `${day(t, language)}, ${t.toFormat('HH:mm')}${language === 'de' ? ' Uhr' : ''}`;
}

/** A span: one day "Di 08.12.2026, 07:00 – 12:00 Uhr", else both ends in full. */
export function formatSpan(start: string | Date, end: string | Date, language: Language): string {
  const s = berlin(start);
  const e = berlin(end);
  if (s.hasSame(e, 'day')) {
    return `${day(s, language)}, ${s.toFormat('HH:mm')} – ${e.toFormat('HH:mm')}${language === 'de' ? ' Uhr' : ''}`;
  }
  return `${formatInstant(start, language)} – ${formatInstant(end, language)}`;
}

/** "08.12.2026" / "8 Dec 2026" for a yyyy-MM-dd date. */
export function formatDate(isoDate: string, language: Language): string {
  const t = DateTime.fromISO(isoDate, { zone: ZONE });
  return language === 'de' ? t.toFormat('dd.MM.yyyy') : `${t.day} ${MONTHS_EN[t.month - 1]} ${t.year}`;
}

/** "24 Stunden", "2 Stunden", "30 Minuten", "1 Tag". */
export function formatOffset(minutes: number, language: Language): string {
  const unit = (n: number, de: [string, string], en: [string, string]) =>
    `${n} ${language === 'de' ? de[n === 1 ? 0 : 1] : en[n === 1 ? 0 : 1]}`;
  if (minutes % 1440 === 0 && minutes > 1440) return unit(minutes / 1440, ['Tag', 'Tagen'], ['day', 'days']);
  if (minutes % 60 === 0) return unit(minutes / 60, ['Stunde', 'Stunden'], ['hour', 'hours']);
  return unit(minutes, ['Minute', 'Minuten'], ['minute', 'minutes']);
}
