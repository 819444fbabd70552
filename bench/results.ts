/**
 * The figures of one bench as JSON in `bench/results/<bench>.json` (gitignored), for the table
 * over all benches: the machine it ran on and one row per figure with its target and verdict.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface BenchResultRow {
  readonly size: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly ok: boolean;
}

export interface BenchMachine {
  readonly cpus: number;
  readonly model: string;
  readonly memGiB: number;
  readonly node: string;
  /** One-minute load average when the bench ended: a shared machine's other work shows here. */
  readonly loadAverage: number;
}

export function benchMachine(): BenchMachine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

/** Writes `<root>/bench/results/<bench>.json` and returns its path. */
export function writeBenchResults(root: string, bench: string, rows: readonly BenchResultRow[]): string {
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bench}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ bench, machine: benchMachine(), rows }, null, 2)}\n`);
  return file;
}
