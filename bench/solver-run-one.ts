/**
 * Benchmark child process: solves one SMPTSP file like the CLI would (same time budget) and
 * prints one JSON line with the result, its independent check and this process's peak RSS.
 * A fresh process per instance keeps memory figures per instance and runs isolated.
 */
import { readFileSync } from 'fs';
import {
  checkSmptspAssignment,
  type ExactSmptspReport,
  HighsSolver,
  parseSmptsp,
  solveSmptspWithExact,
  solverBudgetMs,
} from '@allmende/solver';

export interface SolverRunReport {
  readonly workersUsed: number;
  readonly lowerBound: number;
  readonly feasible: boolean;
  readonly violations: string[];
  readonly provenOptimal: boolean;
  readonly iterations: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  /** What HiGHS contributed: its proven bound, proof of optimality, workers saved. */
  readonly exact: ExactSmptspReport;
}

async function main(): Promise<void> {
  const [path, limitArg, seedArg] = process.argv.slice(2);
  const startedAt = performance.now();
  const instance = parseSmptsp(readFileSync(path, 'utf8'));
  const highs = new HighsSolver();
  const result = await solveSmptspWithExact(
    instance,
    { timeLimitMs: solverBudgetMs(Number(limitArg)), seed: Number(seedArg ?? '1') },
    highs,
  );
  await highs.close();
  const check = checkSmptspAssignment(instance, result.assignment);
  const report: SolverRunReport = {
    workersUsed: result.workersUsed,
    lowerBound: result.lowerBound,
    feasible: result.feasible && check.feasible,
    violations: check.violations.slice(0, 5),
    provenOptimal: result.provenOptimal,
    iterations: result.iterations,
    seconds: (performance.now() - startedAt) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    exact: result.exact,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main();
