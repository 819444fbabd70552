import { readFileSync } from 'fs';
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
