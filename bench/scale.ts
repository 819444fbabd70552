/**
 * Scale benchmark (issue #14): `npm run bench:scale`. At each size (10k, 100k, 1M and, when
 * BENCH_SCALE_MAX allows, 10M bookings) a fresh database gets the country-sized data set of
 * `allmende generate` (all 10,800 municipalities, one machine per 100 bookings, 1,000 to
 * 100,000), the API process starts on it, and the bench measures the availability search
 * (GET /availability, 4-week window, the type of a random machine in its pool, sequential) and booking creates sent
 * at a steady rate, with the load time of the data set. Targets at the largest size:
 * availability p95 ≤ 20 ms, create p99 ≤ 50 ms.
 *
 * Knobs: BENCH_SCALE_MAX (1000000; 10000000 runs the 10M step too), BENCH_SCALE_MIN (10000: the
 * smallest size run), BENCH_SCALE_SEARCHES (200), BENCH_SCALE_CREATES (300), BENCH_SCALE_RATE (50
 * creates/s), BENCH_SCALE_SEED (1), BENCH_SCALE_REUSE=1: keep each loaded data set as the database
 * `allmende_scale_<n>` (its fingerprint, load time and load average in the database's comment) and
 * reuse it while the fingerprint (generator code, options, migrations) matches; every run then
 * measures on a file copy of it, dropped afterwards, so the kept one never sees the bench's creates.
 */
import 'reflect-metadata';
import * as os from 'node:os';
import { Client } from 'pg';
import { GERMAN_STATES, publicHolidays } from '@allmende/bookings';
import { CountryOptions, countryFingerprint, generateCountry } from '@allmende/database';
import {
  createTestDatabase,
  ensureTemplate,
  namedDatabase,
  templateName,
  TestDatabase,
  withTestServer,
} from '@allmende/testing';
import { prng } from './bookings-data';
import { ApiClient, env, fixed, percentile, startApi, table, verdict } from './bookings-support';
import { ResultRow, sizeLabel, writeResults } from './results-table';

const MAX = env('BENCH_SCALE_MAX', 1_000_000);
const MIN = env('BENCH_SCALE_MIN', 10_000);
const SIZES = [10_000, 100_000, 1_000_000, 10_000_000].filter((s) => s >= MIN && s <= MAX);
const REUSE = process.env.BENCH_SCALE_REUSE === '1';
const SEARCHES = env('BENCH_SCALE_SEARCHES', 200);
const CREATES = env('BENCH_SCALE_CREATES', 300);
const RATE = env('BENCH_SCALE_RATE', 50);
const SEED = env('BENCH_SCALE_SEED', 1);
const YEAR = 2027;
const TARGET_SEARCH_P95 = 20;
const TARGET_CREATE_P99 = 50;

const log = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

interface Row {
  size: number;
  resources: number;
  loadSeconds: number;
  /** The data set was a kept one (BENCH_SCALE_REUSE=1): loadSeconds is from when it was loaded. */
  reused: boolean;
  /** The 1-minute load average at the end of the load and at the end of the measurement. */
  loadAverage: { load: number; measure: number };
  search: number[];
  searchFailures: number;
  create: number[];
  createFailures: string[];
}

interface DataSet {
  db: TestDatabase;
  loadSeconds: number;
  loadAverage: number;
  reused: boolean;
}

interface KeptComment {
  fingerprint: string;
  loadSeconds: number;
  loadAverage: number;
  loadedAt: string;
}

const loadAverage = () => Math.round(os.loadavg()[0] * 100) / 100;

async function generate(db: TestDatabase, options: CountryOptions): Promise<number> {
  const client = new Client({ connectionString: db.url, application_name: 'bench-scale' });
  await client.connect();
  try {
    progress(
      `${sizeLabel(options.bookings)}: generating 10,800 municipalities, ${options.resources} machines, ${options.bookings} bookings`,
    );
    const t0 = Date.now();
    await generateCountry(client, options, (l) => progress(`${sizeLabel(options.bookings)}: ${l}`));
    return (Date.now() - t0) / 1000;
  } finally {
    await client.end();
  }
}

/**
 * The data set of one size: a fresh database loaded now, or with BENCH_SCALE_REUSE=1 a file copy
 * of the kept `allmende_scale_<n>` (loaded first when it is missing or its fingerprint differs).
 */
async function dataSet(options: CountryOptions): Promise<DataSet> {
  if (!REUSE) {
    const db = await createTestDatabase();
    const loadSeconds = await generate(db, options);
    return { db, loadSeconds, loadAverage: loadAverage(), reused: false };
  }
  const kept = namedDatabase(`allmende_scale_${options.bookings}`);
  const fingerprint = `${countryFingerprint(options)}/${templateName()}`;
  const comment = await withTestServer(async (c) => {
    const { rows } = await c.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [kept.name],
    );
    try {
      return rows.length ? (JSON.parse(rows[0].comment ?? '') as KeptComment) : undefined;
    } catch {
      return undefined;
    }
  });
  let meta: KeptComment;
  let reused = true;
  if (comment?.fingerprint === fingerprint) {
    meta = comment;
    progress(
      `${sizeLabel(options.bookings)}: reusing ${kept.name} (loaded ${meta.loadedAt} in ${fixed(meta.loadSeconds)} s)`,
    );
  } else {
    progress(
      `${sizeLabel(options.bookings)}: ${kept.name} ${comment ? 'is stale' : 'is missing'}: loading it`,
    );
    reused = false;
    await kept.drop();
    const template = await ensureTemplate();
    await withTestServer((c) => c.query(`CREATE DATABASE ${kept.name} TEMPLATE ${template}`));
    const loadSeconds = await generate(kept, options);
    meta = { fingerprint, loadSeconds, loadAverage: loadAverage(), loadedAt: new Date().toISOString() };
    await withTestServer((c) => c.query(`COMMENT ON DATABASE ${kept.name} IS '${JSON.stringify(meta)}'`));
  }
  const run = namedDatabase(`${kept.name}_run`);
  await run.drop();
  const t0 = Date.now();
  await withTestServer((c) =>
    c.query(`CREATE DATABASE ${run.name} TEMPLATE ${kept.name} STRATEGY FILE_COPY`),
  );
  progress(
    `${sizeLabel(options.bookings)}: measuring on a copy, ${run.name} (${fixed((Date.now() - t0) / 1000)} s)`,
  );
  return { db: run, loadSeconds: meta.loadSeconds, loadAverage: meta.loadAverage, reused };
}

async function measure(size: number): Promise<Row> {
  const resources = Math.min(100_000, Math.max(1000, Math.round(size / 100)));
  const options = { municipalities: 10_800, resources, bookings: size, seed: SEED, year: YEAR };
  const { db, loadSeconds, loadAverage: loadAvg, reused } = await dataSet(options);
  const client = new Client({ connectionString: db.url, application_name: 'bench-scale' });
  await client.connect();
  try {
    const { rows: machines } = await client.query<{
      id: string;
      pool_id: string;
      type: string;
      home: string;
    }>(`SELECT id, pool_id, type, home_municipality_id AS home FROM resources ORDER BY id`);
    const api = await startApi(db.url);
    const http = new ApiClient(api.port, 8);
    try {
      const random = prng(SEED);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
      const day = (d: number) => new Date(Date.UTC(YEAR, 0, 1 + d)).toISOString().slice(0, 10);
      const search = async () => {
        const m = pick(machines);
        const d = Math.floor(random() * 330);
        const res = await http.request(
          'GET',
          `/availability?poolId=${m.pool_id}&type=${m.type}&from=${day(d)}T00:00:00%2B01:00&to=${day(d + 28)}T00:00:00%2B01:00`,
        );
        if (res.status !== 200) throw new Error(`${res.status} ${res.body.slice(0, 200)}`);
      };
      progress(`${sizeLabel(size)}: 20 warm-up and ${SEARCHES} availability searches, one at a time`);
      for (let i = 0; i < 20; i++) await search().catch(() => undefined);
      const searchMs: number[] = [];
      let searchFailures = 0;
      for (let i = 0; i < SEARCHES; i++) {
        const s0 = process.hrtime.bigint();
        try {
          await search();
          searchMs.push(Number(process.hrtime.bigint() - s0) / 1e6);
        } catch {
          searchFailures++;
        }
      }
      // Creates in the evening (the generated day ends at 18:00), one per machine and day at most,
      // never on a day that is a public holiday in any state (the API refuses those with a 409).
      const used = new Set<string>();
      const holidays = new Set(
        GERMAN_STATES.flatMap((state) =>
          publicHolidays(state, new Date(Date.UTC(YEAR, 0, 1)), new Date(Date.UTC(YEAR + 1, 0, 1))).map(
            (h) => h.date,
          ),
        ),
      );
      const slot = () => {
        for (;;) {
          const m = pick(machines);
          const d = Math.floor(random() * 360);
          if (used.has(`${m.id}/${d}`) || holidays.has(day(d))) continue;
          used.add(`${m.id}/${d}`);
          return {
            resourceId: m.id,
            municipalityId: m.home,
            start: `${day(d)}T19:00:00+01:00`,
            end: `${day(d)}T20:30:00+01:00`,
          };
        }
      };
      progress(`${sizeLabel(size)}: ${CREATES} creates at a steady ${RATE}/s`);
      for (let i = 0; i < 20; i++) await http.request('POST', '/bookings', slot());
      const createMs: number[] = [];
      const createFailures: string[] = [];
      const startAt = Date.now();
      await Promise.all(
        Array.from({ length: CREATES }, async (_, i) => {
          const wait = startAt + (i * 1000) / RATE - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const s0 = process.hrtime.bigint();
          const res = await http.request('POST', '/bookings', slot());
          if (res.status === 201) createMs.push(Number(process.hrtime.bigint() - s0) / 1e6);
          else createFailures.push(`${res.status} ${res.body.slice(0, 200)}`);
        }),
      );
      return {
        size,
        resources,
        loadSeconds,
        reused,
        loadAverage: { load: loadAvg, measure: loadAverage() },
        search: searchMs,
        searchFailures,
        create: createMs,
        createFailures,
      };
    } finally {
      http.close();
      await api.stop();
    }
  } finally {
    await client.end();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  log('allmende scale benchmark (issue #14): the country-sized data set at growing sizes');
  if (MAX < 10_000_000)
    log(
      `sizes up to ${sizeLabel(MAX)} (BENCH_SCALE_MAX=${MAX}); BENCH_SCALE_MAX=10000000 adds the 10M step, ` +
        'whose load takes about a quarter of an hour on a busy 2-core machine (BENCH_SCALE_REUSE=1 keeps it)',
    );
  const rows: Row[] = [];
  for (const size of SIZES) rows.push(await measure(size));
  log(
    table(
      `Scale — availability (${SEARCHES} sequential searches, 4-week window) and creates (${CREATES} at ${RATE}/s) as the bookings grow`,
      [
        'bookings',
        'machines',
        'load s',
        'load avg',
        'search p50 ms',
        'p95 ms',
        `≤ ${TARGET_SEARCH_P95}`,
        'create p50 ms',
        'p99 ms',
        `≤ ${TARGET_CREATE_P99}`,
        'failed',
      ],
      rows.map((r) => [
        r.size.toLocaleString('en'),
        r.resources.toLocaleString('en'),
        `${fixed(r.loadSeconds)}${r.reused ? ' (kept)' : ''}`,
        `${fixed(r.loadAverage.load)} / ${fixed(r.loadAverage.measure)}`,
        fixed(percentile(r.search, 50)),
        fixed(percentile(r.search, 95)),
        verdict(percentile(r.search, 95) <= TARGET_SEARCH_P95),
        fixed(percentile(r.create, 50)),
        fixed(percentile(r.create, 99)),
        verdict(percentile(r.create, 99) <= TARGET_CREATE_P99),
        r.searchFailures + r.createFailures.length,
      ]),
    ),
  );
  for (const r of rows)
    if (r.createFailures.length)
      log(`  ! ${sizeLabel(r.size)}: ${r.createFailures.length} creates failed, e.g. ${r.createFailures[0]}`);
  const results: ResultRow[] = rows.flatMap((r) => [
    {
      size: sizeLabel(r.size),
      metric: r.reused ? 'data set load (kept from an earlier run)' : 'data set load',
      value: r.loadSeconds,
      unit: 's',
      target: '',
      ok: null,
    },
    {
      size: sizeLabel(r.size),
      metric: 'load average (1 min) at the end of the measurement',
      value: r.loadAverage.measure,
      unit: '',
      target: '',
      ok: null,
    },
    {
      size: sizeLabel(r.size),
      metric: 'availability p95',
      value: percentile(r.search, 95),
      unit: 'ms',
      target: `≤ ${TARGET_SEARCH_P95}`,
      ok: percentile(r.search, 95) <= TARGET_SEARCH_P95,
    },
    {
      size: sizeLabel(r.size),
      metric: 'create p99',
      value: percentile(r.create, 99),
      unit: 'ms',
      target: `≤ ${TARGET_CREATE_P99}`,
      ok: percentile(r.create, 99) <= TARGET_CREATE_P99 && r.createFailures.length === 0,
    },
  ]);
  log(
    `\nresults: ${writeResults('scale', results)}; bench took ${fixed((Date.now() - started) / 1000, 0)} s`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
