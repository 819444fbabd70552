import { MipBuilder, type MipModel } from '../mip';
import { Prng } from '../smptsp/prng';
import { HighsSolver } from './highs-solver';

/** Workshop: 30 chairs + 50 tables profit, carpentry x + 2y ≤ 40, finishing 2x + y ≤ 50. */
function workshop(): MipModel {
  const b = new MipBuilder();
  const chairs = b.addColumn(30, 0, Infinity, true);
  const tables = b.addColumn(50, 0, Infinity, true);
  b.addRow(-Infinity, 40, [chairs, tables], [1, 2]);
  b.addRow(-Infinity, 50, [chairs, tables], [2, 1]);
  return b.build('maximize');
}

/**
 * A market-split instance (Cornuéjols & Dawande): m equations Σ a[i][j]·x[j] = ⌊Σ a[i][j] / 2⌋
 * over binaries with random a, slack minimised. Notoriously hard for branch and bound already
 * at m = 5, n = 40: the solver cannot finish in a second.
 */
function marketSplit(m: number, n: number, seed: number): MipModel {
  const rng = new Prng(seed);
  const b = new MipBuilder();
  const x = Array.from({ length: n }, () => b.binary(0));
  for (let i = 0; i < m; i++) {
    const a = x.map(() => rng.nextInt(100));
    const rhs = Math.floor(a.reduce((s, v) => s + v, 0) / 2);
    const plus = b.addColumn(1, 0, Infinity, false);
    const minus = b.addColumn(1, 0, Infinity, false);
    b.addRow(rhs, rhs, [...x, plus, minus], [...a, 1, -1]);
  }
  return b.build('minimize');
}

describe('HighsSolver (HiGHS in a worker thread)', () => {
  let highs: HighsSolver;
  beforeAll(() => (highs = new HighsSolver()));
  afterAll(() => highs.close());

  it('solves a small MIP to its known optimum', async () => {
    const result = await highs.solve(workshop(), { timeLimitMs: 10_000 });
    expect(result.status).toBe('optimal');
    expect(result.objective).toBeCloseTo(1100, 6);
    expect(result.bound).toBeCloseTo(1100, 6);
    expect(Array.from(result.solution ?? [])).toEqual([20, 10]);
  });

  it('solves the LP relaxation when asked (fractional optimum)', async () => {
    // max x + y, 2x + 2y ≤ 3: the LP gives 1.5, the MIP 1.
    const b = new MipBuilder();
    const x = b.binary(1);
    const y = b.binary(1);
    b.addRow(-Infinity, 3, [x, y], 2);
    const model = b.build('maximize');
    const lp = await highs.solve(model, { timeLimitMs: 10_000, relaxation: true });
    const mip = await highs.solve(model, { timeLimitMs: 10_000 });
    expect(lp).toMatchObject({ status: 'optimal', objective: 1.5, bound: 1.5 });
    expect(mip).toMatchObject({ status: 'optimal', objective: 1 });
  });

  it('reports an infeasible model', async () => {
    const b = new MipBuilder();
    const x = b.binary(1);
    const y = b.binary(1);
    b.addRow(3, Infinity, [x, y], 1);
    const result = await highs.solve(b.build('minimize'), { timeLimitMs: 10_000 });
    expect(result).toMatchObject({ status: 'infeasible', objective: null, solution: null, bound: Infinity });
  });

  it('stops a hard MIP at the time limit with the best solution and bound so far', async () => {
    const limitMs = 500;
    const started = Date.now();
    const result = await highs.solve(marketSplit(5, 40, 7), { timeLimitMs: limitMs });
    const elapsed = Date.now() - started;
    expect(result.status).toBe('time-limit');
    // The hard limit is a correctness property: the call comes back, loosely within the limit.
    expect(elapsed).toBeLessThan(limitMs + 2_000);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(limitMs - 50);
    if (result.objective !== null && result.bound !== null)
      expect(result.bound).toBeLessThanOrEqual(result.objective + 1e-9);
  });

  it('terminates the thread when HiGHS overruns the grace, answers, and works again afterwards', async () => {
    // Zero grace and a model too large to even load within 20 ms: the thread must be killed. (At
    // 1 ms the deadline could pass on a millisecond boundary before the solve began, and it is
    // "no time left" rather than a termination.)
    const strict = new HighsSolver({ graceMs: 0 });
    try {
      const b = new MipBuilder();
      const n = 200_000;
      const cols = Array.from({ length: n }, (_, j) => b.addColumn(1 + (j % 7), 0, 1, true));
      for (let i = 0; i + 10 <= n; i += 10) b.addRow(1, Infinity, cols.slice(i, i + 10), 1);
      const started = Date.now();
      const killed = await strict.solve(b.build('minimize'), { timeLimitMs: 20 });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(killed.status).toBe('time-limit');
      expect(killed.message).toBe('terminated at the time limit');
      const after = await strict.solve(workshop(), { timeLimitMs: 10_000 });
      expect(after).toMatchObject({ status: 'optimal', objective: 1100 });
    } finally {
      await strict.close();
    }
  });

  it('is deterministic: the same model and seed give the same solution', async () => {
    const model = marketSplit(2, 16, 3);
    const first = await highs.solve(model, { timeLimitMs: 20_000, seed: 5 });
    const second = await highs.solve(model, { timeLimitMs: 20_000, seed: 5 });
    expect(first.status).toBe('optimal');
    expect(second.objective).toBe(first.objective);
    expect(Array.from(second.solution ?? [])).toEqual(Array.from(first.solution ?? []));
  });

  it('runs calls one after another, each with its own limit', async () => {
    const results = await Promise.all([1, 2, 3].map(() => highs.solve(workshop(), { timeLimitMs: 10_000 })));
    expect(results.map((r) => r.objective)).toEqual([1100, 1100, 1100]);
  });
});
