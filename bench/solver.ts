/**
 * SMPTSP benchmark: the public instance set and the planted family (instances with a known
 * optimum built differently, see libs/solver/src/smptsp/planted.ts), one table each.
 *
 *   npm run bench:solver -- [filter] [--set public|planted|both] [--time-limit 10] [--jobs 2]
 *                           [--seed 1] [--json out.json]
 *
 * `filter` is a substring of the instance name. Each instance runs in its own child process
 * (one core each, `--jobs` at a time) with the same time budget as the CLI. The public set is
 * read from `../shared/benchmarks/smptsp` beside the repository (SMPTSP_BENCH_DIR overrides it);
 * if it is missing the run fails.
 */
import { execFile } from 'child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { generatePlantedInstance, plantedBenchmarkFamily } from '@allmende/solver';
import { type BenchRow, writeBenchResults } from './results-file';
import { PLANTED_PREFIX, type SolverRunReport } from './solver-run-one';

type SetChoice = 'public' | 'planted' | 'both';

interface BenchArgs {
  filter: string;
  set: SetChoice;
  timeLimit: number;
  jobs: number;
  seed: number;
  json?: string;
}

interface BenchInstance {
  name: string;
  /** A .dat path or `planted:<name>`. */
  source: string;
  tasks: number;
  workers: number;
  /** Max-overlap lower bound; for planted instances also the optimum. */
  lowerBound: number;
  /** Public set: best of the SAT study (NaN where none). Planted: the planted optimum. */
  reference: number;
}

interface Row extends BenchInstance {
  report?: SolverRunReport;
  error?: string;
}

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { filter: '', set: 'both', timeLimit: 10, jobs: 2, seed: 1 };
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
    else if (arg === '--set') {
      const set = value();
      if (set !== 'public' && set !== 'planted' && set !== 'both')
        throw new Error(`--set ${set}: public, planted or both`);
      args.set = set;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else args.filter = arg;
  }
  if (!(args.timeLimit > 0)) throw new Error('--time-limit must be a positive number of seconds');
  return args;
}

/** The repository root: the nearest directory above this file with a package.json. */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

function publicSetDir(): string {
  const dir =
    process.env.SMPTSP_BENCH_DIR ?? resolve(repositoryRoot(), '..', 'shared', 'benchmarks', 'smptsp');
  if (!existsSync(join(dir, 'bounds.csv')) || !existsSync(join(dir, 'instances'))) {
    throw new Error(
      `SMPTSP public set not found at ${dir} (expected bounds.csv and instances/): install ` +
        '../shared/benchmarks/smptsp beside the repository or set SMPTSP_BENCH_DIR',
    );
  }
  return dir;
}

function publicInstances(filter: string): BenchInstance[] {
  const dir = publicSetDir();
  const lines = readFileSync(join(dir, 'bounds.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const col = (name: string): number => header.indexOf(name);
  const bounds = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    bounds.set(cells[col('instance')], cells);
  }
  const number = (name: string): number => Number(/^data_(\d+)_/.exec(name)?.[1] ?? 0);
  const files = readdirSync(join(dir, 'instances')).filter((f) => f.endsWith('.dat'));
  const missing = [...bounds.keys()].filter((name) => !files.includes(`${name}.dat`));
  if (files.length === 0 || missing.length > 0)
    throw new Error(
      `SMPTSP public set at ${dir}: instances/ lacks ${files.length === 0 ? 'every instance' : missing.join(', ')} of bounds.csv`,
    );
  return files
    .map((f) => f.replace(/\.dat$/, ''))
    .filter((n) => n.includes(filter))
    .sort((a, b) => number(a) - number(b))
    .map((name) => {
      const cells = bounds.get(name);
      if (!cells) throw new Error(`${dir}/bounds.csv has no line for ${name}`);
      const sat = cells[col('upper_bound_sat2013')];
      return {
        name,
        source: join(dir, 'instances', `${name}.dat`),
        tasks: Number(cells[col('tasks')]),
        workers: Number(cells[col('workers')]),
        lowerBound: Number(cells[col('lower_bound')]),
        reference: sat ? Number(sat) : NaN,
      };
    });
}

function plantedInstances(filter: string): BenchInstance[] {
  return plantedBenchmarkFamily()
    .filter((m) => m.name.includes(filter))
    .map((m) => {
      const planted = generatePlantedInstance(m.parameters);
      return {
        name: m.name,
        source: `${PLANTED_PREFIX}${m.name}`,
        tasks: planted.instance.tasks.length,
        workers: planted.instance.qualifications.length,
        lowerBound: planted.optimum,
        reference: planted.optimum,
      };
    });
}

function runChild(source: string, args: BenchArgs): Promise<{ report?: SolverRunReport; error?: string }> {
  const child = resolve(__dirname, 'solver-run-one.ts');
  const nodeArgs = [
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    child,
    source,
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

/** HiGHS's part in a row: proved optimal, saved workers, or only ran (solves), or nothing. */
function exactNote(r: SolverRunReport): string {
  if (r.exact.provedOptimal) return 'proved';
  if (r.exact.workersSaved > 0) return `-${r.exact.workersSaved}`;
  return r.exact.mipSolves > 0 ? `${r.exact.mipSolves}mip` : '';
}

function header(referenceLabel: string): string {
  return `${'instance'.padEnd(26)} tasks work   lb ${referenceLabel.padStart(4)} found  gap%  time  opt? rssMB  HiGHS`;
}

function formatRow(row: Row): string {
  const r = row.report;
  const cells = [
    row.name.padEnd(26),
    String(row.tasks).padStart(5),
    String(row.workers).padStart(4),
    String(row.lowerBound).padStart(4),
    (Number.isNaN(row.reference) ? '-' : String(row.reference)).padStart(4),
    (r ? String(r.workersUsed) + (r.feasible ? '' : '!') : 'ERR').padStart(5),
    (r ? gapPercent(row).toFixed(2) : '-').padStart(5),
    (r ? r.seconds.toFixed(1) : '-').padStart(5),
    (r ? (r.provenOptimal ? 'yes' : 'no') : '-').padStart(4),
    (r ? r.peakRssMb.toFixed(0) : '-').padStart(5),
    (r ? exactNote(r) : '-').padStart(6),
  ];
  return cells.join(' ') + (row.error ? `  ${row.error}` : '');
}

async function runTable(
  title: string,
  referenceLabel: string,
  instances: BenchInstance[],
  args: BenchArgs,
): Promise<Row[]> {
  console.log(`\n## ${title}\n`);
  console.log(header(referenceLabel));
  const rows: Row[] = [];
  const startedAt = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < instances.length) {
      const instance = instances[next++];
      const row: Row = { ...instance, ...(await runChild(instance.source, args)) };
      rows.push(row);
      console.log(formatRow(row));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.jobs) }, () => worker()));
  summarise(rows, args, (Date.now() - startedAt) / 1000);
  return rows;
}

/** Targets of issue #12 (10 s per instance): the public set and the planted family. */
const TARGETS = {
  public: { atBound: 133, of: 137, meanGap: 0.05 },
  planted: { meanGap: 1, optimalShare: 0.5 },
} as const;

/** A table's figures as rows of bench/results/solver.json, with the targets of issue #12. */
function resultRows(set: 'public' | 'planted', rows: Row[], args: BenchArgs): BenchRow[] {
  const solved = rows.filter((r) => r.report);
  const atLb = solved.filter((r) => r.report?.feasible && r.report.workersUsed === r.lowerBound).length;
  const meanGap = solved.map(gapPercent).reduce((s, g) => s + g, 0) / Math.max(1, solved.length);
  const maxSeconds = Math.max(0, ...solved.map((r) => r.report?.seconds ?? 0));
  const errors = rows.length - solved.length;
  const full = set === 'public' ? rows.length === TARGETS.public.of : true;
  const size = `${rows.length} instances`;
  const atLbTarget =
    set === 'public'
      ? {
          text: `≥ ${TARGETS.public.atBound}/${TARGETS.public.of}`,
          ok: full && atLb >= TARGETS.public.atBound,
        }
      : { text: '≥ half', ok: atLb >= rows.length * TARGETS.planted.optimalShare };
  const gapTarget = set === 'public' ? TARGETS.public.meanGap : TARGETS.planted.meanGap;
  return [
    {
      size,
      metric: `${set}: at the lower bound`,
      value: atLb,
      unit: 'instances',
      target: atLbTarget.text,
      ok: atLbTarget.ok && errors === 0,
    },
    {
      size,
      metric: `${set}: mean gap over the lower bound`,
      value: meanGap,
      unit: '%',
      target: `≤ ${gapTarget} %`,
      ok: meanGap <= gapTarget && errors === 0,
    },
    {
      size,
      metric: `${set}: max time per instance`,
      value: maxSeconds,
      unit: 's',
      target: `≤ ${args.timeLimit} s`,
      ok: maxSeconds <= args.timeLimit,
    },
  ];
}

function summarise(rows: Row[], args: BenchArgs, wallSeconds: number): void {
  const solved = rows.filter((r) => r.report);
  const feasible = solved.filter((r) => r.report?.feasible).length;
  const atLb = solved.filter((r) => r.report?.feasible && r.report.workersUsed === r.lowerBound).length;
  const gaps = solved.map(gapPercent);
  const meanGap = gaps.reduce((s, g) => s + g, 0) / Math.max(1, gaps.length);
  const worst = solved.reduce<Row | undefined>(
    (w, r) => (!w || gapPercent(r) > gapPercent(w) ? r : w),
    undefined,
  );
  const worse = solved.filter((r) => (r.report?.workersUsed ?? 0) > r.reference).length;
  const peakRss = Math.max(0, ...solved.map((r) => r.report?.peakRssMb ?? 0));
  const maxSeconds = Math.max(0, ...solved.map((r) => r.report?.seconds ?? 0));
  const withMip = solved.filter((r) => (r.report?.exact.mipSolves ?? 0) > 0).length;
  const provedByMip = solved.filter((r) => r.report?.exact.provedOptimal).length;
  const savedByMip = solved.filter((r) => (r.report?.exact.workersSaved ?? 0) > 0).length;
  console.log('');
  console.log(`instances:            ${rows.length} (${rows.length - solved.length} errors)`);
  console.log(`feasible:             ${feasible}/${rows.length}`);
  console.log(`at lower bound:       ${atLb}/${rows.length}`);
  console.log(`mean gap over LB:     ${meanGap.toFixed(3)}%`);
  console.log(`worst gap:            ${worst ? `${gapPercent(worst).toFixed(2)}% (${worst.name})` : '-'}`);
  console.log(`above the reference:  ${worse}`);
  console.log(
    `HiGHS:                ran on ${withMip}, proved ${provedByMip}, saved workers on ${savedByMip}`,
  );
  console.log(`max time / instance:  ${maxSeconds.toFixed(2)} s (limit ${args.timeLimit} s)`);
  console.log(`total wall time:      ${wallSeconds.toFixed(1)} s (${args.jobs} jobs)`);
  console.log(`peak RSS / instance:  ${peakRss.toFixed(0)} MB`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const all: Row[] = [];
  const results: BenchRow[] = [];
  if (args.set !== 'planted') {
    const instances = publicInstances(args.filter);
    const rows = await runTable('SMPTSP public set (reference: SAT 2013)', 'sat', instances, args);
    all.push(...rows);
    results.push(...resultRows('public', rows, args));
  }
  if (args.set !== 'public') {
    const instances = plantedInstances(args.filter);
    const rows = await runTable('SMPTSP planted family (reference: planted optimum)', 'opt', instances, args);
    all.push(...rows);
    results.push(...resultRows('planted', rows, args));
  }
  if (args.json) writeFileSync(args.json, JSON.stringify(all, null, 2));
  // Only a full run stands for the bench in the table over all benches.
  if (!args.filter && args.set === 'both' && args.timeLimit === 10) {
    console.log(`\nfigures: ${writeBenchResults('solver', results, repositoryRoot())}`);
  }
  if (all.some((r) => r.error)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
