/**
 * Test support: access to the shared SMPTSP benchmark files (instances + bounds.csv), in
 * `../shared/benchmarks/smptsp` beside the repository (SMPTSP_BENCH_DIR overrides it). Specs
 * that need the data use `describeWithBenchmark`: without the data they fail with a message that
 * says where it was looked for, never skip silently.
 */
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join, resolve } from 'path';
import { parseSmptsp } from '../src/smptsp/parse';
import type { SmptspInstance } from '../src/smptsp/types';

/** libs/solver/test → the repository root is three levels up. */
const REPOSITORY_ROOT = resolve(__dirname, '..', '..', '..');

export const BENCH_DIR =
  process.env.SMPTSP_BENCH_DIR ?? resolve(REPOSITORY_ROOT, '..', 'shared', 'benchmarks', 'smptsp');

export const benchmarkAvailable = existsSync(join(BENCH_DIR, 'bounds.csv'));

/**
 * `describe` for specs on the benchmark data; if the data is missing, one failing test in its
 * place names the directory instead of the suite being skipped.
 */
export function describeWithBenchmark(name: string, body: () => void): void {
  if (benchmarkAvailable) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it('needs the SMPTSP benchmark data', () => {
      throw new Error(
        `SMPTSP benchmark data not found at ${BENCH_DIR}: install ../shared/benchmarks/smptsp beside ` +
          'the repository or set SMPTSP_BENCH_DIR',
      );
    });
  });
}

export interface BenchmarkBounds {
  readonly name: string;
  readonly tasks: number;
  readonly workers: number;
  readonly lowerBound: number;
  /** undefined where the SAT study reports no solution. */
  readonly sat2013?: number;
}

export function readBenchmarkBounds(): BenchmarkBounds[] {
  const [header, ...rows] = readFileSync(join(BENCH_DIR, 'bounds.csv'), 'utf8').trim().split(/\r?\n/);
  const columns = header.split(',');
  const col = (name: string): number => columns.indexOf(name);
  return rows.map((row) => {
    const cells = row.split(',');
    const sat = cells[col('upper_bound_sat2013')];
    return {
      name: cells[col('instance')],
      tasks: Number(cells[col('tasks')]),
      workers: Number(cells[col('workers')]),
      lowerBound: Number(cells[col('lower_bound')]),
      sat2013: sat ? Number(sat) : undefined,
    };
  });
}

export function benchmarkInstanceNames(): string[] {
  return readdirSync(join(BENCH_DIR, 'instances'))
    .filter((file) => file.endsWith('.dat'))
    .map((file) => file.replace(/\.dat$/, ''));
}

export function benchmarkInstancePath(name: string): string {
  return join(BENCH_DIR, 'instances', `${name}.dat`);
}

export function loadBenchmarkInstance(name: string): SmptspInstance {
  return parseSmptsp(readFileSync(benchmarkInstancePath(name), 'utf8'));
}
