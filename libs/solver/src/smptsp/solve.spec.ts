import fc from 'fast-check';
import { feasibleInstanceArbitrary } from '../../test/random-instance';
import { describeWithBenchmark, loadBenchmarkInstance } from '../../test/benchmark-set';
import { checkSmptspAssignment } from './check';
import { maxConcurrentTasks } from './lower-bound';
import { solveSmptsp } from './solve';
import type { SmptspInstance } from './types';

describe('solveSmptsp', () => {
  it('solves a tiny instance to the lower bound and says so', () => {
    const instance: SmptspInstance = {
      tasks: [
        { start: 0, end: 10 },
        { start: 5, end: 15 },
        { start: 10, end: 20 },
      ],
      qualifications: [[0], [1, 2], [0, 1, 2], [2]],
    };
    const result = solveSmptsp(instance, { timeLimitMs: 1000, seed: 1 });
    expect(result).toMatchObject({ feasible: true, workersUsed: 2, lowerBound: 2, provenOptimal: true });
    expect(checkSmptspAssignment(instance, result.assignment)).toMatchObject({
      feasible: true,
      workersUsed: 2,
    });
  });

  it('handles an instance without tasks', () => {
    const result = solveSmptsp({ tasks: [], qualifications: [[]] }, { timeLimitMs: 100 });
    expect(result).toMatchObject({ feasible: true, workersUsed: 0, assignment: [], provenOptimal: true });
  });

  it('reports infeasibility when a task has no qualified worker', () => {
    const instance: SmptspInstance = { tasks: [{ start: 0, end: 1 }], qualifications: [[]] };
    const result = solveSmptsp(instance, { timeLimitMs: 100 });
    expect(result.feasible).toBe(false);
  });

  it('reports infeasibility when overlapping tasks outnumber their qualified workers', () => {
    const instance: SmptspInstance = {
      tasks: [
        { start: 0, end: 10 },
        { start: 0, end: 10 },
      ],
      qualifications: [[0, 1]],
    };
    const result = solveSmptsp(instance, { timeLimitMs: 50, maxIterations: 10000 });
    expect(result.feasible).toBe(false);
  });

  it('returns feasible schedules no better than the lower bound on random feasible instances', () => {
    fc.assert(
      fc.property(feasibleInstanceArbitrary, fc.integer({ min: 1, max: 1000 }), (instance, seed) => {
        const result = solveSmptsp(instance, { timeLimitMs: 2000, seed, maxIterations: 5000 });
        const report = checkSmptspAssignment(instance, result.assignment);
        expect(result.feasible).toBe(true);
        expect(report.violations).toEqual([]);
        expect(report.workersUsed).toBe(result.workersUsed);
        expect(result.workersUsed).toBeGreaterThanOrEqual(maxConcurrentTasks(instance));
        // The hidden schedule uses at most one worker per chain.
        expect(result.workersUsed).toBeLessThanOrEqual(instance.qualifications.length);
      }),
      { numRuns: 60 },
    );
  });
});

describeWithBenchmark('solveSmptsp determinism', () => {
  // Capped by iterations, not time, so the outcome must not depend on machine speed.
  let instance: SmptspInstance;
  beforeAll(() => {
    instance = loadBenchmarkInstance('data_45_67_420_33');
  });
  const run = (seed: number): ReturnType<typeof solveSmptsp> =>
    solveSmptsp(instance, { timeLimitMs: 60_000, seed, maxIterations: 30_000 });

  it('gives the same assignment for the same seed', () => {
    const first = run(7);
    const second = run(7);
    expect(second.assignment).toEqual(first.assignment);
    expect(second.iterations).toBe(first.iterations);
    expect(checkSmptspAssignment(instance, first.assignment).feasible).toBe(true);
  });

  it('follows a different trajectory for a different seed', () => {
    expect(run(8).assignment).not.toEqual(run(7).assignment);
  });
});
