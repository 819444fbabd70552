import { Prng } from '../smptsp/prng';
import { diagnose } from './bottlenecks';
import { randomPool } from './fixtures';
import { propose } from './proposals';
import { verifyPlan } from './verify';

describe('determinism and speed', () => {
  const small = () => {
    const rng = new Prng(42);
    return randomPool(() => rng.nextFloat(), {
      machinesPerType: 3,
      types: 3,
      bookings: 120,
      requests: 40,
      weeks: 4,
    });
  };

  it('gives the same proposals for the same seed', () => {
    const options = { seed: 9, timeLimitMs: 20_000, maxMoves: 8_000 };
    const a = propose(small(), options);
    const b = propose(small(), options);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('gives the same diagnosis every time', () => {
    expect(diagnose(small())).toEqual(diagnose(small()));
  });

  // Timing itself is measured by `npm run bench` (unit tests assert no durations: the machine is shared).
  it('handles 1,000 bookings and 200 requests under a time limit', () => {
    const rng = new Prng(2026);
    const model = randomPool(() => rng.nextFloat(), {
      machinesPerType: 8,
      types: 5,
      bookings: 1_000,
      requests: 200,
      weeks: 8,
    });
    expect(model.bookings.filter((b) => !b.operatorForBookingId).length).toBe(1_000);
    const proposals = propose(model, { seed: 1, timeLimitMs: 3_000 });
    const served = proposals.reduce(
      (sum, p) => sum + (p.kind === 'reassignment' ? p.gain.requestsServed : 0),
      0,
    );
    expect(served).toBeGreaterThan(0);
    for (const p of proposals) expect(verifyPlan(model, p.changes).violations).toEqual([]);
  });

  it('stops at once with a zero time limit: a clock past the deadline gives no search and no investment advice', () => {
    let t = 0;
    const proposals = propose(small(), { seed: 1, timeLimitMs: 0, now: () => (t += 1) });
    expect(proposals.filter((p) => p.kind === 'investment')).toEqual([]);
    for (const p of proposals) expect(verifyPlan(small(), p.changes).violations).toEqual([]);
  });
});
