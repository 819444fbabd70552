import {
  describeWithBenchmark,
  benchmarkInstancePath,
  loadBenchmarkInstance,
} from '../../test/benchmark-set';
import { checkSmptspAssignment } from './check';
import { solveSmptspFile } from './run-file';
import { solverBudgetMs } from './time-budget';

describeWithBenchmark('solveSmptspFile', () => {
  it('reads a .dat file and returns a checked assignment in file task order', () => {
    const name = 'data_6_48_80_66';
    const result = solveSmptspFile(benchmarkInstancePath(name), 1);
    const report = checkSmptspAssignment(loadBenchmarkInstance(name), result.assignment);
    expect(report.violations).toEqual([]);
    expect(result).toEqual({ workersUsed: report.workersUsed, assignment: expect.any(Array) as unknown });
  });

  it('gives the search less than the limit, leaving room for reading and printing', () => {
    // Wall-clock behaviour under the limit is measured by `npm run bench:solver` (time column),
    // not here: a loaded CI machine would make a timed assertion flaky.
    for (const seconds of [1, 10, 60]) {
      expect(solverBudgetMs(seconds)).toBeLessThan(seconds * 1000 * 0.96);
      expect(solverBudgetMs(seconds)).toBeGreaterThan(0);
    }
  });
});
