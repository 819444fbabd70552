/**
 * Booking-engine benchmark (issue #3): `npm run bench`.
 *
 * 1. Throughput: booking creates through the HTTP API (the real API process, started here against
 *    a fresh database), beside the ceiling of the same INSERT into the same constrained table
 *    straight through pg, with the same concurrency, in the same run; the API's peak memory.
 * 2. Growth: bookings bulk-loaded to 10,000 / 100,000 / 1,000,000 over 1,000 machines; at each
 *    size the availability search latency (4-week window, one type in one pool) and again the
 *    create throughput against its pg ceiling.
 *
 * 3. Planning (issue #12, bench/planning.ts): a region-sized pool, POST …/proposals until the run
 *    is done, the worker's peak memory, requests served and the exact step's coverage.
 *
 * A report, not a test: it prints PASS/FAIL per target and exits 0 either way (1 only when the
 * bench itself fails). Knobs (environment): BENCH_CONCURRENCY (16), BENCH_BOOKINGS (4000),
 * BENCH_SIZES (10000,100000,1000000), BENCH_SEARCHES (200), BENCH_SIZE_CREATES (2000),
 * BENCH_SIZE_WARMUP (1000),
 * BENCH_GROWTH_STEADY_SECONDS (10: the steady 100 creates/s at each size).
 */
import 'reflect-metadata';
import * as os from 'node:os';
import { Client, Pool } from 'pg';
import { BUSY_SQL } from '@allmende/database';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import {
  loadBulk,
  localInstant,
  Machine,
  MACHINES_PER_TYPE,
  POOLS,
  prepareBulkSlots,
  prng,
  Region,
  seedRegion,
  TYPES,
  workingDays,
} from './bookings-data';
import {
  API_NODE_FLAGS,
  API_PROCESSES,
  ApiClient,
  ApiProcess,
  backgroundLoad,
  cpuAccount,
  CpuSplit,
  env,
  fixed,
  mergeRuns,
  mergeSplits,
  percentile,
  rssMb,
  rssSampler,
  runConcurrent,
  runOpenLoop,
  RunResult,
  startApi,
  table,
  verdict,
  writeResults,
} from './bookings-support';
import { planningBench } from './planning';
import { statementDocumentsTable } from './statement-documents';

const APP_ROLE = 'allmende_app';

const CONCURRENCY = env('BENCH_CONCURRENCY', 16);
const BOOKINGS = env('BENCH_BOOKINGS', 4000);
/**
 * Creates (and, on the ceiling's side, INSERTs) before anything is measured. The API's CPU per
 * create falls from ~2 ms to ~1 ms over its first ~2,000 creates after start-up (V8 compiles the
 * request path's functions as they get hot; each pool connection plans its statements once), and
 * PostgreSQL's from ~2.1 to ~1.6 ms; a bare INSERT is at its speed within a few hundred. With 300
 * the measured rounds fell mostly in that warm-up: the figure was of a cold process. The warm-up's
 * own rate is still shown ("first … after start-up").
 */
const WARMUP = env('BENCH_WARMUP', 3000);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const SEARCHES = env('BENCH_SEARCHES', 200);
/**
 * Creates (and INSERTs) at each size of the growth part, in SIZE_ROUNDS alternating rounds. With
 * 2 × 250 a ceiling round lasted under a tenth of a second, and both sides' ramp-up (the first
 * requests in flight, the API's batches forming) weighed on the ratio: it moved by ±0.05 from run
 * to run. 2,000 in 4 rounds of 500 each side last about as long as one round of the new table's part.
 */
const SIZE_CREATES = env('BENCH_SIZE_CREATES', 2000);
const SIZE_ROUNDS = 4;
/**
 * Creates and INSERTs after each bulk load before the growth part measures. Only now do creates
 * meet a calendar with neighbours (the day's work before them, a follower whose transport leg
 * moves), paths the API had not run hot before; the new table's part warms up for the same reason
 * (WARMUP). It was 50; three quick runs each gave 0.296–0.322 at 10,000 bookings with 50 and
 * 0.306–0.338 with 1,000, within the runs' noise.
 */
const SIZE_WARMUP = env('BENCH_SIZE_WARMUP', 1000);

/** Issue #14's targets: creates ≥ 0.3 of the ceiling, the floor ≥ 1.0, p99 ≤ 20 ms at 100/s, 200 MB. */
const TARGET_RATIO = 0.3;
const TARGET_FLOOR = 1.0;
const TARGET_P95_MS = 20;
const TARGET_RSS_MB = 200;
const STEADY_RATE = 100;
const STEADY_SECONDS = env('BENCH_STEADY_SECONDS', 20);
/** Seconds of the steady 100/s phase at each size of the growth part. */
const GROWTH_STEADY_SECONDS = env('BENCH_GROWTH_STEADY_SECONDS', 10);
const TARGET_STEADY_P99_MS = 20;

const log = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

/** One booking to create: the machine, who books (the depot's own municipality: no transport) and when. */
interface Slot {
  machine: Machine;
  start: string;
  end: string;
}

/**
 * The bench's calendar is fixed (2026–2032) so that runs compare; as those days pass, the admin's
 * `backdated` flag keeps them bookable (it only skips the not-in-the-past check).
 */
const BACKDATED = true;

/** POSTs one booking request per slot; any answer but `expected` is a failure. */
function apiPosts(
  api: ApiClient,
  slots: Slot[],
  concurrency: number,
  expected: number,
  span: (s: Slot) => { start: string; end: string },
): Promise<RunResult> {
  return runConcurrent(slots.length, concurrency, async (i) => {
    const s = slots[i];
    const res = await api.request('POST', '/bookings', {
      resourceId: s.machine.id,
      municipalityId: s.machine.homeId,
      ...span(s),
      backdated: BACKDATED,
    });
    if (res.status !== expected) throw new Error(`${res.status} ${res.body.slice(0, 300)}`);
  });
}

/** The 10 slowest requests of an open-loop run, each with when it was sent (s into the run). */
const slowest = (r: { latencyOf: number[] }, rate: number) =>
  r.latencyOf
    .map((ms, i) => ({ ms, at: i / rate }))
    .filter((x) => Number.isFinite(x.ms))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10)
    .map((x) => `${fixed(x.ms, 0)} ms at ${fixed(x.at, 1)} s`)
    .join(', ');

/** Creates at a steady `rate` per second, open loop (see runOpenLoop). */
function steadyCreates(api: ApiClient, slots: Slot[], rate: number) {
  return runOpenLoop(slots.length, rate, async (i) => {
    const s = slots[i];
    const res = await api.request('POST', '/bookings', {
      resourceId: s.machine.id,
      municipalityId: s.machine.homeId,
      start: s.start,
      end: s.end,
      backdated: BACKDATED,
    });
    if (res.status !== 201) throw new Error(`${res.status} ${res.body.slice(0, 300)}`);
  });
}

/** Creates through HTTP (201). */
const apiCreates = (api: ApiClient, slots: Slot[], concurrency: number) =>
  apiPosts(api, slots, concurrency, 201, (s) => ({ start: s.start, end: s.end }));

/**
 * The API's floor: the same POST, answered 422 by the service (end before start) before any
 * database work, through the same HTTP stack, guards, validation and error mapping. No create can
 * be cheaper than this, so its rate bounds the reachable ratio from above.
 */
const apiFloor = (api: ApiClient, slots: Slot[], concurrency: number) =>
  apiPosts(api, slots, concurrency, 422, (s) => ({ start: s.end, end: s.start }));

/**
 * The ceiling: the same row into the same table (exclusion constraint, indexes, foreign keys and
 * row-level security, as the API's role with the admin setting), one INSERT per booking, each
 * its own transaction, through a pg pool with one connection per request in flight.
 */
function openCeilingPool(url: string, concurrency: number): Pool {
  return new Pool({
    connectionString: url,
    max: concurrency,
    application_name: 'bench-ceiling',
    // Every session as the API's transactions run: the app role, with the admin setting.
    options: `-c role=${APP_ROLE} -c allmende.role=admin`,
    // Open until the bench ends it. With pg's 10 s idle timeout its 16 connections closed together
    // 10 s into the steady phase, after the last ceiling INSERTs, and every create then in flight
    // stalled ~200 ms: that alone put the steady p99 at 52–117 ms instead of ~15 ms.
    idleTimeoutMillis: 0,
  });
}

function pgInserts(pool: Pool, slots: Slot[], concurrency: number): Promise<RunResult> {
  return runConcurrent(slots.length, concurrency, async (i) => {
    const s = slots[i];
    await pool.query(
      `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                             blocked_start, blocked_end, priority)
       VALUES ($1, $2, $3, $3, $4, $5, $4, $5, 'normal') RETURNING id`,
      [s.machine.poolId, s.machine.id, s.machine.homeId, s.start, s.end],
    );
  });
}

async function warmPool(pool: Pool, concurrency: number): Promise<void> {
  await Promise.all(Array.from({ length: concurrency }, () => pool.query('SELECT 1')));
}

interface Comparison {
  api: RunResult;
  pg: RunResult;
  apiCpu: CpuSplit;
  pgCpu: CpuSplit;
}

/**
 * The API's creates and the ceiling's INSERTs in alternating rounds (API, pg, API, pg, …), so that
 * whatever else the machine does at the time weighs on both sides alike.
 */
async function compare(
  rounds: number,
  api: ApiClient,
  proc: ApiProcess,
  pool: Pool,
  monitor: Client,
  apiSlots: Slot[],
  pgSlots: Slot[],
): Promise<Comparison> {
  const apiRuns: RunResult[] = [];
  const pgRuns: RunResult[] = [];
  const apiCpu: CpuSplit[] = [];
  const pgCpu: CpuSplit[] = [];
  const chunk = (xs: Slot[], r: number) =>
    xs.slice(Math.floor((r * xs.length) / rounds), Math.floor(((r + 1) * xs.length) / rounds));
  for (let r = 0; r < rounds; r++) {
    let account = await cpuAccount(proc.pid, monitor);
    apiRuns.push(await apiCreates(api, chunk(apiSlots, r), CONCURRENCY));
    apiCpu.push(await account());
    proc.assertAlive();
    account = await cpuAccount(null, monitor);
    pgRuns.push(await pgInserts(pool, chunk(pgSlots, r), CONCURRENCY));
    pgCpu.push(await account());
    progress(
      `round ${r + 1} of ${rounds}: API ${fixed(rate(apiRuns[r]), 0)}/s, pg ${fixed(rate(pgRuns[r]), 0)}/s ` +
        `(${fixed(rate(apiRuns[r]) / rate(pgRuns[r]), 3)})`,
    );
  }
  return {
    api: mergeRuns(apiRuns),
    pg: mergeRuns(pgRuns),
    apiCpu: mergeSplits(apiCpu),
    pgCpu: mergeSplits(pgCpu),
  };
}

function failureNote(name: string, r: RunResult): void {
  if (r.failures.length === 0) return;
  log(`  ! ${name}: ${r.failures.length} failed, e.g. ${r.failures[0].message}`);
}

const rate = (r: RunResult) => r.latenciesMs.length / r.seconds;
/** The steady-rate target: p99 within TARGET_STEADY_P99_MS and no create failed. */
const steadyMet = (r: RunResult) =>
  percentile(r.latenciesMs, 99) <= TARGET_STEADY_P99_MS && r.failures.length === 0;
const cpuCells = (c: CpuSplit) =>
  `API ${fixed(c.api, 0)} %, PostgreSQL ${fixed(c.postgres, 0)} %, bench client ${fixed(c.bench, 0)} %, ` +
  `other processes ${fixed(c.other, 0)} % of a core (machine ${fixed(c.machine, 0)} % busy)`;

/** CPU milliseconds per operation of the API process and of PostgreSQL. */
const perOp = (c: CpuSplit, count: number, what: string) =>
  `per ${what}: API ${fixed((c.api * 10 * c.seconds) / Math.max(1, count), 1)} ms, ` +
  `PostgreSQL ${fixed((c.postgres * 10 * c.seconds) / Math.max(1, count), 1)} ms CPU`;

// ---------------------------------------------------------------------------------------------

async function machineInfo(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ v: string; sb: string; sc: string }>(
      `SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb,
              current_setting('synchronous_commit') AS sc`,
    );
    const cpu = os.cpus();
    log('allmende booking-engine benchmark');
    log(
      `machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? '?'}), ${fixed(os.totalmem() / 2 ** 30, 0)} GiB RAM, ` +
        `Node ${process.version}, PostgreSQL ${rows[0].v} (shared_buffers ${rows[0].sb}, synchronous_commit ${rows[0].sc}); ` +
        `API, PostgreSQL and this client share the same cores`,
    );
    log(
      `settings: ${CONCURRENCY} requests in flight, ${API_PROCESSES} API process(es) on one port (ALLMENDE_API_PROCESSES, BENCH_API_PROCESSES), ` +
        `API pool DATABASE_POOL_SIZE=${process.env.DATABASE_POOL_SIZE ?? '10 (default)'} each, ` +
        `LOG_LEVEL=warn, rate limit lifted, API started as \`npm run start:api\` starts it (node ${API_NODE_FLAGS.join(' ')})`,
    );
  } finally {
    await c.end();
  }
}

interface ThroughputFigures {
  ratio: number;
  /** The same ratio over the warm-up: the first WARMUP creates after start-up. */
  coldRatio: number;
  floorRatio: number;
  rssMb: number;
  createsPerSecond: number;
  insertsPerSecond: number;
  floorPerSecond: number;
  steadyP50: number;
  steadyP99: number;
  steadyFailures: number;
  /** CPU ms per request: the floor in the API; a create in the API and in PostgreSQL; a bare INSERT in PostgreSQL. */
  cpu: { floorApi: number; createApi: number; createPg: number; insertPg: number };
}

type ResultRow = { size: string; metric: string; value: number; unit: string; target: string; ok: boolean };
const row = (
  size: string,
  metric: string,
  value: number,
  unit: string,
  target: string,
  ok: boolean,
): ResultRow => ({
  size,
  metric,
  value: Number.isFinite(value) ? Number(value.toFixed(4)) : value,
  unit,
  target,
  ok,
});
const sizeLabel = (n: number) =>
  n >= 1_000_000 ? `${Math.round(n / 1_000_000)}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n);

/** Part 1: throughput and memory. */
async function throughput(db: TestDatabase): Promise<ThroughputFigures> {
  progress('throughput: starting the API on a fresh database and seeding 1,000 machines through it');
  const proc = await startApi(db.url);
  const api = new ApiClient(proc.port, CONCURRENCY);
  const pool = openCeilingPool(db.url, CONCURRENCY);
  const monitor = new Client({ connectionString: db.url, application_name: 'bench-monitor' });
  await monitor.connect();
  try {
    const region = await seedRegion(api);
    proc.assertAlive();
    const idleMb = rssMb(proc.pid);
    const days = workingDays('2026-02-02', '2027-01-01');
    // Slot k: machine k mod 1000 on its (k div 1000)-th day, 08:00–10:00. Consecutive requests hit
    // different machines (no lock waits), none conflicts; the ceiling gets days of its own.
    const slots = (from: number, count: number): Slot[] =>
      Array.from({ length: count }, (_, j) => {
        const k = from + j;
        const machine = region.machines[k % region.machines.length];
        const day = days[Math.floor(k / region.machines.length)];
        return { machine, start: localInstant(day, 8), end: localInstant(day, 10) };
      });
    const perSide = WARMUP + BOOKINGS;
    const steadyCount = STEADY_RATE * STEADY_SECONDS;
    if (2 * perSide + BOOKINGS + steadyCount > days.length * region.machines.length)
      throw new Error('BENCH_BOOKINGS too large');

    progress(`throughput: ${WARMUP} warm-up creates through HTTP and INSERTs through pg`);
    const coldApi = await apiCreates(api, slots(0, WARMUP), CONCURRENCY);
    failureNote('API warm-up', coldApi);
    await warmPool(pool, CONCURRENCY);
    const coldPg = await pgInserts(pool, slots(perSide, WARMUP), CONCURRENCY);
    failureNote('pg warm-up', coldPg);
    progress(
      `throughput: ${BOOKINGS} creates through HTTP and ${BOOKINGS} INSERTs through pg, ${CONCURRENCY} in flight, in 4 alternating rounds`,
    );
    const rss = rssSampler(proc.pid);
    const c = await compare(
      4,
      api,
      proc,
      pool,
      monitor,
      slots(WARMUP, BOOKINGS),
      slots(perSide + WARMUP, BOOKINGS),
    );
    const mem = rss.stop();
    const apiRun = c.api;
    const pgRun = c.pg;
    failureNote('API creates', apiRun);
    failureNote('pg INSERTs', pgRun);
    progress(`throughput: ${BOOKINGS} requests the API answers 422 before any database work (the floor)`);
    let account = await cpuAccount(proc.pid, monitor);
    const floorRun = await apiFloor(api, slots(WARMUP, BOOKINGS), CONCURRENCY);
    const floorCpu = await account();
    account = await cpuAccount(null, monitor);
    const floorPg = await pgInserts(pool, slots(perSide + WARMUP + BOOKINGS, BOOKINGS), CONCURRENCY);
    const floorPgCpu = await account();
    failureNote('API floor', floorRun);
    failureNote('pg INSERTs beside the floor', floorPg);
    progress(`throughput: ${steadyCount} creates at a steady ${STEADY_RATE}/s (open loop)`);
    const steady = await steadyCreates(api, slots(2 * perSide + BOOKINGS, steadyCount), STEADY_RATE);
    failureNote('steady creates', steady);
    proc.assertAlive();

    const ratio = rate(apiRun) / rate(pgRun);
    const floorRatio = rate(floorRun) / rate(floorPg);
    log(
      table(
        `1. Booking create throughput — ${BOOKINGS} non-conflicting bookings over 1,000 machines, ${CONCURRENCY} in flight, ` +
          `on a new table (${(2 * WARMUP).toLocaleString('en')} rows after the warm-up)`,
        ['measure', 'API (POST /bookings)', 'ceiling (pg INSERT)', 'API / ceiling', 'target', 'verdict'],
        [
          [
            'bookings/s',
            fixed(rate(apiRun), 0),
            fixed(rate(pgRun), 0),
            fixed(ratio, 3),
            `≥ ${TARGET_RATIO}`,
            verdict(ratio >= TARGET_RATIO),
          ],
          [
            `first ${WARMUP.toLocaleString('en')} after start-up (warm-up), bookings/s`,
            fixed(rate(coldApi), 0),
            fixed(rate(coldPg), 0),
            fixed(rate(coldApi) / rate(coldPg), 3),
            '',
            '',
          ],
          ...([50, 95, 99] as const).map((p) => [
            `latency p${p} ms`,
            fixed(percentile(apiRun.latenciesMs, p)),
            fixed(percentile(pgRun.latenciesMs, p)),
            fixed(percentile(apiRun.latenciesMs, p) / percentile(pgRun.latenciesMs, p), 1) + '×',
            '',
            '',
          ]),
          [
            'failed',
            apiRun.failures.length,
            pgRun.failures.length,
            '',
            '0',
            verdict(apiRun.failures.length === 0),
          ],
          [
            'floor: 422 before any query, req/s',
            fixed(rate(floorRun), 0),
            fixed(rate(floorPg), 0),
            fixed(floorRatio, 3),
            `≥ ${TARGET_FLOOR}`,
            verdict(floorRatio >= TARGET_FLOOR),
          ],
          [
            `create p99 ms at a steady ${STEADY_RATE}/s (p50 ${fixed(percentile(steady.latenciesMs, 50))})`,
            fixed(percentile(steady.latenciesMs, 99)),
            '',
            '',
            `≤ ${TARGET_STEADY_P99_MS}`,
            verdict(
              percentile(steady.latenciesMs, 99) <= TARGET_STEADY_P99_MS && steady.failures.length === 0,
            ),
          ],
        ],
      ),
    );
    log(`   CPU during the API rounds:     ${cpuCells(c.apiCpu)}`);
    log(`   CPU during the ceiling rounds: ${cpuCells(c.pgCpu)}`);
    log(
      `   CPU per floor request: API process ${fixed((floorCpu.api * 10) / rate(floorRun), 2)} ms, bench client ` +
        `${fixed((floorCpu.bench * 10) / rate(floorRun), 2)} ms (PostgreSQL idle); machine ${fixed(floorCpu.machine, 0)} % busy, ` +
        `pg INSERTs beside it: PostgreSQL ${fixed((floorPgCpu.postgres * 10) / rate(floorPg), 2)} ms each`,
    );
    log(
      `   CPU per booking: API process ${fixed((c.apiCpu.api * 10) / rate(apiRun), 2)} ms + PostgreSQL ` +
        `${fixed((c.apiCpu.postgres * 10) / rate(apiRun), 2)} ms through the API; PostgreSQL ` +
        `${fixed((c.pgCpu.postgres * 10) / rate(pgRun), 2)} ms + client ${fixed((c.pgCpu.bench * 10) / rate(pgRun), 2)} ms for the bare INSERT`,
    );
    log(
      table(
        '2. API process memory (RSS from /proc/<pid>/status; with several API processes the largest) during the throughput run',
        ['measure', 'MB', 'target', 'verdict'],
        [
          ['RSS after start-up and seeding', fixed(idleMb), '', ''],
          ...[0.25, 0.5, 0.75, 1].map((q) => [
            `RSS at ${q * 100} % of the run`,
            fixed(mem.series[Math.min(mem.series.length - 1, Math.floor(q * (mem.series.length - 1)))]),
            '',
            '',
          ]),
          [
            `peak RSS, sampled every 100 ms (${mem.series.length} samples)`,
            fixed(mem.peakMb),
            `≤ ${TARGET_RSS_MB}`,
            verdict(mem.peakMb <= TARGET_RSS_MB),
          ],
          [
            'VmHWM (kernel high-water mark since start)',
            fixed(mem.hwmMb),
            `≤ ${TARGET_RSS_MB}`,
            verdict(mem.hwmMb <= TARGET_RSS_MB),
          ],
        ],
      ),
    );
    return {
      ratio,
      coldRatio: rate(coldApi) / rate(coldPg),
      floorRatio,
      rssMb: Math.max(mem.peakMb, mem.hwmMb),
      createsPerSecond: rate(apiRun),
      insertsPerSecond: rate(pgRun),
      floorPerSecond: rate(floorRun),
      steadyP50: percentile(steady.latenciesMs, 50),
      steadyP99: percentile(steady.latenciesMs, 99),
      steadyFailures: steady.failures.length,
      cpu: {
        floorApi: (floorCpu.api * 10) / rate(floorRun),
        createApi: (c.apiCpu.api * 10) / rate(apiRun),
        createPg: (c.apiCpu.postgres * 10) / rate(apiRun),
        insertPg: (c.pgCpu.postgres * 10) / rate(pgRun),
      },
    };
  } finally {
    await monitor.end();
    api.close();
    await pool.end();
    await proc.stop();
  }
}

interface SizeRow {
  bookings: number;
  active: number;
  loadSeconds: number;
  search: RunResult;
  windows: number;
  api: RunResult;
  pg: RunResult;
  searchSplit: CpuSplit;
  createSplit: CpuSplit;
  /** Creates at a steady STEADY_RATE per second, open loop, at this size. */
  steady: RunResult;
  plans: Plans;
}

/** Part 2: availability latency and create throughput as the table grows. */
async function growth(db: TestDatabase): Promise<SizeRow[]> {
  progress('growth: starting the API on another fresh database and seeding 1,000 machines through it');
  const proc: ApiProcess = await startApi(db.url);
  const api = new ApiClient(proc.port, CONCURRENCY);
  const pool = openCeilingPool(db.url, CONCURRENCY);
  const loader = new Client({ connectionString: db.url, application_name: 'bench-loader' });
  await loader.connect();
  const rows: SizeRow[] = [];
  try {
    const region = await seedRegion(api);
    await warmPool(pool, CONCURRENCY);
    // ~5 years of working days: 1,000 machines × ~1,250 days leaves room for 1,000,000 bookings.
    const days = workingDays('2027-01-04', '2032-01-01');
    const t0 = Date.now();
    const candidates = await prepareBulkSlots(loader, days);
    progress(`growth: ${candidates} candidate slots ranked in ${fixed((Date.now() - t0) / 1000)} s`);
    const random = prng(3);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    // Creates at each size go to machine-days not used before, 17:30–19:00, after the bulk day's work.
    const used = new Set<string>();
    const freshSlots = (count: number): Slot[] =>
      Array.from({ length: count }, () => {
        for (;;) {
          const machine = pick(region.machines);
          const day = pick(days);
          if (used.has(`${machine.id}/${day}`)) continue;
          used.add(`${machine.id}/${day}`);
          return { machine, start: localInstant(day, 17, 30), end: localInstant(day, 19) };
        }
      });
    progress(`growth: ${WARMUP} warm-up creates through HTTP and INSERTs through pg (see WARMUP)`);
    failureNote('API warm-up', await apiCreates(api, freshSlots(WARMUP), CONCURRENCY));
    failureNote('pg warm-up', await pgInserts(pool, freshSlots(WARMUP), CONCURRENCY));
    const mondays = days.filter((d) => new Date(`${d}T12:00:00Z`).getUTCDay() === 1 && d < '2031-11-24');

    let loaded = 0;
    // The warm-up's rows count towards each size: the bulk load tops the table up to it.
    const warmupRows = 2 * WARMUP;
    for (const size of SIZES) {
      const target = Math.max(loaded, Math.min(size - warmupRows, candidates));
      progress(
        `growth: bulk-loading bookings ${loaded}→${target} beside the warm-up's ${warmupRows} (one INSERT … SELECT, then VACUUM ANALYZE)`,
      );
      const l0 = Date.now();
      await loadBulk(loader, loaded, target);
      const loadSeconds = (Date.now() - l0) / 1000;
      loaded = target;
      const counts = await loader.query<{ n: string; a: string }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'active') AS a FROM bookings`,
      );

      const query = () => {
        const poolId = pick(region.poolIds);
        const type = pick(TYPES);
        const monday = pick(mondays);
        const to = new Date(new Date(`${monday}T12:00:00Z`).getTime() + 28 * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const site = pick(region.members.get(poolId)!);
        return { poolId, type, from: localInstant(monday, 0), to: localInstant(to, 0), site };
      };
      progress(`growth @ ${counts.rows[0].n}: 20 warm-up + ${SEARCHES} availability searches, one at a time`);
      let windows = 0;
      const search = async () => {
        const q = query();
        const res = await api.request(
          'GET',
          `/availability?poolId=${q.poolId}&type=${q.type}&from=${encodeURIComponent(q.from)}` +
            `&to=${encodeURIComponent(q.to)}&municipalityId=${q.site}`,
        );
        if (res.status !== 200) throw new Error(`${res.status} ${res.body.slice(0, 300)}`);
        windows += (JSON.parse(res.body) as { windows: unknown[] }).windows.length;
      };
      await runConcurrent(20, 1, search);
      windows = 0;
      const searchCpu = await cpuAccount(proc.pid, loader);
      const searchRun = await runConcurrent(SEARCHES, 1, search);
      const searchSplit = await searchCpu();
      failureNote(`availability @ ${size}`, searchRun);
      proc.assertAlive();

      progress(
        `growth @ ${counts.rows[0].n}: ${SIZE_CREATES} creates through HTTP and ${SIZE_CREATES} INSERTs through pg, in ${SIZE_ROUNDS} alternating rounds`,
      );
      failureNote(`API warm-up @ ${size}`, await apiCreates(api, freshSlots(SIZE_WARMUP), CONCURRENCY));
      failureNote(`pg warm-up @ ${size}`, await pgInserts(pool, freshSlots(SIZE_WARMUP), CONCURRENCY));
      const c = await compare(
        SIZE_ROUNDS,
        api,
        proc,
        pool,
        loader,
        freshSlots(SIZE_CREATES),
        freshSlots(SIZE_CREATES),
      );
      failureNote(`API creates @ ${size}`, c.api);
      failureNote(`pg INSERTs @ ${size}`, c.pg);
      progress(
        `growth @ ${counts.rows[0].n}: creates at a steady ${STEADY_RATE}/s for ${GROWTH_STEADY_SECONDS} s`,
      );
      const steady = await steadyCreates(api, freshSlots(STEADY_RATE * GROWTH_STEADY_SECONDS), STEADY_RATE);
      failureNote(`steady creates @ ${size}`, steady);
      progress(`growth @ ${counts.rows[0].n}: slowest steady creates ${slowest(steady, STEADY_RATE)}`);
      proc.assertAlive();

      rows.push({
        bookings: Number(counts.rows[0].n),
        active: Number(counts.rows[0].a),
        loadSeconds,
        search: searchRun,
        windows: windows / Math.max(1, searchRun.latenciesMs.length),
        api: c.api,
        pg: c.pg,
        searchSplit,
        createSplit: c.apiCpu,
        steady,
        plans: await explainBusy(loader, region, query(), localInstant(mondays[mondays.length - 1], 0)),
      });
    }
  } finally {
    await loader
      .query('DROP TABLE IF EXISTS bench_slots, bench_days, bench_pool_members')
      .catch(() => undefined);
    await loader.end();
    api.close();
    await pool.end();
    await proc.stop();
  }
  return rows;
}

interface Plans {
  current: string;
  late: string;
}

/**
 * EXPLAIN ANALYZE of the busy-time query for one pool and type, as the API runs it (inside a
 * transaction as the app role with the admin setting, over the window widened by the 3 days of
 * context the service adds on each side), for a random window and for the last weeks of the
 * loaded years (where searches for the coming weeks land once the history has piled up).
 */
async function explainBusy(
  db: Client,
  region: Region,
  q: { poolId: string; type: string; from: string; to: string },
  lateFrom: string,
): Promise<Plans> {
  const ids = region.machines.filter((m) => m.poolId === q.poolId && m.type === q.type).map((m) => m.id);
  const window = (from: string, days: number): [Date, Date] => {
    const start = new Date(new Date(from).getTime() - 3 * 86_400_000);
    return [start, new Date(start.getTime() + (days + 6) * 86_400_000)];
  };
  const explain = async (sql: string, [from, to]: [Date, Date]) => {
    await db.query('BEGIN');
    try {
      await db.query(`SELECT set_config('allmende.role', 'admin', true)`);
      await db.query(`SET LOCAL ROLE ${APP_ROLE}`);
      await db.query(sql, [ids, from, to]); // warm the cache as the API's repeated searches do
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [
        ids,
        from,
        to,
      ]);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.query('ROLLBACK');
    }
  };
  return {
    current: await explain(BUSY_SQL, window(q.from, 28)),
    late: await explain(BUSY_SQL, window(lateFrom, 28)),
  };
}

/** The plan's scans, what they filtered away, the buffers touched and the time, in one line. */
function planSummary(plan: string): string {
  const lines = plan.split('\n').map((l) => l.trim().replace(/^->\s*/, ''));
  const picked = lines
    .filter((l) => /Scan|Rows Removed|Index Cond|Execution Time/.test(l))
    .map((l) =>
      l
        .replace(/\s+\(cost=[^)]*\)/, '')
        .replace(/'\{[0-9a-f,-]{40,}\}'::uuid\[\]/g, "'{…ids…}'::uuid[]")
        .replace(/\s+/g, ' '),
    );
  const buffers = lines.find((l) => /Buffers:/.test(l));
  return [...picked, ...(buffers ? [buffers] : [])].join('; ');
}

function printGrowth(rows: SizeRow[]): void {
  log(
    table(
      `3. Growth — availability search (GET /availability, 4-week window, one of ${TYPES.length} types (${MACHINES_PER_TYPE} machines) in one of ${POOLS} pools, ${SEARCHES} sequential requests) and create throughput (${SIZE_CREATES} creates in ${SIZE_ROUNDS} rounds alternating with as many INSERTs, ${CONCURRENCY} in flight)`,
      [
        'bookings',
        'load s',
        'search p50 ms',
        'p95 ms',
        'p99 ms',
        'windows/resp',
        `p95 ≤ ${TARGET_P95_MS} ms`,
        'API creates/s',
        'pg INSERTs/s',
        'API / ceiling',
        `≥ ${TARGET_RATIO}`,
        `p99 ms at ${STEADY_RATE}/s`,
        `≤ ${TARGET_STEADY_P99_MS} ms`,
      ],
      rows.map((r) => {
        const p95 = percentile(r.search.latenciesMs, 95);
        const ratio = rate(r.api) / rate(r.pg);
        const steadyP99 = percentile(r.steady.latenciesMs, 99);
        return [
          r.bookings.toLocaleString('en'),
          fixed(r.loadSeconds),
          fixed(percentile(r.search.latenciesMs, 50)),
          fixed(p95),
          fixed(percentile(r.search.latenciesMs, 99)),
          fixed(r.windows, 0),
          verdict(p95 <= TARGET_P95_MS),
          fixed(rate(r.api), 0),
          fixed(rate(r.pg), 0),
          fixed(ratio, 3),
          verdict(ratio >= TARGET_RATIO),
          fixed(steadyP99),
          verdict(steadyMet(r.steady)),
        ];
      }),
    ),
  );
  if (rows.length >= 2) {
    const a = rows[0];
    const b = rows[rows.length - 1];
    const f = (x: number, y: number) => `${fixed(y / x, 2)}×`;
    log(
      `   ${a.bookings.toLocaleString('en')} → ${b.bookings.toLocaleString('en')} bookings (${f(a.bookings, b.bookings)}): ` +
        `search p95 ${f(percentile(a.search.latenciesMs, 95), percentile(b.search.latenciesMs, 95))}, ` +
        `API creates/s ${f(rate(a.api), rate(b.api))}, pg INSERTs/s ${f(rate(a.pg), rate(b.pg))}`,
    );
  }
  log('\n   CPU while searching / while creating through the API:');
  for (const r of rows) {
    log(
      `   ${r.bookings.toLocaleString('en').padStart(9)}: searching: ${cpuCells(r.searchSplit)}; ` +
        perOp(r.searchSplit, r.search.latenciesMs.length, 'search'),
    );
    log(
      `   ${''.padStart(9)}  creating:  ${cpuCells(r.createSplit)}; ` +
        perOp(r.createSplit, r.api.latenciesMs.length, 'booking'),
    );
  }
  log(
    '\n   busy-time query of the search, EXPLAIN ANALYZE at each size — as the calendar read of the search (AvailabilityFactsQuery) sends it:',
  );
  for (const r of rows)
    log(`   ${r.bookings.toLocaleString('en').padStart(9)}: ${planSummary(r.plans.current)}`);
  log('   … for the last 4 weeks of the loaded years (the coming weeks, with the history before them):');
  for (const r of rows)
    log(`   ${r.bookings.toLocaleString('en').padStart(9)}: ${planSummary(r.plans.late)}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  };
  let exitCode = 0;
  try {
    const first = await fresh();
    await machineInfo(first.url);
    log(
      `background: other processes kept ${fixed(await backgroundLoad(), 0)} % of a core busy just before the run ` +
        '(the machine is shared; see "other processes" in the CPU lines)',
    );
    log(await statementDocumentsTable());
    const t = await throughput(first);
    await first.drop();
    const rows = await growth(await fresh());
    printGrowth(rows);
    // Planning at the size of a region (issue #12): its own database, API and worker processes.
    const planning = process.env.BENCH_PLANNING === '0' ? null : await planningBench(log);
    const last = rows[rows.length - 1];
    const p95 = last ? percentile(last.search.latenciesMs, 95) : NaN;
    const lastRatio = last ? rate(last.api) / rate(last.pg) : NaN;
    const results: ResultRow[] = [
      row('empty', 'creates/s through the API', t.createsPerSecond, '/s', '', true),
      row('empty', 'pg INSERT ceiling', t.insertsPerSecond, '/s', '', true),
      row('empty', 'creates / ceiling', t.ratio, 'ratio', `≥ ${TARGET_RATIO}`, t.ratio >= TARGET_RATIO),
      row('empty', `creates / ceiling, first ${WARMUP} after start-up`, t.coldRatio, 'ratio', '', true),
      row(
        'empty',
        'floor / ceiling',
        t.floorRatio,
        'ratio',
        `≥ ${TARGET_FLOOR}`,
        t.floorRatio >= TARGET_FLOOR,
      ),
      row('empty', 'floor requests/s', t.floorPerSecond, '/s', '', true),
      row(
        'empty',
        `create p99 at ${STEADY_RATE}/s`,
        t.steadyP99,
        'ms',
        `≤ ${TARGET_STEADY_P99_MS}`,
        t.steadyP99 <= TARGET_STEADY_P99_MS && t.steadyFailures === 0,
      ),
      row('empty', `create p50 at ${STEADY_RATE}/s`, t.steadyP50, 'ms', '', true),
      row(
        'empty',
        'API peak RSS (largest API process)',
        t.rssMb,
        'MB',
        `≤ ${TARGET_RSS_MB}`,
        t.rssMb <= TARGET_RSS_MB,
      ),
      row('empty', 'API CPU per floor request', t.cpu.floorApi, 'ms', '', true),
      row('empty', 'API CPU per create', t.cpu.createApi, 'ms', '', true),
      row('empty', 'PostgreSQL CPU per create', t.cpu.createPg, 'ms', '', true),
      row('empty', 'PostgreSQL CPU per bare INSERT', t.cpu.insertPg, 'ms', '', true),
      ...rows.flatMap((r) => {
        const size = sizeLabel(r.bookings);
        const rp95 = percentile(r.search.latenciesMs, 95);
        const ratio = rate(r.api) / rate(r.pg);
        return [
          row(size, 'availability p95', rp95, 'ms', `≤ ${TARGET_P95_MS}`, rp95 <= TARGET_P95_MS),
          row(size, 'creates / ceiling', ratio, 'ratio', `≥ ${TARGET_RATIO}`, ratio >= TARGET_RATIO),
          row(size, 'creates/s through the API', rate(r.api), '/s', '', true),
          row(size, 'create p99 (16 in flight)', percentile(r.api.latenciesMs, 99), 'ms', '', true),
          row(
            size,
            `create p99 at ${STEADY_RATE}/s`,
            percentile(r.steady.latenciesMs, 99),
            'ms',
            `≤ ${TARGET_STEADY_P99_MS}`,
            steadyMet(r.steady),
          ),
        ];
      }),
    ];
    writeResults('bookings', results);
    log(
      table(
        'Verdict (issue #3, #12 and #14 targets)',
        ['target', 'measured', 'verdict'],
        [
          [
            `create throughput ≥ ${TARGET_RATIO} × pg ceiling (new table)`,
            fixed(t.ratio, 3),
            verdict(t.ratio >= TARGET_RATIO),
          ],
          [
            `floor (a request that never reaches the database) ≥ ${TARGET_FLOOR} × pg ceiling`,
            fixed(t.floorRatio, 3),
            verdict(t.floorRatio >= TARGET_FLOOR),
          ],
          [
            `create p99 ≤ ${TARGET_STEADY_P99_MS} ms at a steady ${STEADY_RATE} creates/s`,
            `${fixed(t.steadyP99)} ms (p50 ${fixed(t.steadyP50)})`,
            verdict(t.steadyP99 <= TARGET_STEADY_P99_MS && t.steadyFailures === 0),
          ],
          [
            `create throughput ≥ ${TARGET_RATIO} × pg ceiling (${last?.bookings.toLocaleString('en') ?? '?'} bookings)`,
            fixed(lastRatio, 3),
            verdict(lastRatio >= TARGET_RATIO),
          ],
          [
            `create p99 ≤ ${TARGET_STEADY_P99_MS} ms at a steady ${STEADY_RATE} creates/s (${last?.bookings.toLocaleString('en') ?? '?'} bookings)`,
            last
              ? `${fixed(percentile(last.steady.latenciesMs, 99))} ms (p50 ${fixed(percentile(last.steady.latenciesMs, 50))})`
              : '?',
            verdict(!!last && steadyMet(last.steady)),
          ],
          [
            `availability p95 ≤ ${TARGET_P95_MS} ms (${last?.bookings.toLocaleString('en') ?? '?'} bookings)`,
            `${fixed(p95)} ms`,
            verdict(p95 <= TARGET_P95_MS),
          ],
          [`API peak RSS ≤ ${TARGET_RSS_MB} MB`, `${fixed(t.rssMb)} MB`, verdict(t.rssMb <= TARGET_RSS_MB)],
          [
            'CPU per request: floor (API) / create (API + PostgreSQL) / bare INSERT (PostgreSQL)',
            `${fixed(t.cpu.floorApi, 2)} / ${fixed(t.cpu.createApi, 2)} + ${fixed(t.cpu.createPg, 2)} / ${fixed(t.cpu.insertPg, 2)} ms`,
            '',
          ],
          ...(planning
            ? [
                [
                  'planning: POST …/proposals → run done ≤ 60 s',
                  `${fixed(planning.seconds)} s`,
                  verdict(planning.seconds <= 60),
                ],
                [
                  'planning: worker peak RSS ≤ 500 MB',
                  `${fixed(planning.workerPeakMb, 0)} MB`,
                  verdict(planning.workerPeakMb <= 500),
                ],
              ]
            : []),
        ],
      ),
    );
    log(`\nbench took ${fixed((Date.now() - started) / 1000, 0)} s`);
  } catch (e) {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    exitCode = 1;
  } finally {
    for (const db of databases) await db.drop().catch(() => undefined);
  }
  process.exit(exitCode);
}

void main();
