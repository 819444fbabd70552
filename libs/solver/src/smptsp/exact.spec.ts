import { HighsSolver } from '../highs';
import { describeWithBenchmark, loadBenchmarkInstance } from '../../test/benchmark-set';
import { checkSmptspAssignment } from './check';
import { solveSmptspWithExact } from './exact';
import type { SmptspInstance } from './types';

describe('solveSmptspWithExact (HiGHS)', () => {
  let highs: HighsSolver;
  // Loaded before the clock starts: a solve's time limit includes loading HiGHS.
  beforeAll(async () => {
    highs = new HighsSolver();
    await highs.warmUp();
  });
  afterAll(() => highs.close());

  it('proves optimality above the clique bound on a small instance', async () => {
    // Three tasks one after another (clique bound 1), but nobody may do all three: optimum 2.
    const instance: SmptspInstance = {
      tasks: [
        { start: 0, end: 10 },
        { start: 10, end: 20 },
        { start: 20, end: 30 },
      ],
      qualifications: [
        [0, 1],
        [1, 2],
        [0, 2],
      ],
    };
    const result = await solveSmptspWithExact(instance, { timeLimitMs: 5_000, seed: 1 }, highs);
    expect(checkSmptspAssignment(instance, result.assignment)).toMatchObject({
      feasible: true,
      workersUsed: 2,
    });
    expect(result).toMatchObject({ workersUsed: 2, lowerBound: 2, provenOptimal: true });
    expect(result.exact).toMatchObject({ bound: 2, provedOptimal: true, mipSolves: 1 });
  });

  it('leaves an instance the search proves alone to the search', async () => {
    const instance: SmptspInstance = {
      tasks: [
        { start: 0, end: 10 },
        { start: 5, end: 15 },
      ],
      qualifications: [[0], [1], [0, 1]],
    };
    const result = await solveSmptspWithExact(instance, { timeLimitMs: 5_000 }, highs);
    expect(result).toMatchObject({ workersUsed: 2, provenOptimal: true });
    expect(result.exact.mipSolves).toBe(0);
  });
});

describeWithBenchmark('solveSmptspWithExact large-neighbourhood steps', () => {
  let highs: HighsSolver;
  // Loaded before the clock starts: a solve's time limit includes loading HiGHS.
  beforeAll(async () => {
    highs = new HighsSolver();
    await highs.warmUp();
  });
  afterAll(() => highs.close());

  it('saves workers over a greedy start by solving freed workers exactly', async () => {
    const instance = loadBenchmarkInstance('data_45_67_420_33');
    // One search iteration: the greedy schedule, which the LNS steps alone must improve.
    const result = await solveSmptspWithExact(
      instance,
      { timeLimitMs: 4_000, seed: 1, maxIterations: 1, lnsShare: 0.9 },
      highs,
    );
    const report = checkSmptspAssignment(instance, result.assignment);
    expect(report.violations).toEqual([]);
    expect(report.workersUsed).toBe(result.workersUsed);
    expect(result.exact.workersSaved).toBeGreaterThan(0);
    expect(result.exact.mipSolves).toBeGreaterThan(1);
  });
});
