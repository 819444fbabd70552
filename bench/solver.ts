/**
 * SMPTSP benchmark over the shared instance set.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/solver.ts [filter] [--time-limit 10] [--jobs 2]
 *        [--seed 1] [--json out.json]
 *
 * `filter` is a substring of the instance name. Each instance runs in its own child process
 * (one core each, `--jobs` at a time) with the same time budget as the CLI.
 */
import { execFile } from 'child_process';
import { readFileSync, readdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import type { SolverRunReport } from './solver-run-one';

const BENCH_DIR = '/work/shared/benchmarks/smptsp';

interface BenchArgs {
  filter: string;
  timeLimit: number;
  jobs: number;
  seed: number;
  json?: string;
}

interface InstanceBounds {
  tasks: number;
  workers: number;
  lowerBound: number;
  /** NaN where the SAT study reports no solution. */
  sat2013: number;
}

interface Row extends InstanceBounds {
  name: string;
  report?: SolverRunReport;
  error?: string;
  wallSeconds: number;
}

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { filter: '', timeLimit: 10, jobs: 2, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--time-limit') args.timeLimit = Number(value());
    else if (arg === '--jobs') args.jobs = Number(value());
    else if (arg === '--seed') args.seed = Number(value());
    else if (arg === '--json') args.json = value();
    else args.filter = arg;
  }
  return args;
}

function readBounds(): Map<string, InstanceBounds> {
  const lines = readFileSync(join(BENCH_DIR, 'bounds.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const col = (name: string): number => header.indexOf(name);
  const bounds = new Map<string, InstanceBounds>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    bounds.set(cells[col('instance')], {
      tasks: Number(cells[col('tasks')]),
      workers: Number(cells[col('workers')]),
      lowerBound: Number(cells[col('lower_bound')]),
      sat2013: cells[col('upper_bound_sat2013')] ? Number(cells[col('upper_bound_sat2013')]) : NaN,
    });
  }
  return bounds;
}

function instanceNumber(name: string): number {
  return Number(/^data_(\d+)_/.exec(name)?.[1] ?? 0);
}

function runChild(path: string, args: BenchArgs): Promise<{ report?: SolverRunReport; error?: string }> {
  const child = resolve(__dirname, 'solver-run-one.ts');
  const nodeArgs = [
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    child,
    path,
    String(args.timeLimit),
    String(args.seed),
  ];
  return new Promise((done) => {
    execFile(process.execPath, nodeArgs, { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) done({ error: `${error.message} ${stderr}`.trim() });
      else done({ report: JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as SolverRunReport });
    });
  });
}

function gapPercent(row: Row): number {
  return row.report ? (100 * (row.report.workersUsed - row.lowerBound)) / row.lowerBound : NaN;
}

function formatRow(row: Row): string {
  const r = row.report;
  const cells = [
    row.name.padEnd(24),
    String(row.tasks).padStart(5),
    String(row.workers).padStart(4),
    String(row.lowerBound).padStart(4),
    (Number.isNaN(row.sat2013) ? '-' : String(row.sat2013)).padStart(4),
    (r ? String(r.workersUsed) + (r.feasible ? '' : '!') : 'ERR').padStart(5),
    (r ? gapPercent(row).toFixed(2) : '-').padStart(6),
    (r ? r.seconds.toFixed(1) : '-').padStart(5),
    (r ? (r.provenOptimal ? 'yes' : 'no') : '-').padStart(4),
    (r ? r.peakRssMb.toFixed(0) : '-').padStart(5),
    (r?.exact.bound ?? '-').toString().padStart(5),
    (r ? exactNote(r) : '-').padStart(7),
  ];
  return cells.join(' ') + (row.error ? `  ${row.error}` : '');
}

/** HiGHS's part in a row: proved optimal, saved workers, or only ran (solves), or nothing. */
function exactNote(r: SolverRunReport): string {
  if (r.exact.provedOptimal) return 'proved';
  if (r.exact.workersSaved > 0) return `-${r.exact.workersSaved}`;
  return r.exact.mipSolves > 0 ? `${r.exact.mipSolves}mip` : '';
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const bounds = readBounds();
  const names = readdirSync(join(BENCH_DIR, 'instances'))
    .filter((f) => f.endsWith('.dat'))
    .map((f) => f.replace(/\.dat$/, ''))
    .filter((n) => n.includes(args.filter))
    .sort((a, b) => instanceNumber(a) - instanceNumber(b));

  console.log(`${'instance'.padEnd(24)} tasks work   lb  sat found  gap%  time  opt? rssMB hiGHS  exact`);
  const startedAt = Date.now();
  const rows: Row[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++];
      const b = bounds.get(name);
      if (!b) throw new Error(`no bounds for ${name}`);
      const t0 = Date.now();
      const outcome = await runChild(join(BENCH_DIR, 'instances', `${name}.dat`), args);
      const row: Row = { name, ...b, ...outcome, wallSeconds: (Date.now() - t0) / 1000 };
      rows.push(row);
      console.log(formatRow(row));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.jobs) }, () => worker()));

  const solved = rows.filter((r) => r.report);
  const feasible = solved.filter((r) => r.report?.feasible).length;
  const atLb = solved.filter((r) => r.report?.feasible && r.report.workersUsed === r.lowerBound).length;
  const meanGap = solved.reduce((s, r) => s + gapPercent(r), 0) / Math.max(1, solved.length);
  const worse = solved.filter((r) => (r.report?.workersUsed ?? 0) > r.sat2013).length;
  const better = solved.filter((r) => (r.report?.workersUsed ?? Infinity) < r.sat2013).length;
  const peakRss = Math.max(0, ...solved.map((r) => r.report?.peakRssMb ?? 0));
  const maxSeconds = Math.max(0, ...solved.map((r) => r.report?.seconds ?? 0));
  const withMip = solved.filter((r) => (r.report?.exact.mipSolves ?? 0) > 0);
  const proven = solved.filter((r) => r.report?.feasible && r.report.provenOptimal).length;
  const provedByMip = solved.filter((r) => r.report?.exact.provedOptimal).length;
  const savedByMip = solved.filter((r) => (r.report?.exact.workersSaved ?? 0) > 0).length;
  const raisedBound = solved.filter((r) => (r.report?.exact.bound ?? 0) > r.lowerBound).length;
  console.log('');
  console.log(`instances:            ${rows.length} (${rows.length - solved.length} errors)`);
  console.log(`feasible:             ${feasible}/${rows.length}`);
  console.log(`at lower bound:       ${atLb}/${rows.length}`);
  console.log(`mean gap over LB:     ${meanGap.toFixed(3)}%`);
  console.log(`worse than sat2013:   ${worse}   (better: ${better})`);
  console.log(`proven optimal:       ${proven}/${rows.length} (by HiGHS: ${provedByMip})`);
  console.log(
    `HiGHS:                ran on ${withMip.length}, raised the bound on ${raisedBound}, saved workers on ${savedByMip}`,
  );
  console.log(`max time / instance:  ${maxSeconds.toFixed(2)} s (limit ${args.timeLimit} s)`);
  console.log(`total wall time:      ${((Date.now() - startedAt) / 1000).toFixed(1)} s (${args.jobs} jobs)`);
  console.log(`peak RSS / instance:  ${peakRss.toFixed(0)} MB`);
  if (args.json) writeFileSync(args.json, JSON.stringify(rows, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
