import { freeWindows, WindowQuery, withOperators } from './free-windows';
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
