/**
 * Test support: access to the shared SMPTSP benchmark files (instances + bounds.csv).
 * The directory can be overridden with SMPTSP_BENCH_DIR; specs that need it are skipped when it
 * is missing (e.g. on a machine without the shared data).
 */
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { parseSmptsp } from '../src/smptsp/parse';
import type { SmptspInstance } from '../src/smptsp/types';

export const BENCH_DIR = process.env.SMPTSP_BENCH_DIR ?? '/work/shared/benchmarks/smptsp';

export const benchmarkAvailable = existsSync(join(BENCH_DIR, 'bounds.csv'));

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
