/**
 * `npm run bench:steady`: create latency at a steady rate, for comparing the API's Node/V8 flags.
 * Each variant (extra node flags after the API's own, API_NODE_FLAGS) gets a fresh database and
 * API process, a region seeded through the API, warm-up creates with 16 in flight, then creates at
 * BENCH_STEADY_RATE per second, open loop, for BENCH_STEADY_SECONDS. Variants run interleaved for
 * BENCH_STEADY_ROUNDS rounds, so machine drift hits them alike. With BENCH_STEADY_TRACE_GC=1 the API
 * runs with --trace-gc and each slow create (> 20 ms) is printed beside the API's collections on
 * one clock.
 *
 * Knobs: BENCH_STEADY_VARIANTS (variants separated by `;`, flags by spaces; an empty variant is
 * the API as shipped; default `;--v8-pool-size=4`, i.e. as shipped against Node's default thread
 * pool), BENCH_STEADY_ROUNDS (2), BENCH_STEADY_RATE (100), BENCH_STEADY_SECONDS (30),
 * BENCH_STEADY_WARMUP (3000).
 */
import { readFileSync } from 'node:fs';
import { createTestDatabase } from '@allmende/testing';
import { bookMorning, seedRegion, workingDays } from './bookings-data';
import {
  API_NODE_FLAGS,
  ApiClient,
  env,
  fixed,
  percentile,
  rssMb,
  runConcurrent,
  runOpenLoop,
  startApi,
  table,
} from './bookings-support';

const RATE = env('BENCH_STEADY_RATE', 100);
const SECONDS = env('BENCH_STEADY_SECONDS', 30);
const WARMUP = env('BENCH_STEADY_WARMUP', 3000);
const ROUNDS = env('BENCH_STEADY_ROUNDS', 2);
const TRACE_GC = process.env.BENCH_STEADY_TRACE_GC === '1';
const VARIANTS = (process.env.BENCH_STEADY_VARIANTS ?? ';--v8-pool-size=4')
  .split(';')
  .map((v) => v.trim().split(/\s+/).filter(Boolean));
const SLOW_MS = 20;

const log = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

/** When the process started, on the performance clock (from /proc: jiffies since boot). */
function processStartMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const bootSeconds = Number(/btime (\d+)/.exec(readFileSync('/proc/stat', 'utf8'))![1]);
  return bootSeconds * 1000 + startTicks * 10 - performance.timeOrigin;
}

interface Outcome {
  p50: number;
  p99: number;
  p999: number;
  slow: number;
  failures: number;
  rss: number;
}

async function runVariant(flags: string[]): Promise<Outcome> {
  const db = await createTestDatabase();
  const proc = await startApi(db.url, {}, TRACE_GC ? [...flags, '--trace-gc'] : flags);
  try {
    const api = new ApiClient(proc.port, 16);
    const region = await seedRegion(api);
    const days = workingDays('2026-02-02', '2027-01-01');
    const perDay = region.machines.length;
    if (WARMUP + RATE * SECONDS > days.length * perDay) throw new Error('too many creates for the calendar');
    // Create k: machine k mod 1000 on its (k div 1000)-th working day, 08:00–10:00; none conflicts.
    const create = async (k: number) => {
      const machine = region.machines[k % perDay];
      const day = days[Math.floor(k / perDay)];
      const res = await bookMorning(api, machine, day);
      if (res.status !== 201) throw new Error(`${res.status} ${res.body.slice(0, 300)}`);
    };
    const warm = await runConcurrent(WARMUP, 16, create);
    if (warm.failures.length) throw new Error(`warm-up failed: ${warm.failures[0].message}`);
    const run = await runOpenLoop(RATE * SECONDS, RATE, (i) => create(WARMUP + i));
    if (TRACE_GC) printTimeline(proc.output(), processStartMs(proc.pid), run.startedAt, run.latencyOf);
    const l = run.latenciesMs;
    return {
      p50: percentile(l, 50),
      p99: percentile(l, 99),
      p999: percentile(l, 99.9),
      slow: l.filter((ms) => ms > SLOW_MS).length,
      failures: run.failures.length,
      rss: rssMb(proc.pid),
    };
  } finally {
    await proc.stop();
    await db.drop();
  }
}

/** The API's collections (from --trace-gc) and the slow creates, in order, in s from the first slow one. */
function printTimeline(output: string, apiStartMs: number, startedAt: number[], latencyOf: number[]): void {
  const slow = startedAt
    .map((at, i) => ({ at, ms: latencyOf[i] }))
    .filter((s) => s.ms > SLOW_MS)
    .map((s) => ({ at: s.at, line: `slow create ${fixed(s.ms, 0)} ms` }));
  if (slow.length === 0) return;
  const gcs = [...output.matchAll(/\]\s+(\d+) ms: (Scavenge|Mark-Compact)[^,]*, ([\d.]+) \/[^\n]*/g)].map(
    (m) => ({
      at: apiStartMs + Number(m[1]),
      line: `${m[2]}, pause ${m[3]} ms`,
    }),
  );
  const from = slow[0].at - 2000;
  const events = [...gcs, ...slow].filter((e) => e.at >= from).sort((a, b) => a.at - b.at);
  log('  timeline (s from the first slow create; the output keeps the API’s last 20,000 characters):');
  for (const e of events) log(`  ${fixed((e.at - slow[0].at) / 1000, 3).padStart(8)}  ${e.line}`);
}

async function main(): Promise<void> {
  log(
    `steady creates: ${RATE}/s for ${SECONDS} s after ${WARMUP} warm-up creates, fresh database per run; ` +
      `API node flags ${API_NODE_FLAGS.join(' ')} + the variant's`,
  );
  const rows: (string | number)[][] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const flags of VARIANTS) {
      const name = flags.length ? flags.join(' ') : '(as shipped)';
      progress(`round ${round}: ${name}`);
      const o = await runVariant(flags);
      rows.push([
        name,
        round,
        fixed(o.p50),
        fixed(o.p99),
        fixed(o.p999),
        o.slow,
        o.failures,
        fixed(o.rss, 0),
      ]);
    }
  }
  log(
    table(
      `create latency at a steady ${RATE}/s`,
      ['variant', 'round', 'p50 ms', 'p99 ms', 'p99.9 ms', `> ${SLOW_MS} ms`, 'failed', 'RSS MB'],
      rows,
    ),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
