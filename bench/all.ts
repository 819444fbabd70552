/**
 * `npm run bench`: runs every bench (bookings, notifications, statements, planning, solver in its
 * short mode, scale), each as its own process printing its own tables, then prints ONE table of
 * all their figures from bench/results/*.json with the machine they ran on.
 *
 * BENCH_ONLY=scale,solver runs a subset; BENCH_TABLE_ONLY=1 prints the table from the results
 * already there without running anything. A bench that fails is reported and the others still run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixed, table } from './bookings-support';
import { BenchResults, machine, readResults, RESULTS_DIR } from './results-table';

const DIST = __dirname;
const ROOT = path.resolve(RESULTS_DIR, '../..');
const node = (script: string) => [
  process.execPath,
  ['--experimental-vm-modules', '-r', './register-paths.js', path.join(DIST, script)],
];

/** The benches in the order they run; each writes bench/results/<name>.json. */
const BENCHES: { name: string; command: [string, string[]]; env?: Record<string, string> }[] = [
  { name: 'bookings', command: node('bookings.js') as [string, string[]] },
  { name: 'notifications', command: node('notifications.js') as [string, string[]] },
  { name: 'statements', command: node('statements.js') as [string, string[]] },
  { name: 'planning', command: node('planning.js') as [string, string[]] },
  {
    name: 'solver',
    // The short mode: 2 s per instance instead of the CLI's 10 (BENCH_SOLVER_ARGS to change).
    command: [
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'bench/solver.ts',
        ...(process.env.BENCH_SOLVER_ARGS ?? '--time-limit 2').split(' ').filter(Boolean),
      ],
    ],
  },
  { name: 'scale', command: node('scale.js') as [string, string[]] },
];

function run(): { name: string; status: string; seconds: number }[] {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const ran: { name: string; status: string; seconds: number }[] = [];
  for (const b of BENCHES) {
    if (only && !only.includes(b.name)) continue;
    process.stdout.write(`\n=== bench ${b.name} ===\n`);
    const t0 = Date.now();
    const r = spawnSync(b.command[0], b.command[1], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...b.env },
    });
    ran.push({
      name: b.name,
      status: r.status === 0 ? 'ok' : `failed (exit ${r.status ?? r.signal})`,
      seconds: (Date.now() - t0) / 1000,
    });
  }
  return ran;
}

const SIZE_ORDER = (s: string) => {
  const m = /^([\d.]+)([kM]?)$/.exec(s);
  if (!m) return -1;
  return Number(m[1]) * (m[2] === 'M' ? 1e6 : m[2] === 'k' ? 1e3 : 1);
};

function value(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '–';
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  return `${fixed(v, digits)}${unit ? ` ${unit}` : ''}`;
}

function print(results: BenchResults[], ran: { name: string; status: string; seconds: number }[]): void {
  const m = machine();
  process.stdout.write(
    `\n\nallmende — all benchmark figures\nmachine: ${m.model}, ${m.cpus} cores, ${m.memGiB} GiB RAM, Node ${m.node}\n`,
  );
  const foreign = results.filter((r) => r.machine.model !== m.model || r.machine.cpus !== m.cpus);
  for (const r of foreign)
    process.stdout.write(
      `  note: ${r.bench} ran on ${r.machine.model}, ${r.machine.cpus} cores, ${r.machine.memGiB} GiB, Node ${r.machine.node}\n`,
    );
  const rows: (string | number)[][] = [];
  for (const r of results) {
    const sorted = [...r.rows].sort((a, b) => SIZE_ORDER(a.size) - SIZE_ORDER(b.size));
    for (const row of sorted)
      rows.push([
        r.bench,
        row.size,
        row.metric,
        value(row.value, row.unit),
        row.target,
        row.ok === null || row.ok === undefined ? '' : row.ok ? 'PASS' : 'FAIL',
      ]);
  }
  process.stdout.write(
    table(
      'All figures (bench/results/*.json)',
      ['bench', 'size', 'measure', 'value', 'target', 'verdict'],
      rows,
    ) + '\n',
  );
  const missing = BENCHES.filter((b) => !results.some((r) => r.bench === b.name)).map((b) => b.name);
  if (missing.length) process.stdout.write(`  no results from: ${missing.join(', ')}\n`);
  for (const r of ran) process.stdout.write(`  ${r.name}: ${r.status} in ${fixed(r.seconds, 0)} s\n`);
  const dated = results.filter((r) => r.at).map((r) => `${r.bench} ${r.at}`);
  if (dated.length) process.stdout.write(`  measured: ${dated.join('; ')}\n`);
}

function main(): void {
  const ran = process.env.BENCH_TABLE_ONLY ? [] : run();
  if (!fs.existsSync(RESULTS_DIR)) fs.mkdirSync(RESULTS_DIR, { recursive: true });
  print(readResults(), ran);
  process.exit(ran.some((r) => r.status !== 'ok') ? 1 : 0);
}

main();
