import { always, at, booking, everyDay, HOUR, machine, poolModel, request, window } from './fixtures';
import { propose } from './proposals';
import { verifyPlan } from './verify';

/**
 * A sweeper may be booked at any hour, but work the solver moves stays in the working day: Sontra
 * asks for Thursday 08:00, flexible Wednesday to Friday, and the sweeper is busy Thursday daytime.
 */
describe('moved work stays in the day', () => {
  const sweeper = machine('sweeper-1', 'street-sweeper', 'eschwege', always('2026-03-02', '2026-03-09'));
  const daytime = everyDay('2026-03-01', '2026-03-09', 6, 20);
  const sontra = (windowFrom: string, windowTo: string) =>
    request('sontra-thu', 'street-sweeper', 'sontra', '2026-03-05T08:00', 4.5, {
      window: window(windowFrom, windowTo),
    });
  const busy = (id: string, day: string) => booking(id, 'sweeper-1', 'eschwege', `${day}T06:00`, 14);
  const localHour = (ms: number) =>
    Number(
      new Date(ms).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hour12: false }),
    );

  it('serves the request in daytime on another day, not in the night before the busy day', () => {
    const model = poolModel({
      period: { start: at('2026-03-02T00:00'), end: at('2026-03-09T00:00') },
      resources: [sweeper],
      bookings: [busy('eschwege-thu', '2026-03-05')],
      requests: [sontra('2026-03-04T08:00', '2026-03-06T12:30')],
      movableHours: daytime,
    });
    for (const seed of [1, 2, 3]) {
      const reassignment = propose(model, { seed, timeLimitMs: 500 }).find((p) => p.kind === 'reassignment');
      const served = reassignment?.changes.find((c) => c.requestId === 'sontra-thu');
      expect(served).toBeDefined();
      expect(localHour(served!.toStart)).toBeGreaterThanOrEqual(6);
      expect(served!.toEnd - served!.toStart).toBe(4.5 * HOUR);
      expect(served!.toEnd).toBeLessThanOrEqual(
        daytime.find((d) => d.start <= served!.toStart && served!.toStart < d.end)!.end,
      );
      expect(verifyPlan(model, reassignment!.changes).ok).toBe(true);
    }
  });

  it('leaves the request waiting when only nights are free, and the checker rejects a night slot', () => {
    const model = poolModel({
      period: { start: at('2026-03-02T00:00'), end: at('2026-03-09T00:00') },
      resources: [sweeper],
      bookings: ['2026-03-04', '2026-03-05', '2026-03-06'].map((d) => busy(`eschwege-${d}`, d)),
      requests: [sontra('2026-03-04T08:00', '2026-03-06T12:30')],
      movableHours: daytime,
    });
    const proposals = propose(model, { seed: 1, timeLimitMs: 500 });
    expect(proposals.filter((p) => p.kind === 'reassignment')).toEqual([]);

    const night = {
      requestId: 'sontra-thu',
      toResourceId: 'sweeper-1',
      toStart: at('2026-03-05T00:30'),
      toEnd: at('2026-03-05T05:00'),
    };
    expect(verifyPlan({ ...model, movableHours: undefined }, [night]).ok).toBe(true);
    const check = verifyPlan(model, [night]);
    expect(check.ok).toBe(false);
    expect(check.violations).toContain('request sontra-thu is served outside the hours work may be moved to');
  });

  it('keeps work that was asked for at night at its own time', () => {
    const model = poolModel({
      period: { start: at('2026-03-02T00:00'), end: at('2026-03-09T00:00') },
      resources: [sweeper],
      requests: [
        request('winter-night', 'street-sweeper', 'sontra', '2026-03-05T02:00', 3, {
          window: window('2026-03-04T22:00', '2026-03-05T06:00'),
        }),
      ],
      movableHours: daytime,
    });
    const [reassignment] = propose(model, { seed: 1, timeLimitMs: 500 });
    expect(reassignment.changes).toEqual([
      expect.objectContaining({ requestId: 'winter-night', toStart: at('2026-03-05T02:00') }),
    ]);
    expect(verifyPlan(model, reassignment.changes).ok).toBe(true);
  });
});
