/**
 * Benchmark child process: solves one SMPTSP instance like the CLI would (same time budget) and
 * prints one JSON line with the result, its independent check and this process's peak RSS.
 * A fresh process per instance keeps memory figures per instance and runs isolated.
 *
 *   solver-run-one.ts <file.dat | planted:name> <time limit s> [seed]
 *
 * `planted:name` is a member of the planted family (generated here, deterministically).
 */
import { readFileSync } from 'fs';
import {
  checkSmptspAssignment,
  type ExactSmptspReport,
  generatePlantedInstance,
  HighsSolver,
  parseSmptsp,
  plantedBenchmarkFamily,
  type SmptspInstance,
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

export const PLANTED_PREFIX = 'planted:';

function loadInstance(source: string): SmptspInstance {
  if (!source.startsWith(PLANTED_PREFIX)) return parseSmptsp(readFileSync(source, 'utf8'));
  const name = source.slice(PLANTED_PREFIX.length);
  const member = plantedBenchmarkFamily().find((m) => m.name === name);
  if (!member) throw new Error(`no planted instance ${name}`);
  return generatePlantedInstance(member.parameters).instance;
}

async function main(): Promise<void> {
  const [source, limitArg, seedArg] = process.argv.slice(2);
  const startedAt = performance.now();
  const instance = loadInstance(source);
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

if (require.main === module) void main();
