import { DateTime } from 'luxon';
import type { Language } from '../kinds';

const ZONE = 'Europe/Berlin';
const WEEKDAYS: Record<Language, string[]> = {
  de: ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A moment as Berlin wall-clock time. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** One formatter for the process: the zone's rules come from Intl, as luxon's do. */
const BERLIN_PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});
/** What the database and toISOString give: read with Date.parse; anything else as luxon reads it. */
const PLAIN_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;

/**
 * Berlin wall-clock time of an instant with one Intl call (rendering every message went through
 * several luxon conversions per time shown).
 */
function berlin(iso: string | Date): WallClock {
  const ms =
    typeof iso !== 'string'
      ? iso.getTime()
      : PLAIN_ISO.test(iso)
        ? Date.parse(iso)
        : DateTime.fromISO(iso).toMillis();
  const n: Record<string, number> = {};
  for (const p of BERLIN_PARTS.formatToParts(ms)) if (p.type !== 'literal') n[p.type] = Number(p.value);
  return {
    year: n.year,
    month: n.month,
    day: n.day,
    hour: n.hour,
    minute: n.minute,
    weekday: ((new Date(Date.UTC(n.year, n.month - 1, n.day)).getUTCDay() + 6) % 7) + 1,
  };
}

const two = (n: number) => String(n).padStart(2, '0');
const clock = (t: WallClock) => `${two(t.hour)}:${two(t.minute)}`;

function day(t: WallClock, language: Language): string {
  const weekday = WEEKDAYS[language][t.weekday - 1];
  return language === 'de'
    ? `${weekday} ${two(t.day)}.${two(t.month)}.${String(t.year).padStart(4, '0')}`
    : `${weekday} ${t.day} ${MONTHS_EN[t.month - 1]} ${t.year}`;
}

function instant(t: WallClock, language: Language): string {
  return `${day(t, language)}, ${clock(t)}${language === 'de' ? ' Uhr' : ''}`;
}

/** "Di 08.12.2026, 07:00 Uhr" / "Tue 8 Dec 2026, 07:00", in Europe/Berlin. */
export function formatInstant(iso: string | Date, language: Language): string {
  return instant(berlin(iso), language);
}

/** A span: one day "Di 08.12.2026, 07:00 – 12:00 Uhr", else both ends in full. */
export function formatSpan(start: string | Date, end: string | Date, language: Language): string {
  const s = berlin(start);
  const e = berlin(end);
  if (s.year === e.year && s.month === e.month && s.day === e.day) {
    return `${day(s, language)}, ${clock(s)} – ${clock(e)}${language === 'de' ? ' Uhr' : ''}`;
  }
  return `${instant(s, language)} – ${instant(e, language)}`;
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
