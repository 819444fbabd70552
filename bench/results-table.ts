import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The bench results interface: each bench writes its figures to bench/results/<bench>.json
 * (gitignored) besides printing its own tables; `npm run bench` (bench/all.ts) prints them as one.
 */
export interface Machine {
  cpus: number;
  model: string;
  memGiB: number;
  node: string;
}

export interface ResultRow {
  size: string;
  metric: string;
  value: number;
  unit: string;
  target: string;
  ok: boolean | null;
}

export interface BenchResults {
  bench: string;
  machine: Machine;
  at?: string;
  rows: ResultRow[];
}

/** bench/results of the checkout, whether this runs compiled (dist/bench) or from source. */
function resultsDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'bench', 'results');
}

export const RESULTS_DIR = resultsDir();

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? '?',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

export function writeResults(bench: string, rows: ResultRow[]): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${bench}.json`);
  const body: BenchResults = { bench, machine: machine(), at: new Date().toISOString(), rows };
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

export function readResults(): BenchResults[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as BenchResults);
}

/** 10000 → "10k", 1000000 → "1M". */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}
