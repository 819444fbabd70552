/**
 * Plumbing for bench/bookings.ts: the API as a child process, a keep-alive HTTP client, a
 * concurrency runner, CPU and memory probes from /proc, percentiles and plain-text tables.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';

/** The repository root (this file runs from dist/bench/). */
export const ROOT = path.resolve(__dirname, '../..');
const API_MAIN = path.join(ROOT, 'dist/apps/api/src/main.js');
/** The API process's V8 flags, as `npm run start:api` and docker/Dockerfile run it. */
export const API_NODE_FLAGS = ['--max-old-space-size=256', '--v8-pool-size=1'];
/**
 * API processes the benches start (ALLMENDE_API_PROCESSES; BENCH_API_PROCESSES sets it): one by
 * default. Two on this 2-core machine gave no better floor or create ratio (the processes and the
 * bench client share the same two cores) and a worse p99 at 100/s; see the README.
 */
export const API_PROCESSES =
  Number(process.env.BENCH_API_PROCESSES) > 0 ? Number(process.env.BENCH_API_PROCESSES) : 1;

/** A bench knob from the environment: a positive number, else `fallback`. */
export const env = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789abcdef';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpResponse {
  status: number;
  body: string;
}

/** A JSON client over one keep-alive agent (at most `sockets` connections), admin token set. */
export class ApiClient {
  private readonly agent: http.Agent;

  constructor(
    readonly port: number,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  request(method: string, pathAndQuery: string, body?: unknown): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path: `/api/v1${pathAndQuery}`,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${ADMIN_TOKEN}`,
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** POST that must answer 201; returns the created object's id. */
  async create(pathAndQuery: string, body: unknown): Promise<string> {
    const res = await this.request('POST', pathAndQuery, body);
    if (res.status !== 201)
      throw new Error(`POST ${pathAndQuery} → ${res.status}: ${res.body.slice(0, 500)}`);
    return (JSON.parse(res.body) as { id: string }).id;
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The API process

export interface ApiProcess {
  pid: number;
  port: number;
  output(): string;
  /** Throws with the process's last output when it has exited. */
  assertAlive(): void;
  stop(): Promise<void>;
}

export async function startApi(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<ApiProcess> {
  if (!fs.existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['NODE_OPTIONS', 'DATABASE_URL', 'PORT'].includes(k)),
  ) as Record<string, string>;
  const child: ChildProcess = spawn(
    process.execPath,
    [...API_NODE_FLAGS, ...nodeArgs, '--experimental-vm-modules', '-r', './register-paths.js', API_MAIN],
    {
      cwd: ROOT,
      env: {
        ...env,
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        ALLMENDE_ADMIN_TOKEN: ADMIN_TOKEN,
        // The bench is one client sending thousands of requests a minute: lift the per-token limit.
        ALLMENDE_RATE_LIMIT: '1000000',
        ALLMENDE_DEMO_DATA: 'false',
        ALLMENDE_API_PROCESSES: String(API_PROCESSES),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const until = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`the API exited during start-up:\n${out}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the API did not become healthy within 60 s:\n${out}`);
    }
    await sleep(200);
  }
  return {
    pid: child.pid!,
    port,
    output: () => out,
    assertAlive: () => {
      if (exited)
        throw new Error(`the API process exited unexpectedly; its last output:\n${out.slice(-5000)}`);
    },
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running jobs with a fixed number in flight

export interface RunResult {
  seconds: number;
  latenciesMs: number[];
  failures: { index: number; message: string }[];
}

/** Runs job(0..count-1) with `concurrency` in flight; a job that throws counts as a failure. */
export async function runConcurrent(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const failures: { index: number; message: string }[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t0 = process.hrtime.bigint();
      try {
        await job(i);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (e) {
        failures.push({ index: i, message: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latenciesMs, failures };
}

/**
 * An open-loop run: job(i) starts at i / rate seconds whatever the answers take (a slow answer does
 * not delay the next request), latency from each job's own start. `startedAt` holds each job's
 * start (ms on the performance clock), for lining slow ones up with other timelines.
 */
export async function runOpenLoop(
  count: number,
  rate: number,
  job: (index: number) => Promise<void>,
): Promise<RunResult & { startedAt: number[]; latencyOf: number[] }> {
  const latenciesMs: number[] = [];
  const latencyOf = new Array<number>(count).fill(NaN);
  const startedAt = new Array<number>(count).fill(NaN);
  const failures: { index: number; message: string }[] = [];
  const started = process.hrtime.bigint();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = Number(started) / 1e6 + (i * 1000) / rate;
    const wait = due - Number(process.hrtime.bigint()) / 1e6;
    if (wait > 0) await sleep(wait);
    const t0 = process.hrtime.bigint();
    startedAt[i] = performance.now();
    pending.push(
      job(i).then(
        () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          latenciesMs.push(ms);
          latencyOf[i] = ms;
        },
        (e: unknown) => {
          failures.push({ index: i, message: e instanceof Error ? e.message : String(e) });
        },
      ),
    );
  }
  await Promise.all(pending);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    latenciesMs,
    failures,
    startedAt,
    latencyOf,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

// ---------------------------------------------------------------------------------------------
// /proc probes

const CLOCK_TICKS = 100;

/** User + system CPU seconds of one process (0 when it is gone). */
function ownCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The process and its children: the API's processes when a supervisor forked them (ALLMENDE_API_PROCESSES). */
export function processTree(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return [pid, ...children];
}

/** CPU seconds of a process; with its children when it is the API's supervisor (they do the work). */
function processCpuSeconds(pid: number, withChildren = false): number {
  return (withChildren ? processTree(pid) : [pid]).reduce((sum, p) => sum + ownCpuSeconds(p), 0);
}

function machineCpuSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

export interface CpuSplit {
  /** Wall time the account ran. */
  seconds: number;
  /** In percent of one core over the wall time. */
  api: number;
  /** The bench database's backends and the server's own processes (not other databases' backends). */
  postgres: number;
  bench: number;
  /** Everything else on the machine (e.g. other people's test runs), percent of one core. */
  other: number;
  /** The whole machine, percent of all cores. */
  machine: number;
}

/** The server processes working for the database `db` is connected to, plus its auxiliary processes. */
async function postgresPids(db: Client): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE (datname = current_database() OR datname IS NULL) AND pid <> pg_backend_pid()`,
  );
  return rows.map((r) => r.pid);
}

/** Starts a CPU account; the returned function ends it. */
export async function cpuAccount(apiPid: number | null, db: Client): Promise<() => Promise<CpuSplit>> {
  const wall0 = process.hrtime.bigint();
  const api0 = apiPid === null ? 0 : processCpuSeconds(apiPid, true);
  const pg0 = new Map((await postgresPids(db)).map((pid) => [pid, processCpuSeconds(pid)]));
  const self0 = process.cpuUsage();
  const m0 = machineCpuSeconds();
  return async () => {
    const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
    const self = process.cpuUsage(self0);
    const m1 = machineCpuSeconds();
    const pids = new Set([...pg0.keys(), ...(await postgresPids(db))]);
    let pg = 0;
    for (const pid of pids) pg += Math.max(0, processCpuSeconds(pid) - (pg0.get(pid) ?? 0));
    const pct = (seconds: number) => (seconds / wall) * 100;
    const api = apiPid === null ? 0 : pct(processCpuSeconds(apiPid, true) - api0);
    const postgres = pct(pg);
    const bench = pct((self.user + self.system) / 1e6);
    const cores = os.cpus().length;
    const machine = ((m1.busy - m0.busy) / Math.max(1e-9, m1.total - m0.total)) * 100;
    return {
      seconds: wall,
      api,
      postgres,
      bench,
      other: Math.max(0, machine * cores - api - postgres - bench),
      machine,
    };
  };
}

/** Several accounts as one, weighted by their wall time. */
export function mergeSplits(splits: CpuSplit[]): CpuSplit {
  const seconds = splits.reduce((a, s) => a + s.seconds, 0);
  const avg = (k: keyof CpuSplit) =>
    splits.reduce((a, s) => a + s[k] * s.seconds, 0) / Math.max(1e-9, seconds);
  return {
    seconds,
    api: avg('api'),
    postgres: avg('postgres'),
    bench: avg('bench'),
    other: avg('other'),
    machine: avg('machine'),
  };
}

/** Several runs as one: their counts over their summed wall time. */
export function mergeRuns(runs: RunResult[]): RunResult {
  return {
    seconds: runs.reduce((a, r) => a + r.seconds, 0),
    latenciesMs: runs.flatMap((r) => r.latenciesMs),
    failures: runs.flatMap((r) => r.failures),
  };
}

/** How busy the machine is while the bench does nothing, percent of one core. */
export async function backgroundLoad(ms = 2000): Promise<number> {
  const m0 = machineCpuSeconds();
  await sleep(ms);
  const m1 = machineCpuSeconds();
  return ((m1.busy - m0.busy) / Math.max(1e-9, m1.total - m0.total)) * 100 * os.cpus().length;
}

function ownStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
}

/** The largest of a process and its children (each API process of a supervisor is one process). */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const values = processTree(pid).map((p) => {
    try {
      return ownStatusKb(p, field);
    } catch {
      return NaN;
    }
  });
  if (values.every((v) => Number.isNaN(v))) return ownStatusKb(pid, field);
  return Math.max(...values.filter((v) => !Number.isNaN(v)));
}

export interface RssReport {
  peakMb: number;
  hwmMb: number;
  /** Every sample, in MB, in order. */
  series: number[];
}

/** Samples a process's resident set every `everyMs`; stop() gives the samples, their peak and the kernel's high-water mark. */
export function rssSampler(pid: number, everyMs = 100): { stop(): RssReport } {
  const series: number[] = [];
  const sample = () => {
    try {
      // A process that has exited but not been reaped has no VmRSS line.
      const mb = statusKb(pid, 'VmRSS') / 1024;
      if (Number.isFinite(mb)) series.push(mb);
    } catch {
      // process gone
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      let hwmKb = NaN;
      try {
        hwmKb = statusKb(pid, 'VmHWM');
      } catch {
        // process gone
      }
      return { peakMb: Math.max(...series), hwmMb: hwmKb / 1024, series };
    },
  };
}

export function rssMb(pid: number): number {
  return statusKb(pid, 'VmRSS') / 1024;
}

// ---------------------------------------------------------------------------------------------
// Output

export function table(title: string, header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) =>
    rows.every((r) => /^[-+]?[\d.,]+( ?[a-zA-Z%/×]*)?$|^–$/.test(String(r[c]))),
  );
  const line = (r: string[]) =>
    '| ' + r.map((v, c) => (numeric[c] ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join(' | ') + ' |';
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [`\n${title}`, line(header), rule, ...cells.slice(1).map(line)].join('\n');
}

export const fixed = (v: number, digits = 1): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');
export const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

// ---------------------------------------------------------------------------------------------
// Results for the unified table (bench/all.ts): bench/results/<bench>.json

export interface BenchResultRow {
  size: string;
  metric: string;
  value: number;
  unit: string;
  target: string;
  ok: boolean;
}

/** Writes `{ bench, machine, rows }` to bench/results/<bench>.json (gitignored). */
export function writeResults(bench: string, rows: BenchResultRow[]): string {
  const cpus = os.cpus();
  const file = path.join(ROOT, 'bench/results', `${bench}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const machine = {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? '?',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  fs.writeFileSync(file, `${JSON.stringify({ bench, machine, rows }, null, 2)}\n`);
  return file;
}
