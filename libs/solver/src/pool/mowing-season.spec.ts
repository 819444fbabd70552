import { DateTime } from 'luxon';
import { diagnose } from './bottlenecks';
import { at, booking, machine, poolModel, window, workdays } from './fixtures';
import type { SolverBooking } from './model';
import { MIN_TRIP_SAVING_MINUTES } from './trip-order';
import { propose } from './proposals';
import { verifyPlan } from './verify';

/**
 * Mowing season April–September 2026: mulchers are busy in May and June. One mulcher zigzags
 * between the north and the south of the district in week 20; its bookings may move within the week.
 */
describe('mowing season', () => {
  const season = workdays('2026-03-30', '2026-10-02');
  const mulchers = [
    machine('mulcher-1', 'mulcher', 'eschwege', season),
    machine('mulcher-2', 'mulcher', 'sontra', season),
  ];
  const peak: SolverBooking[] = [];
  for (
    let d = DateTime.fromISO('2026-05-04', { zone: 'Europe/Berlin' });
    d < DateTime.fromISO('2026-06-27');
    d = d.plus({ days: 1 })
  ) {
    if (d.weekday > 5 || d.weekNumber === 20) continue;
    peak.push(booking(`peak-${d.toISODate()}`, 'mulcher-2', 'sontra', `${d.toISODate()}T07:00`, 8));
  }
  const week20 = window('2026-05-11T07:00', '2026-05-15T16:00');
  const zigzag = [
    booking('witzenhausen-mon', 'mulcher-1', 'witzenhausen', '2026-05-11T07:00', 6, { flexible: week20 }),
    booking('ringgau-tue', 'mulcher-1', 'ringgau', '2026-05-12T07:00', 6, { flexible: week20 }),
    booking('sooden-wed', 'mulcher-1', 'sooden', '2026-05-13T07:00', 6, { flexible: week20 }),
    booking('sontra-thu', 'mulcher-1', 'sontra', '2026-05-14T07:00', 6, { flexible: week20 }),
  ];
  const model = poolModel({
    period: { start: at('2026-03-30T00:00'), end: at('2026-10-05T00:00') },
    resources: mulchers,
    bookings: [...peak, ...zigzag, booking('meinhard-sep', 'mulcher-1', 'meinhard', '2026-09-08T07:00', 6)],
  });

  it('does not call a peak that uses less than half the capacity a finding', () => {
    // One of two mulchers busy in May and June: 40 of 90 hours a week, no bottleneck.
    expect(diagnose(model).filter((f) => f.kind === 'seasonal-peak')).toEqual([]);
  });

  it('finds the May–June season as a peak against the mean of the period when both mulchers are busy', () => {
    const both = poolModel({
      ...model,
      bookings: [
        ...model.bookings,
        ...peak.map((b) => ({ ...b, id: `${b.id}-1`, resourceId: 'mulcher-1', siteId: 'eschwege' })),
      ],
    });
    const peaks = diagnose(both).filter((f) => f.kind === 'seasonal-peak');
    expect(peaks.length).toBeGreaterThanOrEqual(1);
    expect(peaks[0].type).toBe('mulcher');
    expect(peaks[0].period.start).toBe(at('2026-05-04T00:00'));
    expect(peaks[0].weeks.from).toEqual({ weekYear: 2026, weekNumber: 19 });
    expect(peaks[0].metrics.factor).toBeGreaterThanOrEqual(2);
    expect(peaks[0].metrics.periodMeanWeeklyHours).toBeGreaterThan(0);
    expect(peaks[0].metrics.demandRatio).toBeGreaterThanOrEqual(0.5);
  });

  it('re-orders the zigzag trips within their week to save transport', () => {
    const proposals = propose(model, { seed: 11, timeLimitMs: 1500 });
    const trip = proposals.find((p) => p.kind === 'trip-order');
    expect(trip).toBeDefined();
    expect(trip?.gain.transportMinutesSaved).toBeGreaterThanOrEqual(MIN_TRIP_SAVING_MINUTES);
    expect(
      trip?.changes.every((c) => c.toResourceId === 'mulcher-1' && c.fromResourceId === 'mulcher-1'),
    ).toBe(true);
    for (const c of trip?.changes ?? []) {
      expect(c.toStart).toBeGreaterThanOrEqual(week20.start);
      expect(c.toEnd).toBeLessThanOrEqual(week20.end);
    }
    expect(trip?.resourceId).toBe('mulcher-1');
    expect(trip?.gain.extraTransportMinutes).toBe(0);
    expect(verifyPlan(model, trip?.changes ?? []).ok).toBe(true);
  });

  it('proposes no trip order when the saving is below 15 minutes', () => {
    const calm = poolModel({
      period: model.period,
      resources: mulchers,
      bookings: [
        booking('eschwege-mon', 'mulcher-1', 'eschwege', '2026-05-11T07:00', 6, { flexible: week20 }),
        booking('meinhard-tue', 'mulcher-1', 'meinhard', '2026-05-12T07:00', 6, { flexible: week20 }),
      ],
    });
    expect(propose(calm, { seed: 11, timeLimitMs: 500 }).filter((p) => p.kind === 'trip-order')).toEqual([]);
  });
});
