import { benchmarkAvailable, benchmarkInstancePath, loadBenchmarkInstance } from '../../test/benchmark-set';
import { checkSmptspAssignment } from './check';
import { solveSmptspFile } from './run-file';

/** The benchmark specs need the shared data set; skip them where it is not installed. */
const describeWithBenchmark = benchmarkAvailable ? describe : describe.skip;

describeWithBenchmark('solveSmptspFile', () => {
  it('reads a .dat file and returns a checked assignment in file task order', () => {
    const name = 'data_6_48_80_66';
    const result = solveSmptspFile(benchmarkInstancePath(name), 1);
    const report = checkSmptspAssignment(loadBenchmarkInstance(name), result.assignment);
    expect(report.violations).toEqual([]);
    expect(result).toEqual({ workersUsed: report.workersUsed, assignment: expect.any(Array) as unknown });
  });

  it('stays inside the time limit on an instance it cannot close in time', () => {
    const startedAt = Date.now();
    solveSmptspFile(benchmarkInstancePath('data_77_180_688_33'), 1);
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });
});
