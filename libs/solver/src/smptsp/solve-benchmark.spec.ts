import {
  describeWithBenchmark,
  type BenchmarkBounds,
  loadBenchmarkInstance,
  readBenchmarkBounds,
} from '../../test/benchmark-set';
import { checkSmptspAssignment } from './check';
import { solveSmptsp } from './solve';

/**
 * A representative slice of the benchmark (small to medium, both multi-skilling levels), with a
 * short time limit: every answer must pass the independent checker and lie between the lower
 * bound and the SAT-2013 upper bound. The full 137-instance run is `npm run bench:solver`.
 */
const SAMPLE = [
  'data_1_23_40_66',
  'data_2_24_40_33',
  'data_9_49_104_33',
  'data_17_23_139_66',
  'data_29_22_219_66',
  'data_37_145_321_33',
  'data_48_120_434_66',
  'data_62_101_571_33',
  'data_59_70_525_33',
  'data_98_91_896_33',
];
const TIME_LIMIT_MS = 1500;

describeWithBenchmark('solveSmptsp on benchmark instances', () => {
  let bounds: Map<string, BenchmarkBounds>;
  beforeAll(() => {
    bounds = new Map(readBenchmarkBounds().map((b) => [b.name, b]));
  });

  it.each(SAMPLE)('%s: feasible, within [lower bound, SAT-2013 bound]', (name) => {
    const instance = loadBenchmarkInstance(name);
    const bound = bounds.get(name);
    if (!bound) throw new Error(`no bounds for ${name}`);
    const result = solveSmptsp(instance, { timeLimitMs: TIME_LIMIT_MS, seed: 1 });
    const report = checkSmptspAssignment(instance, result.assignment);
    expect(report.violations).toEqual([]);
    expect(report.workersUsed).toBe(result.workersUsed);
    expect(result.lowerBound).toBe(bound.lowerBound);
    expect(result.workersUsed).toBeGreaterThanOrEqual(bound.lowerBound);
    expect(result.workersUsed).toBeLessThanOrEqual(bound.sat2013 ?? Number.POSITIVE_INFINITY);
    expect(result.provenOptimal).toBe(result.workersUsed === bound.lowerBound);
  });
});
