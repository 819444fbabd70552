import { DateTime } from 'luxon';
import { formatInstant, formatSpan } from './dates';

/** What the texts said when luxon did every conversion: the reference the fast path must match. */
function reference(iso: string, language: 'de' | 'en'): string {
  const t = DateTime.fromISO(iso).setZone('Europe/Berlin');
  const weekday = (
    language === 'de'
      ? ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So']
      : ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
  )[t.weekday - 1];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const day =
    language === 'de'
      ? `${weekday} ${t.toFormat('dd.MM.yyyy')}`
      : `${weekday} ${t.day} ${months[t.month - 1]} ${t.year}`;
  return `${day}, ${t.toFormat('HH:mm')}${language === 'de' ? ' Uhr' : ''}`;
}

describe('message dates', () => {
  it('read as Berlin wall-clock time, across both DST changes and the turn of the year', () => {
    expect(formatInstant('2026-12-08T06:00:00Z', 'de')).toBe('Di 08.12.2026, 07:00 Uhr');
    expect(formatInstant('2026-12-08T06:00:00Z', 'en')).toBe('Tue 8 Dec 2026, 07:00');
    expect(formatInstant('2027-03-28T00:59:00Z', 'de')).toBe('So 28.03.2027, 01:59 Uhr');
    expect(formatInstant('2027-03-28T01:00:00Z', 'de')).toBe('So 28.03.2027, 03:00 Uhr');
    expect(formatInstant('2027-10-31T00:30:00Z', 'de')).toBe('So 31.10.2027, 02:30 Uhr');
    expect(formatInstant('2027-10-31T01:30:00Z', 'de')).toBe('So 31.10.2027, 02:30 Uhr');
    expect(formatInstant(new Date('2026-12-31T23:30:00Z'), 'en')).toBe('Fri 1 Jan 2027, 00:30');
    expect(formatSpan('2027-03-27T23:00:00Z', '2027-03-28T02:00:00Z', 'de')).toBe(
      'So 28.03.2027, 00:00 – 04:00 Uhr',
    );
    expect(formatSpan('2027-06-09T21:00:00Z', '2027-06-09T23:00:00+01:00', 'en')).toBe(
      'Wed 9 Jun 2027, 23:00 – Thu 10 Jun 2027, 00:00',
    );
  });

  it('say what luxon said for every quarter hour of a year, with and without an offset', () => {
    const start = Date.parse('2027-01-01T00:07:00Z');
    // Mismatches are collected and compared once: an expect() per instant cost seconds.
    const mismatches: string[] = [];
    for (let i = 0; i < 365 * 96; i += 7) {
      const iso = new Date(start + i * 15 * 60_000).toISOString();
      const withOffset = DateTime.fromISO(iso).setZone('UTC+3').toISO()!;
      for (const language of ['de', 'en'] as const) {
        const expected = reference(iso, language);
        for (const given of [iso, withOffset]) {
          const got = formatInstant(given, language);
          if (got !== expected) mismatches.push(`${given} ${language}: ${got}, luxon ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
