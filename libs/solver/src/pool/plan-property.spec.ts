import fc from 'fast-check';
import { Prng } from '../smptsp/prng';
import { randomPool } from './fixtures';
import { propose } from './proposals';
import { verifyPlan } from './verify';

describe('every proposal passes verifyPlan', () => {
  it('on random pools and seeds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.record({
          machinesPerType: fc.integer({ min: 1, max: 3 }),
          types: fc.integer({ min: 1, max: 3 }),
          bookings: fc.integer({ min: 0, max: 40 }),
          requests: fc.integer({ min: 0, max: 15 }),
          weeks: fc.integer({ min: 1, max: 3 }),
        }),
        (poolSeed, seed, size) => {
          const rng = new Prng(poolSeed);
          const model = randomPool(() => rng.nextFloat(), size);
          const proposals = propose(model, { seed, timeLimitMs: 2_000, maxMoves: 1_500 });
          for (const p of proposals) {
            expect(verifyPlan(model, p.changes).violations).toEqual([]);
            const requests = new Set(p.changes.filter((c) => c.requestId).map((c) => c.requestId));
            expect(p.gain.requestsServed).toBe(
              p.kind === 'investment' ? p.gain.requestsServed : requests.size,
            );
          }
        },
      ),
      { numRuns: 40, seed: 20260414 },
    );
  });
});
