import { largestRemainder, shareCosts } from './cost-sharing';
import { at, booking, machine, members, poolModel, request, workdays } from './fixtures';
import type { CostSharingKey, PoolModel } from './model';
import { propose } from './proposals';

/**
 * One street sweeper for four towns, booked solid Tuesday and Thursday mornings from April to
 * June 2026; every week two more towns ask for exactly those mornings. Demand exceeds capacity
 * for good: the pool should consider a second sweeper.
 */
describe('investment case', () => {
  const towns = ['eschwege', 'wanfried', 'meinhard', 'ringgau'];
  const annualCost = 2_345_679; // odd on purpose: the shares must still add up to the cent
  const weeks = ['2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27', '2026-05-04', '2026-05-11'];
  const plusDays = (monday: string, days: number) =>
    new Date(Date.parse(`${monday}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const model = (key: CostSharingKey): PoolModel =>
    poolModel(
      {
        period: { start: at('2026-04-06T00:00'), end: at('2026-05-18T00:00') },
        resources: [
          machine('sweeper-1', 'street-sweeper', 'eschwege', workdays('2026-04-06', '2026-05-15'), {
            annualFixedCostCents: annualCost,
          }),
        ],
        bookings: weeks.flatMap((w) => [
          booking(`eschwege-${w}`, 'sweeper-1', 'eschwege', `${plusDays(w, 1)}T07:00`, 4),
          booking(`meinhard-${w}`, 'sweeper-1', 'meinhard', `${plusDays(w, 3)}T07:00`, 4),
        ]),
        requests: weeks.flatMap((w) => [
          request(`wanfried-${w}`, 'street-sweeper', 'wanfried', `${plusDays(w, 1)}T07:00`, 4),
          request(`ringgau-${w}`, 'street-sweeper', 'ringgau', `${plusDays(w, 3)}T07:00`, 4),
        ]),
        members: [
          ...members(towns),
          {
            municipalityId: 'sontra',
            name: 'Sontra',
            population: 7_700,
            joinedOn: '2020-01-01',
            leftOn: '2026-04-30',
          },
        ],
      },
      key,
    );

  const keys: CostSharingKey[] = [
    { key: 'population' },
    { key: 'equal' },
    { key: 'usage' },
    { key: 'shares', shares: { eschwege: 40, wanfried: 20, meinhard: 25, ringgau: 15 } },
    { key: 'mixed', mix: { population: 0.5, equal: 0.3, usage: 0.2 } },
  ];

  it.each(keys)('recommends a second sweeper, shares adding up exactly under the $key key', (key) => {
    const proposals = propose(model(key), { seed: 5, timeLimitMs: 1500 });
    expect(proposals.filter((p) => p.kind === 'reassignment')).toEqual([]);
    const investment = proposals.find((p) => p.kind === 'investment');
    expect(investment?.investment).toMatchObject({
      type: 'street-sweeper',
      modelledOnResourceId: 'sweeper-1',
      unmetHoursBefore: 48,
      unmetHoursServed: 48,
      requestsServed: 12,
      annualCostCents: annualCost,
    });
    const shares = investment?.investment?.shares ?? [];
    expect(shares.map((s) => s.municipalityId)).toEqual(['eschwege', 'meinhard', 'ringgau', 'wanfried']);
    expect(shares.reduce((sum, s) => sum + s.cents, 0)).toBe(annualCost);
    expect(shares.every((s) => Number.isInteger(s.cents) && s.cents >= 0)).toBe(true);
    // Short every week of the period: buy one, not lease; it serves all, at half the type's load.
    expect(investment?.investment).toMatchObject({
      mode: 'buy',
      units: 1,
      weeksOverCapacity: 6,
      costSharingKey: key.key,
    });
    // 48 h booked and 48 h waiting against 6 × 45 h: short at those mornings, not in hours.
    expect(investment?.investment?.utilizationBefore).toBe(0.356);
    expect(investment?.investment?.utilizationAfter).toBeLessThan(investment!.investment!.utilizationBefore);
    expect(investment?.investment?.newUnitsUtilization).toBeGreaterThan(0);
  });

  it('splits by usage: booked plus unmet hours of the type', () => {
    const investment = propose(model({ key: 'usage' }), { seed: 5, timeLimitMs: 1000 }).find(
      (p) => p.kind === 'investment',
    );
    // Each town: 6 weeks × 4 h = 24 h, booked or unmet: equal parts.
    const cents = investment?.investment?.shares.map((s) => s.cents);
    expect(cents).toEqual([586_420, 586_420, 586_420, 586_419]);
  });

  it('uses the agreed percentages to the cent', () => {
    const shares = shareCosts(
      100_001,
      members(['eschwege', 'wanfried', 'meinhard']),
      { key: 'shares', shares: { eschwege: 1, wanfried: 1, meinhard: 1 } },
      new Map(),
    );
    expect(shares.map((s) => s.cents)).toEqual([33_334, 33_334, 33_333]);
  });

  it('largest remainder gives the leftover cents to the biggest fractions', () => {
    expect(largestRemainder(100, [0.333, 0.333, 0.334])).toEqual([33, 33, 34]);
    expect(largestRemainder(10, [0.55, 0.45])).toEqual([6, 4]);
    expect(largestRemainder(7, [1 / 3, 1 / 3, 1 / 3]).reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('recommends leasing when the shortage is seasonal: three of twelve weeks', () => {
    const seasonal = model({ key: 'population' });
    seasonal.period = { start: at('2026-04-06T00:00'), end: at('2026-06-29T00:00') };
    seasonal.requests = seasonal.requests.slice(0, 6);
    const investment = propose(seasonal, { seed: 5, timeLimitMs: 1500 }).find((p) => p.kind === 'investment');
    expect(investment?.investment).toMatchObject({ mode: 'lease', units: 1, leaseWeeks: 3 });
    // Leasing for 3 weeks at twice the prorated cost of owning.
    expect(investment?.investment?.annualCostCents).toBe(Math.round((annualCost * 2 * 3) / 52));
    const shares = investment?.investment?.shares ?? [];
    expect(shares.reduce((sum, s) => sum + s.cents, 0)).toBe(investment?.investment?.annualCostCents);
  });

  it('does not recommend buying for a one-off shortage', () => {
    const once = model({ key: 'population' });
    once.requests = once.requests.slice(0, 1);
    expect(propose(once, { seed: 5, timeLimitMs: 800 }).filter((p) => p.kind === 'investment')).toEqual([]);
  });
});
