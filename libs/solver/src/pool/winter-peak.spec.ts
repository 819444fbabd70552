import { DateTime } from 'luxon';
import { diagnose } from './bottlenecks';
import { at, booking, everyDay, machine, poolModel, request, window } from './fixtures';
import type { SolverBooking } from './model';
import { propose } from './proposals';
import { verifyPlan } from './verify';

/**
 * Winter service December 2026 – March 2027 with two snow ploughs. In January (KW 2–4/2027) both
 * clear roads from 04:00 to 20:00 every day (emergencies) and three more towns wait for a plough.
 */
describe('winter peak', () => {
  const season = everyDay('2026-11-30', '2027-03-28', 4, 20);
  const ploughs = [
    machine('plough-1', 'snow-plough', 'eschwege', season),
    machine('plough-2', 'snow-plough', 'witzenhausen', season),
  ];
  const towns = ['eschwege', 'meinhard', 'wanfried', 'sooden', 'witzenhausen'];
  const winterService: SolverBooking[] = [];
  for (
    let d = DateTime.fromISO('2027-01-11', { zone: 'Europe/Berlin' }), k = 0;
    d.toISODate() !== '2027-02-01';
    d = d.plus({ days: 1 }), k++
  ) {
    for (const [p, plough] of ploughs.entries())
      winterService.push(
        booking(
          `winter-${plough.id}-${d.toISODate()}`,
          plough.id,
          towns[(k + p) % towns.length],
          `${d.toISODate()}T04:00`,
          16,
          {
            priority: 'emergency',
          },
        ),
      );
  }
  const model = poolModel({
    period: { start: at('2026-11-30T00:00'), end: at('2027-03-29T00:00') },
    resources: ploughs,
    bookings: [
      ...winterService,
      // A normal booking that may move within its week, and an emergency elsewhere at that time.
      booking('meinhard-car-park', 'plough-1', 'meinhard', '2026-12-08T06:00', 8, {
        flexible: window('2026-12-07T04:00', '2026-12-11T20:00'),
      }),
      booking('sontra-storm', 'plough-2', 'sontra', '2026-12-08T06:00', 8, { priority: 'emergency' }),
    ],
    requests: [
      request('wanfried-ice', 'snow-plough', 'wanfried', '2026-12-08T06:00', 8, { priority: 'emergency' }),
      request('ringgau-jan', 'snow-plough', 'ringgau', '2027-01-13T06:00', 6),
      request('sontra-jan', 'snow-plough', 'sontra', '2027-01-20T06:00', 6),
      request('sooden-jan', 'snow-plough', 'sooden', '2027-01-27T06:00', 6),
    ],
  });

  it('names the January weeks as the bottleneck, in figures against capacity', () => {
    const findings = diagnose(model);
    const peak = findings.find((f) => f.kind === 'utilization' && f.type === 'snow-plough' && !f.resourceId);
    expect(peak).toMatchObject({
      severity: 'critical',
      period: { start: at('2027-01-11T00:00'), end: at('2027-02-01T00:00') },
    });
    expect(peak?.weeks).toEqual({
      from: { weekYear: 2027, weekNumber: 2 },
      to: { weekYear: 2027, weekNumber: 4 },
    });
    expect(peak?.metrics).toMatchObject({
      availableHours: 672,
      bookedHours: 672,
      unmetHours: 18,
      requests: 3,
    });
    expect(peak?.metrics.demandRatio).toBe(1.027);
    // The same weeks, listed as those where demand exceeds capacity.
    const over = findings.find((f) => f.kind === 'over-capacity' && f.type === 'snow-plough');
    expect(over?.weekList).toEqual([2, 3, 4].map((weekNumber) => ({ weekYear: 2027, weekNumber })));
    expect(over?.metrics.excessHours).toBe(18);
    expect(findings.some((f) => f.kind === 'seasonal-peak' && f.type === 'snow-plough')).toBe(true);
    expect(findings.some((f) => f.kind === 'capacity' && f.type === 'snow-plough')).toBe(true);
  });

  it('serves the icy emergency by moving the normal booking, never an emergency', () => {
    const proposals = propose(model, { seed: 3, timeLimitMs: 1500 });
    const all = proposals.flatMap((p) => p.changes);
    const emergencies = new Set(model.bookings.filter((b) => b.priority === 'emergency').map((b) => b.id));
    expect(all.some((c) => c.bookingId && emergencies.has(c.bookingId))).toBe(false);
    const ice = proposals.find((p) => p.changes.some((c) => c.requestId === 'wanfried-ice'));
    expect(ice?.kind).toBe('reassignment');
    expect(ice?.changes.find((c) => c.bookingId === 'meinhard-car-park')).toBeDefined();
    // January is fully booked with emergencies: nothing there can be served.
    expect(all.some((c) => c.requestId?.endsWith('-jan'))).toBe(false);
    for (const p of proposals) expect(verifyPlan(model, p.changes)).toEqual({ ok: true, violations: [] });
  });
});
