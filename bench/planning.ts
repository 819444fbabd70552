/**
 * Planning at the size of a real region (issue #12), part of `npm run bench` (alone:
 * `npm run bench:planning`): one pool of 100 municipalities, 300 machines of ten types and 150
 * staff, six months from next Monday with 20,000 bookings (10 % flexible within their day) and
 * 500 waiting requests (40 % flexible within their week). The real API and worker processes run
 * on a fresh database, with the queue on PostgreSQL (the same database: no other process on a
 * shared Redis can take the job). Measured: the time from POST …/proposals until the run is
 * done, the worker's peak RSS while it runs, the requests served, and how much of the waiting
 * demand the exact step (HiGHS) covered and proved.
 *
 * Figures also go to bench/results/planning.json. Knobs (environment): BENCH_PLANNING_SECONDS
 * (the run's time limit; default the API's own default, 10 s: what a coordinator gets without
 * asking for more), BENCH_PLANNING_SEED (1).
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { workingDays } from './bookings-data';
import {
  ADMIN_TOKEN,
  ApiClient,
  env,
  fixed,
  freePort,
  ROOT,
  rssSampler,
  sleep,
  table,
  verdict,
} from './bookings-support';
import { writeBenchResults } from './results-file';

const MUNICIPALITIES = 100;
const MACHINE_TYPES = [
  'street-sweeper',
  'excavator',
  'mini-excavator',
  'sewer-camera',
  'aerial-lift',
  'mulcher',
  'slope-mower',
  'wheel-loader',
  'wood-chipper',
  'road-roller',
] as const;
const MACHINES = 300;
const STAFF = 150;
const BOOKINGS = 20_000;
const REQUESTS = 500;
const WEEKS = 26;
const TARGET_SECONDS = 60;
/** The time limit of a run when POST …/proposals names none. */
const API_DEFAULT_SECONDS = 10;
const TARGET_MB = 500;
const ZONE = 'Europe/Berlin';

export interface PlanningBenchResult {
  seconds: number;
  workerPeakMb: number;
  served: number;
  waiting: number;
  proposals: number;
  exactRequests: number;
  exactProvenRequests: number;
  subproblems: number;
  proven: number;
  findings: number;
  rows: string;
  ok: boolean;
}

interface Proc {
  pid: number;
  stop(): Promise<void>;
  output(): string;
}

/** Starts a built entry point (API or worker) against the database, queues on PostgreSQL. */
async function startProcess(main: string, databaseUrl: string, port?: number): Promise<Proc> {
  const file = path.join(ROOT, main);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['NODE_OPTIONS', 'DATABASE_URL', 'PORT', 'REDIS_URL'].includes(k),
    ),
  ) as Record<string, string>;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--experimental-vm-modules', '-r', './register-paths.js', file],
    {
      cwd: ROOT,
      env: {
        ...base,
        DATABASE_URL: databaseUrl,
        ALLMENDE_ADMIN_TOKEN: ADMIN_TOKEN,
        ALLMENDE_RATE_LIMIT: '1000000',
        ALLMENDE_DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        ...(port ? { PORT: String(port) } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const keep = (d: Buffer) => void (out = (out + d.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  if (port) {
    const until = Date.now() + 90_000;
    for (;;) {
      if (exited) throw new Error(`${main} exited during start-up:\n${out}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`${main} did not become healthy:\n${out}`);
      await sleep(250);
    }
  }
  return {
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** The region, straight into the database (as its owner): the bench measures planning, not seeding. */
async function seed(client: Client, from: DateTime, to: DateTime): Promise<string> {
  let step = 0;
  const db = {
    query: async <R extends object = Record<string, unknown>>(sql: string, params?: unknown[]) => {
      const t0 = Date.now();
      const result = await client.query<R>(sql, params);
      if (process.env.BENCH_VERBOSE) process.stderr.write(`  … seed step ${++step}: ${Date.now() - t0} ms\n`);
      return result;
    },
  };
  await db.query('SELECT setseed($1)', [1 / (env('BENCH_PLANNING_SEED', 1) + 1)]);
  await db.query(
    `INSERT INTO municipalities (name, ags, population, lat, lon)
     SELECT 'Gemeinde ' || lpad((i + 1)::text, 3, '0'), '06' || (700000 + i)::text,
            1500 + (i * 7919) % 20000, 50.9 + (i / 10) * 0.05, 9.5 + (i % 10) * 0.08
       FROM generate_series(0, $1 - 1) i`,
    [MUNICIPALITIES],
  );
  const pool = await db.query<{ id: string }>(
    `INSERT INTO pools (name, field_of_action, cost_sharing)
     VALUES ('Bauhof-Verbund Nordhessen', 'building-yard', '{"key":"population"}') RETURNING id`,
  );
  const poolId = pool.rows[0].id;
  await db.query(
    `INSERT INTO pool_members (pool_id, municipality_id, joined_on)
     SELECT $1, id, '2025-01-01' FROM municipalities`,
    [poolId],
  );
  await db.query(
    `CREATE UNLOGGED TABLE bench_towns AS
     SELECT row_number() OVER (ORDER BY ags) - 1 AS n, id FROM municipalities`,
  );
  await db.query(
    `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, hourly_rate_cents,
                            annual_fixed_cost_cents, transport_speed_kmh, required_qualification)
     SELECT $1, 'machine', t.type || ' ' || (i / $3 + 1), t.type, m.id, 6500, 1800000 + (i % 7) * 250000,
            CASE WHEN t.type IN ('sewer-camera', 'aerial-lift') THEN 60 ELSE 25 END,
            CASE WHEN t.type = 'sewer-camera' THEN 'sewer-camera-certified' END
       FROM generate_series(0, $2 - 1) i
       JOIN LATERAL (SELECT ($4::text[])[1 + i % $3] AS type) t ON true
       JOIN bench_towns m ON m.n = (i * 37) % $5`,
    [poolId, MACHINES, MACHINE_TYPES.length, MACHINE_TYPES, MUNICIPALITIES],
  );
  await db.query(
    `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, qualifications, weekly_hours, hourly_rate_cents)
     SELECT $1, 'staff', 'Fachkraft ' || (i + 1), 'operator', m.id,
            CASE WHEN i % 3 = 0 THEN ARRAY['sewer-camera-certified', 'licence-CE'] ELSE ARRAY['licence-CE'] END,
            39, 4500
       FROM generate_series(0, $2 - 1) i JOIN bench_towns m ON m.n = (i * 53) % $3`,
    [poolId, STAFF, MUNICIPALITIES],
  );
  const towns = (await db.query<{ id: string }>(`SELECT id FROM bench_towns ORDER BY n`)).rows.map(
    (r) => r.id,
  );
  const days = workingDays(from.toISODate()!, to.toISODate()!);
  await db.query('CREATE UNLOGGED TABLE bench_days (day date PRIMARY KEY)');
  await db.query('INSERT INTO bench_days SELECT unnest($1::date[])', [days]);
  // One booking per machine and day at most: the BOOKINGS slots drawn at random out of all of them.
  await db.query(
    `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                           blocked_start, blocked_end, status, priority, flexible_start, flexible_end)
     SELECT s.pool_id, s.resource_id, x.site, x.site, x.st, x.st + x.dur,
            CASE WHEN x.site = s.home THEN x.st ELSE x.st - interval '45 minutes' END, x.st + x.dur,
            'active', 'normal',
            CASE WHEN x.flexible THEN (s.day + time '06:00') AT TIME ZONE '${ZONE}' END,
            CASE WHEN x.flexible THEN (s.day + time '18:00') AT TIME ZONE '${ZONE}' END
       FROM (SELECT r.id AS resource_id, r.pool_id, r.home_municipality_id AS home, d.day
               FROM resources r CROSS JOIN bench_days d WHERE r.kind = 'machine'
              ORDER BY random() LIMIT $1) s
       CROSS JOIN LATERAL (
         SELECT ($2::uuid[])[1 + floor(random() * array_length($2::uuid[], 1))::int + 0 * extract(day from s.day)::int] AS site,
                ((s.day + time '07:00') AT TIME ZONE '${ZONE}') + floor(random() * 3) * interval '30 minutes' AS st,
                (2 + floor(random() * 7)) * interval '1 hour' AS dur,
                random() < 0.1 AS flexible
         OFFSET 0
       ) x`,
    [BOOKINGS, towns],
  );
  await db.query(
    `INSERT INTO waitlist_entries (pool_id, resource_type, municipality_id, site_municipality_id, start_at, end_at,
                                   reason, flexible_start, flexible_end)
     SELECT $1, x.type, x.town, x.town, x.st, x.st + x.dur, 'no-slot',
            CASE WHEN x.flexible THEN (date_trunc('week', x.day)::date + time '07:00') AT TIME ZONE '${ZONE}' END,
            CASE WHEN x.flexible
                 THEN (date_trunc('week', x.day)::date + 4 + time '16:00') AT TIME ZONE '${ZONE}' END
       FROM generate_series(1, $2) i
       CROSS JOIN LATERAL (
         SELECT d.day,
                ($3::text[])[1 + floor(random() * array_length($3::text[], 1))::int] AS type,
                ($4::uuid[])[1 + floor(random() * array_length($4::uuid[], 1))::int + 0 * i] AS town,
                ((d.day + time '07:00') AT TIME ZONE '${ZONE}') + floor(random() * 6) * interval '30 minutes' AS st,
                (2 + floor(random() * 5)) * interval '1 hour' AS dur,
                random() < 0.4 AS flexible
           FROM (SELECT ($5::date[])[1 + floor(random() * array_length($5::date[], 1))::int + 0 * i] AS day) d
         OFFSET 0
       ) x`,
    [poolId, REQUESTS, MACHINE_TYPES, towns, days],
  );
  await db.query('DROP TABLE bench_towns, bench_days');
  await db.query('VACUUM (ANALYZE)');
  return poolId;
}

interface RunBody {
  status: string;
  error: string | null;
  findings: unknown[];
  proposals: { kind: string; gain: { requestsServed: number } }[];
  exact: { subproblems: number; requests: number; windows: { requests: number; proven: boolean }[] } | null;
}

/**
 * A migrated database of the bench's own, renamed out of the test databases' namespace: on a
 * shared server, a clean-up of stale `allmende_test_*` databases must not end the bench halfway.
 */
async function benchDatabase(): Promise<TestDatabase> {
  const test = await createTestDatabase();
  const name = test.name.replace('allmende_test_', 'allmende_bench_planning_');
  const admin = new Client({ connectionString: test.url.replace(`/${test.name}`, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${test.name} RENAME TO ${name}`);
  } finally {
    await admin.end();
  }
  const url = test.url.replace(`/${test.name}`, `/${name}`);
  return {
    name,
    url,
    drop: async () => {
      const c = new Client({ connectionString: test.url.replace(`/${test.name}`, '/postgres') });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function planningBench(log: (line: string) => void): Promise<PlanningBenchResult> {
  const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
  const seconds = env('BENCH_PLANNING_SECONDS', API_DEFAULT_SECONDS);
  const db = await benchDatabase();
  let api: Proc | undefined;
  let worker: Proc | undefined;
  try {
    // Six months from next Monday: the plan lies ahead, as a coordinator's does.
    const from = DateTime.now().setZone(ZONE).startOf('week').plus({ weeks: 1 });
    const to = from.plus({ weeks: WEEKS });
    const client = new Client({ connectionString: db.url });
    client.on('error', () => undefined); // the statement's own error is thrown where it is awaited
    await client.connect();
    progress('planning: seeding 100 municipalities, 450 resources, 20,000 bookings, 500 requests');
    const loadStarted = Date.now();
    const poolId = await seed(client, from, to);
    const counts = await client.query<{ b: string; w: string }>(
      `SELECT (SELECT count(*) FROM bookings) b, (SELECT count(*) FROM waitlist_entries) w`,
    );
    await client.end();
    progress(`planning: seeded in ${fixed((Date.now() - loadStarted) / 1000)} s; starting API and worker`);
    const port = await freePort();
    api = await startProcess('dist/apps/api/src/main.js', db.url, port);
    worker = await startProcess('dist/apps/worker/src/main.js', db.url);
    const http = new ApiClient(port, 2);
    // Warm-up: a one-day diagnosis, answered once the worker is up and takes jobs.
    const day = { from: from.toISO()!, to: from.plus({ days: 1 }).toISO()! };
    for (let i = 0; ; i++) {
      const res = await http.request(
        'GET',
        `/pools/${poolId}/bottlenecks?from=${encodeURIComponent(day.from)}&to=${encodeURIComponent(day.to)}`,
      );
      if (res.status === 200) break;
      if (i > 20 || res.status >= 400)
        throw new Error(`warm-up diagnosis → ${res.status}: ${res.body}\n${worker.output()}`);
    }
    const rss = rssSampler(worker.pid, 100);
    const started = Date.now();
    const posted = await http.request('POST', `/pools/${poolId}/proposals`, {
      from: from.toISO(),
      to: to.toISO(),
      timeLimitSeconds: seconds,
    });
    if (posted.status !== 202) throw new Error(`POST proposals → ${posted.status}: ${posted.body}`);
    const runId = (JSON.parse(posted.body) as { id: string }).id;
    let run: RunBody | null = null;
    while (Date.now() - started < 10 * 60_000) {
      const res = await http.request('GET', `/solver-runs/${runId}`);
      const body = JSON.parse(res.body) as RunBody;
      if (body.status === 'done' || body.status === 'failed') {
        run = body;
        break;
      }
      await sleep(250);
    }
    const elapsed = (Date.now() - started) / 1000;
    const memory = rss.stop();
    if (!run) throw new Error(`the run did not finish in 10 minutes; worker output:\n${worker.output()}`);
    if (run.status === 'failed') throw new Error(`the run failed: ${run.error}\n${worker.output()}`);
    const timings = await (async () => {
      const c = new Client({ connectionString: db.url });
      await c.connect();
      try {
        const { rows } = await c.query<{ params: { timings?: Record<string, number> } }>(
          'SELECT params FROM solver_runs WHERE id = $1',
          [runId],
        );
        return rows[0]?.params.timings ?? {};
      } finally {
        await c.end();
      }
    })();
    const served = run.proposals
      .filter((p) => p.kind === 'reassignment')
      .reduce((s, p) => s + p.gain.requestsServed, 0);
    const windows = run.exact?.windows ?? [];
    const exactRequests = windows.reduce((s, w) => s + w.requests, 0);
    const exactProvenRequests = windows.filter((w) => w.proven).reduce((s, w) => s + w.requests, 0);
    const waiting = Number(counts.rows[0].w);
    const peak = Math.max(memory.peakMb, Number.isFinite(memory.hwmMb) ? memory.hwmMb : 0);
    // A run at region size must propose something: the waiting requests that fit are there.
    const ok = elapsed <= TARGET_SECONDS && peak <= TARGET_MB && run.proposals.length > 0;
    const rows = table(
      `Planning at the size of a region (${MUNICIPALITIES} municipalities, ${MACHINES} machines, ${STAFF} staff, ` +
        `${Number(counts.rows[0].b).toLocaleString('en')} bookings, ${waiting} waiting requests, ${WEEKS} weeks; ` +
        `run time limit ${seconds} s)`,
      ['figure', 'target', 'measured', 'verdict'],
      [
        [
          'POST …/proposals → run done',
          `≤ ${TARGET_SECONDS} s`,
          `${fixed(elapsed)} s`,
          verdict(elapsed <= TARGET_SECONDS),
        ],
        [
          'worker peak RSS during the run',
          `≤ ${TARGET_MB} MB`,
          `${fixed(peak, 0)} MB`,
          verdict(peak <= TARGET_MB),
        ],
        [
          "  … the worker's RSS just before the POST / sampled peak during the run",
          '',
          `${fixed(memory.series[0] ?? NaN, 0)} / ${fixed(memory.peakMb, 0)} MB`,
          '',
        ],
        [
          '  … of it: read the calendar / solve (thread) / store',
          '',
          `${fixed((timings.loadMs ?? NaN) / 1000)} / ${fixed((timings.solveMs ?? NaN) / 1000)} / ${fixed((timings.storeMs ?? NaN) / 1000)} s`,
          '',
        ],
        ['waiting requests served by the proposals', '', `${served} of ${waiting}`, ''],
        [
          'proposals (reassignments, trip orders, investments)',
          '> 0',
          String(run.proposals.length),
          verdict(run.proposals.length > 0),
        ],
        ['findings', '', String(run.findings.length), ''],
        [
          'exact step: windows solved / proven optimal',
          '',
          `${windows.length} / ${windows.filter((w) => w.proven).length}`,
          '',
        ],
        [
          "exact bound's coverage: waiting requests in solved windows / in proven ones",
          '',
          `${exactRequests} (${fixed((100 * exactRequests) / Math.max(1, waiting), 0)} %) / ${exactProvenRequests} (${fixed(
            (100 * exactProvenRequests) / Math.max(1, waiting),
            0,
          )} %)`,
          '',
        ],
      ],
    );
    log(rows);
    const size = `${MUNICIPALITIES} municipalities, ${BOOKINGS / 1000}k bookings, ${REQUESTS} requests, limit ${seconds} s`;
    const file = writeBenchResults('planning', [
      {
        size,
        metric: 'POST …/proposals → run done',
        value: elapsed,
        unit: 's',
        target: `≤ ${TARGET_SECONDS} s`,
        ok: elapsed <= TARGET_SECONDS,
      },
      {
        size,
        metric: 'worker peak RSS during the run',
        value: peak,
        unit: 'MB',
        target: `≤ ${TARGET_MB} MB`,
        ok: peak <= TARGET_MB,
      },
      {
        size,
        metric: 'proposals',
        value: run.proposals.length,
        unit: 'proposals',
        target: '> 0',
        ok: run.proposals.length > 0,
      },
      {
        size,
        metric: 'waiting requests served by the proposals',
        value: served,
        unit: `of ${waiting}`,
        target: '',
        ok: true,
      },
      {
        size,
        metric: "exact bound's coverage (requests in proven windows)",
        value: (100 * exactProvenRequests) / Math.max(1, waiting),
        unit: '%',
        target: '',
        ok: true,
      },
    ]);
    log(`figures: ${file}`);
    return {
      seconds: elapsed,
      workerPeakMb: peak,
      served,
      waiting,
      proposals: run.proposals.length,
      exactRequests,
      exactProvenRequests,
      subproblems: windows.length,
      proven: windows.filter((w) => w.proven).length,
      findings: run.findings.length,
      rows,
      ok,
    };
  } finally {
    await api?.stop();
    await worker?.stop();
    await db.drop().catch(() => undefined);
  }
}

if (require.main === module) {
  planningBench((line) => process.stdout.write(`${line}\n`)).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(
        `planning bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exit(1);
    },
  );
}
