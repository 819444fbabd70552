import { DateTime } from 'luxon';
import { publicHolidays } from './availability-rules';
import { allowedSpans, endOfLocalDay, Span, WindowQuery } from './free-windows';

const ZONE = 'Europe/Berlin';

/** The spans as luxon computes them, day by day: what allowedSpans did before it used cached offsets. */
function byLuxon(q: WindowQuery): Span[] {
  const spans: Span[] = [];
  let day = DateTime.fromJSDate(q.from, { zone: ZONE }).startOf('day');
  const last = DateTime.fromJSDate(q.to, { zone: ZONE });
  const holidays = q.emergency
    ? new Set<string>()
    : new Set(publicHolidays(q.siteState, q.from, q.to).map((h) => h.date));
  while (day < last) {
    const next = day.plus({ days: 1 });
    if (!holidays.has(day.toISODate()!)) {
      if (q.workingHours && !q.emergency) {
        const hours = q.workingHours[String(day.weekday)];
        if (hours) {
          const [oh, om] = hours[0].split(':').map(Number);
          const [ch, cm] = hours[1].split(':').map(Number);
          spans.push({
            start: day.set({ hour: oh, minute: om }).toJSDate(),
            end: day.set({ hour: ch, minute: cm }).toJSDate(),
          });
        }
      } else spans.push({ start: day.toJSDate(), end: next.toJSDate() });
    }
    day = next;
  }
  const to = q.usableUntil && q.usableUntil < q.to ? q.usableUntil : q.to;
  const merged: Span[] = [];
  for (const s of spans
    .map((s) => ({ start: s.start < q.from ? q.from : s.start, end: s.end > to ? to : s.end }))
    .filter((s) => s.end > s.start)) {
    const l = merged[merged.length - 1];
    if (l && s.start <= l.end) {
      if (s.end > l.end) l.end = s.end;
    } else merged.push({ ...s });
  }
  return merged;
}

describe('allowedSpans', () => {
  it('gives what luxon gives for random periods, working hours (the DST gap and overlap included), holidays and inspections', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const quarter = () =>
      `${String(Math.floor(random() * 24)).padStart(2, '0')}:${['00', '15', '30', '45'][Math.floor(random() * 4)]}`;
    const states = ['HE', 'BY', 'NW', 'BE', 'SN'];
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const from = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 3 * 365 * 96) * 900_000);
      const to = new Date(
        from.getTime() + Math.floor(random() * 40 * 96) * 900_000 - (random() < 0.05 ? 5e9 : 0),
      );
      let workingHours: WindowQuery['workingHours'];
      if (random() < 0.6) {
        workingHours = {};
        for (let d = 1; d <= 7; d++) {
          if (random() < 0.8) {
            const [a, b] = [quarter(), quarter()].sort();
            workingHours[String(d)] = [a, b];
          }
        }
      }
      const q: WindowQuery = {
        from,
        to,
        siteId: 'S',
        siteState: states[Math.floor(random() * states.length)],
        homeId: 'H',
        minMinutes: 60,
        workingHours,
        usableUntil: random() < 0.2 ? new Date(from.getTime() + random() * 20 * 86_400_000) : undefined,
        emergency: random() < 0.1,
      };
      expect(allowedSpans(q)).toEqual(byLuxon(q));
      compared++;
    }
    expect(compared).toBe(3000);
  });

  it('ends a local day at the next local midnight, across both DST changes', () => {
    for (const date of ['2027-03-27', '2027-03-28', '2027-10-30', '2027-10-31', '2026-12-31']) {
      expect(endOfLocalDay(date).toISOString()).toBe(
        DateTime.fromISO(date, { zone: ZONE }).plus({ days: 1 }).startOf('day').toJSDate().toISOString(),
      );
    }
    expect(endOfLocalDay('2027-03-28').toISOString()).toBe('2027-03-28T22:00:00.000Z');
    expect(endOfLocalDay('2027-10-31').toISOString()).toBe('2027-10-31T23:00:00.000Z');
  });
});
