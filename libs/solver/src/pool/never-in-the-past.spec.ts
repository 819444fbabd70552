import { at, booking, machine, poolModel, request, window, workdays } from './fixtures';
import { proposeOrExplain } from './proposals';
import { verifyPlan } from './verify';

/**
 * Wednesday 13 May 2026, 10:20 in Eschwege. Two sweepers; Monday's request was never served, a
 * flexible request may run any day this week, one booking has started already and another is
 * flexible from Monday to Friday. Nothing may be proposed before now.
 */
describe('never in the past', () => {
  const week = workdays('2026-05-11', '2026-05-15');
  const now = at('2026-05-13T10:20');
  const base = {
    period: { start: at('2026-05-11T00:00'), end: at('2026-05-18T00:00') },
    now,
    resources: [
      machine('sweeper-1', 'street-sweeper', 'eschwege', week),
      machine('sweeper-2', 'street-sweeper', 'wanfried', week),
    ],
  };

  it('serves a flexible request from now on, rounded up to the quarter hour, and never moves started work', () => {
    const model = poolModel({
      ...base,
      bookings: [
        booking('started', 'sweeper-1', 'eschwege', '2026-05-13T08:00', 6, {
          flexible: window('2026-05-11T07:00', '2026-05-15T16:00'),
        }),
        booking('sweeper-2-busy', 'sweeper-2', 'wanfried', '2026-05-13T07:00', 9),
      ],
      requests: [
        request('monday', 'street-sweeper', 'meinhard', '2026-05-11T08:00', 3),
        request('this-week', 'street-sweeper', 'ringgau', '2026-05-11T08:00', 3, {
          window: window('2026-05-11T07:00', '2026-05-15T16:00'),
        }),
      ],
    });
    const { proposals } = proposeOrExplain(model, {
      seed: 1,
      timeLimitMs: 2_000,
      maxMoves: 5_000,
      now: () => 0,
    });
    const changes = proposals.flatMap((p) => p.changes);
    expect(changes.some((c) => c.requestId === 'monday')).toBe(false);
    expect(changes.some((c) => c.bookingId === 'started')).toBe(false);
    const served = changes.find((c) => c.requestId === 'this-week');
    expect(served).toBeDefined();
    expect(served!.toStart).toBeGreaterThanOrEqual(at('2026-05-13T10:30'));
    for (const c of changes) expect(c.toStart).toBeGreaterThanOrEqual(now);
    for (const p of proposals) expect(verifyPlan(model, p.changes).violations).toEqual([]);
  });

  it('says the waiting requests lie in the past when they do', () => {
    const model = poolModel({
      ...base,
      requests: [request('monday', 'street-sweeper', 'meinhard', '2026-05-11T08:00', 3)],
    });
    const { proposals, nothingFound } = proposeOrExplain(model, {
      seed: 1,
      timeLimitMs: 1_000,
      maxMoves: 3_000,
      now: () => 0,
    });
    expect(proposals).toEqual([]);
    expect(nothingFound).toEqual({
      reason: 'all-in-past',
      waiting: 1,
      requests: [{ requestId: 'monday', reason: 'all-in-past' }],
    });
  });

  it('refuses a plan that places work before now', () => {
    const model = poolModel({
      ...base,
      requests: [request('monday', 'street-sweeper', 'meinhard', '2026-05-11T08:00', 3)],
    });
    const check = verifyPlan(model, [
      {
        requestId: 'monday',
        role: 'resource',
        fromResourceId: null,
        toResourceId: 'sweeper-1',
        toStart: at('2026-05-11T08:00'),
        toEnd: at('2026-05-11T11:00'),
      },
    ]);
    expect(check.ok).toBe(false);
    expect(check.violations.join()).toContain('in the past');
  });
});
