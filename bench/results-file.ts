/**
 * Writes a bench's figures as `bench/results/<bench>.json` for the unified `npm run bench` table:
 * `{ bench, machine: { cpus, model, memGiB, node }, rows: [{ size, metric, value, unit, target, ok }] }`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './bookings-support';

export interface BenchRow {
  size: string;
  metric: string;
  value: number;
  unit: string;
  /** The target in words ("≤ 5 s"), or "" for a figure without one. */
  target: string;
  /** Whether the target is met; true for a figure without one. */
  ok: boolean;
}

/** `root`: the repository (default for benches run from dist/bench; ts-node ones pass theirs). */
export function writeBenchResults(bench: string, rows: BenchRow[], root: string = ROOT): string {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bench}.json`);
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
  };
  writeFileSync(file, `${JSON.stringify({ bench, machine, rows }, null, 2)}\n`);
  return file;
}
