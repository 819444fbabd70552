import { at, booking, machine, person, poolModel, request, workdays } from './fixtures';
import { proposeOrExplain } from './proposals';

/** A run that proposes nothing says why, per request and for the run (a clock that never runs out: the move limit ends the search). */
describe('a run that finds nothing says why', () => {
  const week = workdays('2026-06-08', '2026-06-12');
  const period = { start: at('2026-06-08T00:00'), end: at('2026-06-15T00:00') };
  const run = (parts: Parameters<typeof poolModel>[0]) =>
    proposeOrExplain(poolModel(parts), { seed: 1, timeLimitMs: 1_000, maxMoves: 3_000, now: () => 0 });

  it('nothing waiting', () => {
    const { proposals, nothingFound } = run({
      period,
      resources: [machine('sweeper-1', 'street-sweeper', 'eschwege', week)],
      bookings: [booking('b', 'sweeper-1', 'eschwege', '2026-06-09T07:00', 4)],
    });
    expect(proposals).toEqual([]);
    expect(nothingFound).toEqual({ reason: 'nothing-waiting', waiting: 0, requests: [] });
  });

  it('everything blocked by an inspection falling due', () => {
    // The camera's inspection is due on Monday: unusable from Tuesday (the loader cuts availability).
    const due = at('2026-06-09T00:00');
    const { nothingFound } = run({
      period,
      resources: [
        machine(
          'cam-1',
          'sewer-camera',
          'eschwege',
          week.filter((a) => a.end <= due),
          { inspectionDue: due },
        ),
      ],
      requests: [request('wanfried', 'sewer-camera', 'wanfried', '2026-06-10T08:00', 4)],
    });
    expect(nothingFound?.reason).toBe('blocked-by-inspections');
    expect(nothingFound?.requests).toEqual([{ requestId: 'wanfried', reason: 'blocked-by-inspections' }]);
  });

  it('everything blocked by operator hours', () => {
    const { nothingFound } = run({
      period,
      resources: [
        machine('cam-1', 'sewer-camera', 'eschwege', week, {
          requiredQualification: 'sewer-camera-certified',
        }),
        // The one certified operator works Monday and Tuesday only.
        person('anna', 'eschwege', ['sewer-camera-certified'], workdays('2026-06-08', '2026-06-09')),
      ],
      requests: [request('wanfried', 'sewer-camera', 'wanfried', '2026-06-11T08:00', 4)],
    });
    expect(nothingFound?.reason).toBe('blocked-by-operator-hours');
  });

  it('nothing movable: the one sweeper is booked, and the booking may not move', () => {
    const { nothingFound } = run({
      period,
      resources: [machine('sweeper-1', 'street-sweeper', 'eschwege', week)],
      bookings: [booking('fixed', 'sweeper-1', 'eschwege', '2026-06-09T07:00', 8)],
      requests: [request('wanfried', 'street-sweeper', 'wanfried', '2026-06-09T08:00', 4)],
    });
    expect(nothingFound?.reason).toBe('nothing-movable');
    expect(nothingFound?.waiting).toBe(1);
  });

  it('no resource of the type', () => {
    const { nothingFound } = run({
      period,
      resources: [machine('sweeper-1', 'street-sweeper', 'eschwege', week)],
      requests: [request('wanfried', 'wood-chipper', 'wanfried', '2026-06-09T08:00', 4)],
    });
    expect(nothingFound?.reason).toBe('no-resource-of-type');
  });
});
