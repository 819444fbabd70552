import { HighsSolver } from '../highs';
import { Prng } from '../smptsp/prng';
import { at, machine, poolModel, randomPool, request, workdays } from './fixtures';
import type { Proposal } from './model';
import { propose, proposeWithExact } from './proposals';
import { verifyPlan } from './verify';

const served = (proposals: Proposal[]): number =>
  proposals.reduce((sum, p) => sum + (p.kind === 'reassignment' ? p.gain.requestsServed : 0), 0);

/** Exact subproblems (HiGHS): one resource type, the requests close in time, the rest fixed. */
describe('exact subproblems with HiGHS', () => {
  // HiGHS in its thread and three seeded pools twice over: minutes on a loaded machine.
  jest.setTimeout(240_000);
  let highs: HighsSolver;
  beforeAll(() => (highs = new HighsSolver()));
  afterAll(() => highs.close());

  it('proves that no plan serves more: three towns want the two sweepers at the same time', async () => {
    const week = workdays('2026-05-04', '2026-05-08');
    const model = poolModel({
      period: { start: at('2026-05-04T00:00'), end: at('2026-05-11T00:00') },
      resources: [
        machine('sweeper-1', 'street-sweeper', 'eschwege', week),
        machine('sweeper-2', 'street-sweeper', 'witzenhausen', week),
      ],
      bookings: [],
      requests: [
        request('sontra', 'street-sweeper', 'sontra', '2026-05-05T08:00', 4),
        request('wanfried', 'street-sweeper', 'wanfried', '2026-05-05T08:00', 4),
        request('meinhard', 'street-sweeper', 'meinhard', '2026-05-05T08:00', 4),
      ],
    });
    const { proposals, exact } = await proposeWithExact(model, { seed: 1, timeLimitMs: 30_000 }, highs);
    expect(served(proposals)).toBe(2);
    expect(exact).toEqual([
      expect.objectContaining({
        type: 'street-sweeper',
        requests: 3,
        servedAfter: 2,
        servableBound: 2,
        provenOptimal: true,
      }),
    ]);
    const [reassignment] = proposals;
    expect(reassignment.bound).toEqual({
      subproblems: 1,
      requests: 3,
      served: 2,
      servableBound: 2,
      proven: true,
    });
    expect(verifyPlan(model, reassignment.changes).violations).toEqual([]);
  });

  it('finds a better plan than the local search alone, and proves it optimal', async () => {
    const pool = () => {
      const rng = new Prng(27);
      return randomPool(() => rng.nextFloat(), {
        machinesPerType: 2,
        types: 2,
        bookings: 40,
        requests: 20,
        weeks: 1,
      });
    };
    // The same search (same seed, same number of moves) with and without the exact step.
    const options = { seed: 1, timeLimitMs: 30_000, maxMoves: 3_000 };
    const alone = propose(pool(), options);
    const model = pool();
    const { proposals, exact } = await proposeWithExact(model, options, highs);
    expect(served(alone)).toBe(9);
    expect(served(proposals)).toBe(11);
    expect(exact.some((c) => c.improved && c.servedAfter > c.servedBefore)).toBe(true);
    expect(exact.every((c) => c.provenOptimal && c.servedAfter === c.servableBound)).toBe(true);
    for (const p of proposals) expect(verifyPlan(model, p.changes).violations).toEqual([]);
  });

  it('never serves fewer requests than the search alone, and every proposal keeps the rules', async () => {
    for (const seed of [3, 8, 14]) {
      const pool = () => {
        const rng = new Prng(seed);
        return randomPool(() => rng.nextFloat(), {
          machinesPerType: 3,
          types: 3,
          bookings: 80,
          requests: 30,
          weeks: 2,
        });
      };
      const options = { seed: 1, timeLimitMs: 30_000, maxMoves: 2_000 };
      const alone = propose(pool(), options);
      const model = pool();
      const { proposals, exact } = await proposeWithExact(model, options, highs);
      expect(served(proposals)).toBeGreaterThanOrEqual(served(alone));
      for (const c of exact) expect(c.servedAfter).toBeLessThanOrEqual(c.servableBound);
      for (const p of proposals)
        if (p.bound) {
          expect(p.bound.served).toBeLessThanOrEqual(p.bound.servableBound);
          expect(p.bound.proven).toBe(p.bound.served >= p.bound.servableBound);
        }
      expect(proposals.some((p) => p.bound)).toBe(true);
      for (const p of proposals) expect(verifyPlan(model, p.changes).violations).toEqual([]);
    }
  });
});
