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

  it('handles 1,000 bookings and 200 requests within the time limit', () => {
    const rng = new Prng(2026);
    const model = randomPool(() => rng.nextFloat(), {
      machinesPerType: 8,
      types: 5,
      bookings: 1_000,
      requests: 200,
      weeks: 8,
    });
    expect(model.bookings.filter((b) => !b.operatorForBookingId).length).toBe(1_000);
    const started = Date.now();
    const proposals = propose(model, { seed: 1, timeLimitMs: 3_000 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThanOrEqual(3_000);
    const served = proposals.reduce(
      (sum, p) => sum + (p.kind === 'reassignment' ? p.gain.requestsServed : 0),
      0,
    );
    expect(served).toBeGreaterThan(0);
    for (const p of proposals) expect(verifyPlan(model, p.changes).violations).toEqual([]);
  });

  it('stops at once with a zero time limit', () => {
    const started = Date.now();
    propose(small(), { seed: 1, timeLimitMs: 0 });
    expect(Date.now() - started).toBeLessThan(500);
  });
});
