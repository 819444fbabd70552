import fc from 'fast-check';
import { allowedSpans, BusyBooking, freeWindows, Span, WindowQuery, withOperators } from './free-windows';
import { parseInstant } from './time';

const at = (s: string) => parseInstant(s)!;
const iso = (d: Date) => d.toISOString();

const base: WindowQuery = {
  from: at('2026-05-04T00:00:00+02:00'),
  to: at('2026-05-06T00:00:00+02:00'),
  siteId: 'S',
  siteState: 'HE',
  homeId: 'H',
  minMinutes: 60,
};
const travel = (a: string, b: string) => (a === b ? 0 : 30);

describe('freeWindows', () => {
  it('is the whole period for an idle machine', () => {
    const w = freeWindows(base, [], [], travel);
    expect(w.map((x) => [iso(x.start), iso(x.end)])).toEqual([[iso(base.from), iso(base.to)]]);
  });

  it('leaves room for the transport legs around a booking', () => {
    const busy = [
      {
        start: at('2026-05-04T10:00:00+02:00'),
        end: at('2026-05-04T12:00:00+02:00'),
        blockedStart: at('2026-05-04T09:30:00+02:00'),
        siteId: 'X',
      },
    ];
    const w = freeWindows(base, busy, [], travel);
    expect(iso(w[0].end)).toBe(iso(at('2026-05-04T09:30:00+02:00')));
    expect(iso(w[1].start)).toBe(iso(at('2026-05-04T12:30:00+02:00')));
    expect(w[1].travelInMinutes).toBe(30);
  });

  it('needs no transport for a booking at the same site', () => {
    const busy = [
      {
        start: at('2026-05-04T10:00:00+02:00'),
        end: at('2026-05-04T12:00:00+02:00'),
        blockedStart: at('2026-05-04T10:00:00+02:00'),
        siteId: 'S',
      },
    ];
    const w = freeWindows(base, busy, [], travel);
    expect(iso(w[0].end)).toBe(iso(at('2026-05-04T10:00:00+02:00')));
    expect(iso(w[1].start)).toBe(iso(at('2026-05-04T12:00:00+02:00')));
  });

  it('skips holidays and keeps staff inside working hours', () => {
    const w = freeWindows(
      {
        ...base,
        from: at('2026-05-13T00:00:00+02:00'),
        to: at('2026-05-16T00:00:00+02:00'),
        workingHours: { '3': ['07:00', '15:30'], '4': ['07:00', '15:30'], '5': ['07:00', '12:00'] },
      },
      [],
      [],
      travel,
    );
    // 14 May 2026 is Ascension Day (Christi Himmelfahrt), a public holiday in Hesse.
    expect(w.map((x) => [iso(x.start), iso(x.end)])).toEqual([
      [iso(at('2026-05-13T07:00:00+02:00')), iso(at('2026-05-13T15:30:00+02:00'))],
      [iso(at('2026-05-15T07:00:00+02:00')), iso(at('2026-05-15T12:00:00+02:00'))],
    ]);
  });

  it('cuts out blackouts and drops windows shorter than asked', () => {
    const w = freeWindows(
      { ...base, minMinutes: 120 },
      [],
      [{ start: at('2026-05-04T01:00:00+02:00'), end: at('2026-05-05T23:00:00+02:00') }],
      travel,
    );
    expect(w).toEqual([]);
  });
});

describe('withOperators', () => {
  const machine = {
    start: at('2026-05-04T06:00:00+02:00'),
    end: at('2026-05-04T20:00:00+02:00'),
    travelInMinutes: 0,
  };
  const op = (name: string, start: string, end: string, travelInMinutes = 0) => ({
    operator: name,
    window: { start: at(start), end: at(end), travelInMinutes },
  });

  it('keeps only the time a qualified operator can come, long enough for a booking, and says who', () => {
    const pieces = withOperators(
      machine,
      [
        op('Jonas', '2026-05-04T04:00:00+02:00', '2026-05-04T12:30:00+02:00', 40),
        op('Lena', '2026-05-04T07:00:00+02:00', '2026-05-04T15:30:00+02:00', 10),
        op('Short', '2026-05-04T18:00:00+02:00', '2026-05-04T18:30:00+02:00'),
      ],
      60,
    );
    expect(pieces.map((p) => [iso(p.start), iso(p.end)])).toEqual([
      [iso(at('2026-05-04T06:00:00+02:00')), iso(at('2026-05-04T15:30:00+02:00'))],
    ]);
    // Each with their own span, the shortest trip first.
    expect(pieces[0].operators.map((o) => [o.operator, iso(o.start)])).toEqual([
      ['Lena', iso(at('2026-05-04T07:00:00+02:00'))],
      ['Jonas', iso(at('2026-05-04T06:00:00+02:00'))],
    ]);
  });

  it('is nothing when no operator can come', () => {
    expect(withOperators(machine, [], 60)).toEqual([]);
    expect(
      withOperators(machine, [op('Night', '2026-05-04T20:00:00+02:00', '2026-05-05T04:00:00+02:00')], 60),
    ).toEqual([]);
  });
});

/** The plain form of freeWindows' pairing: every gap against every allowed span. */
function pairEveryGapWithEverySpan(
  q: WindowQuery,
  busy: BusyBooking[],
  blackouts: Span[],
  travelOf: (fromId: string, toId: string) => number,
): { start: string; end: string; travelInMinutes: number }[] {
  const sorted = [...busy].sort((a, b) => a.start.getTime() - b.start.getTime());
  const gaps: { start: Date; end: Date; travelInMinutes: number }[] = [];
  let cursor: Date | null = null;
  let cursorSite = q.homeId;
  const plus = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
  for (const b of sorted) {
    const gapStart = cursor ? plus(cursor, travelOf(cursorSite, q.siteId)) : q.from;
    const gapEnd = plus(b.start, -travelOf(q.siteId, b.siteId));
    if (gapEnd > gapStart)
      gaps.push({ start: gapStart, end: gapEnd, travelInMinutes: travelOf(cursorSite, q.siteId) });
    if (!cursor || b.end > cursor) {
      cursor = b.end;
      cursorSite = b.siteId;
    }
  }
  gaps.push({
    start: cursor ? plus(cursor, travelOf(cursorSite, q.siteId)) : q.from,
    end: q.to,
    travelInMinutes: travelOf(cursorSite, q.siteId),
  });
  let allowed = allowedSpans(q);
  for (const bl of blackouts)
    allowed = allowed.flatMap((s) => {
      if (bl.end <= s.start || bl.start >= s.end) return [s];
      const out: Span[] = [];
      if (bl.start > s.start) out.push({ start: s.start, end: bl.start });
      if (bl.end < s.end) out.push({ start: bl.end, end: s.end });
      return out;
    });
  const windows: { start: string; end: string; travelInMinutes: number }[] = [];
  for (const gap of gaps)
    for (const span of allowed) {
      const start = gap.start > span.start ? gap.start : span.start;
      const end = gap.end < span.end ? gap.end : span.end;
      if ((end.getTime() - start.getTime()) / 60_000 >= q.minMinutes)
        windows.push({ start: iso(start), end: iso(end), travelInMinutes: gap.travelInMinutes });
    }
  return windows;
}

describe('freeWindows against every gap paired with every span', () => {
  const weekFrom = at('2026-10-19T00:00:00+02:00').getTime();
  const sites = ['H', 'S', 'X', 'Y'];
  const legs: Record<string, number> = {
    HS: 20,
    SH: 20,
    HX: 45,
    XH: 45,
    SX: 35,
    XS: 35,
    SY: 0,
    YS: 0,
    HY: 15,
    YH: 15,
    XY: 50,
    YX: 50,
  };
  const travelOf = (a: string, b: string) => (a === b ? 0 : legs[a + b]);
  // Half-hour steps over two weeks, across the end of summer time (25 October 2026).
  const instant = fc.integer({ min: -48, max: 14 * 48 }).map((k) => new Date(weekFrom + k * 1_800_000));
  const booking = fc
    .record({ start: instant, halfHours: fc.integer({ min: 1, max: 40 }), site: fc.constantFrom(...sites) })
    .map(({ start, halfHours, site }) => ({
      start,
      end: new Date(start.getTime() + halfHours * 1_800_000),
      blockedStart: start,
      siteId: site,
    }));
  const blackout = fc
    .record({ start: instant, halfHours: fc.integer({ min: 1, max: 96 }) })
    .map(({ start, halfHours }) => ({ start, end: new Date(start.getTime() + halfHours * 1_800_000) }));
  const hours = fc.constantFrom<WindowQuery['workingHours']>(
    undefined,
    {
      '1': ['07:00', '15:30'],
      '2': ['07:00', '15:30'],
      '3': ['07:00', '15:30'],
      '4': ['07:00', '15:30'],
      '5': ['07:00', '12:00'],
    },
    { '1': ['06:00', '20:00'], '3': ['05:30', '22:00'], '6': ['08:00', '12:00'] },
  );

  it('finds the same windows, in the same order, for random calendars', () => {
    fc.assert(
      fc.property(
        fc.array(booking, { maxLength: 40 }),
        fc.array(blackout, { maxLength: 4 }),
        hours,
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom(...sites),
        fc.boolean(),
        (busy, blackouts, workingHours, minMinutes, homeId, emergency) => {
          const q: WindowQuery = {
            ...base,
            from: new Date(weekFrom),
            to: new Date(weekFrom + 14 * 86_400_000),
            homeId,
            minMinutes,
            workingHours,
            emergency,
          };
          const found = freeWindows(q, busy, blackouts, travelOf).map((w) => ({
            start: iso(w.start),
            end: iso(w.end),
            travelInMinutes: w.travelInMinutes,
          }));
          expect(found).toEqual(pairEveryGapWithEverySpan(q, busy, blackouts, travelOf));
        },
      ),
      { numRuns: 500 },
    );
  });
});
