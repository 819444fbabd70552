import { readFileSync } from 'fs';
import type { MipSolver } from '../mip';
import { solveSmptspWithExact } from './exact';
import { parseSmptsp } from './parse';
import { solveSmptsp } from './solve';
import { solverBudgetMs } from './time-budget';

/**
 * I/O edge for the CLI: reads a .dat file and solves it so that the whole process finishes
 * within `timeLimitSeconds` (the solver gets the limit minus a safety margin).
 */
export function solveSmptspFile(
  path: string,
  timeLimitSeconds: number,
  seed = 1,
): { workersUsed: number; assignment: number[] } {
  const instance = parseSmptsp(readFileSync(path, 'utf8'));
  const result = solveSmptsp(instance, { timeLimitMs: solverBudgetMs(timeLimitSeconds), seed });
  return { workersUsed: result.workersUsed, assignment: result.assignment };
}

/** As `solveSmptspFile`, with HiGHS (or another MipSolver) for bounds and exact subproblems. */
export async function solveSmptspFileWithExact(
  path: string,
  timeLimitSeconds: number,
  exact: MipSolver,
  seed = 1,
): Promise<{ workersUsed: number; assignment: number[] }> {
  const instance = parseSmptsp(readFileSync(path, 'utf8'));
  const result = await solveSmptspWithExact(
    instance,
    { timeLimitMs: solverBudgetMs(timeLimitSeconds), seed },
    exact,
  );
  return { workersUsed: result.workersUsed, assignment: result.assignment };
}
