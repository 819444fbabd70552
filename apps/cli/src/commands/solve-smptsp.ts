import { HighsSolver, solveSmptspFileWithExact } from '@allmende/solver';

/** Thrown for bad arguments; the CLI prints its message as one line and exits 1. */
export class SolveUsageError extends Error {
  override name = 'SolveUsageError';
}

/**
 * Solves one SMPTSP instance (shared/benchmarks/smptsp format): the local search, with HiGHS in a
 * worker thread for bounds and exact subproblems. With --json, stdout carries only
 * `{"workersUsed": n, "assignment": [...]}`: the 0-based worker of each task in file order.
 */
export async function solveSmptsp(
  file: string,
  options: { timeLimit: string; seed: string; json?: boolean },
): Promise<void> {
  const timeLimit = Number(options.timeLimit);
  if (!Number.isFinite(timeLimit) || timeLimit <= 0) {
    throw new SolveUsageError(
      `--time-limit must be a positive number of seconds (got "${options.timeLimit}")`,
    );
  }
  const seed = Number(options.seed);
  if (!Number.isInteger(seed))
    throw new SolveUsageError(`--seed must be a whole number (got "${options.seed}")`);
  let result: { workersUsed: number; assignment: number[] };
  const highs = new HighsSolver();
  try {
    result = await solveSmptspFileWithExact(file, timeLimit, highs, seed);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new SolveUsageError(`${file}: no such file`);
    throw new SolveUsageError(`${file}: ${err.message}`);
  } finally {
    await highs.close();
  }
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ workersUsed: result.workersUsed, assignment: result.assignment })}\n`,
    );
  } else {
    process.stdout.write(`${file}: ${result.workersUsed} workers\n`);
  }
}
