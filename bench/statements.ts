/**
 * Statements benchmark (issue #10), part of `npm run bench` (alone: `npm run bench:statements`).
 *
 * A pool of 100 member municipalities and 1,000 machines, last month (Europe/Berlin) booked with
 * 1,000,000 bookings, each with recorded usage (each machine serves five neighbouring members;
 * four members join mid-month). Measured in the same run, on the same database:
 * - the bare aggregation: the usage summed per member and machine in one GROUP BY (as the app
 *   role, under row-level security, like the application);
 * - end to end, in a process of its own built like the worker (Nest context, database, cost-sharing
 *   module): the statements document of the month, then the monthly job (compute, finalize,
 *   100 numbered statements, 100 outbox events), and that process's peak RSS.
 * Targets: end to end ≤ 5 s and ≤ 3 × the bare aggregation; peak RSS ≤ 300 MB.
 *
 * A report, not a test: PASS/FAIL per target, exit 0 (1 only when the bench itself fails).
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { previousMonth } from '@allmende/cost-sharing';
import { USAGE_GROUPS_SQL, USAGE_QUERY_SETTINGS, usageParams } from '@allmende/database';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { rssSampler, table, fixed, verdict } from './bookings-support';
import { writeBenchResults } from './results-file';
import type { StatementsRunReport } from './statements-run-one';

const MEMBERS = 100;
const MACHINES = 1_000;
const BOOKINGS_PER_MACHINE = Number(process.env.BENCH_STATEMENT_BOOKINGS_PER_MACHINE ?? 1_000);
const TARGET_SECONDS = 5;
const TARGET_RATIO = 3;
const TARGET_RSS_MB = 300;
const TARGET_PDF_SECONDS = 10;
const APP_ROLE = 'allmende_app';

const log = (line: string) => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

async function seed(db: Client, period: ReturnType<typeof previousMonth>): Promise<string> {
  await db.query(
    `INSERT INTO municipalities (name, ags, population, lat, lon)
     SELECT 'Gemeinde ' || i, '07' || lpad(i::text, 6, '0'), 1000 + (i * 7919) % 49000,
            50.5 + (i % 10) * 0.08, 9.5 + (i / 10) * 0.08
       FROM generate_series(1, $1) AS i`,
    [MEMBERS],
  );
  const [pool] = (
    await db.query<{ id: string }>(
      `INSERT INTO pools (name, field_of_action, cost_sharing)
       VALUES ('Bench-Verbund', 'building-yard', '{"key":"mixed","mix":{"population":50,"usage":50},"annualOverheadCents":6500000}')
       RETURNING id`,
    )
  ).rows;
  const joined = `${period.year - 1}-01-01`;
  const midMonth = `${period.from.slice(0, 8)}10`;
  await db.query(
    `INSERT INTO pool_members (pool_id, municipality_id, joined_on)
     SELECT $1, m.id, CASE WHEN row_number() OVER (ORDER BY m.ags) > $4 - 4 THEN $3::date ELSE $2::date END
       FROM municipalities m WHERE m.ags LIKE '07%'`,
    [pool.id, joined, midMonth, MEMBERS],
  );
  await db.query(
    `INSERT INTO cost_sharing_agreements (pool_id, valid_from, terms)
     SELECT $1, $2, jsonb_build_object('key', 'mixed', 'mix', jsonb_build_object('population', 50, 'usage', 50),
              'annualOverheadCents', 6500000, 'coordinationHostMunicipalityId', id, 'transportRateCentsPerKm', 50)
       FROM municipalities WHERE ags = '07000001'`,
    [pool.id, joined],
  );
  await db.query(
    `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, hourly_rate_cents, per_use_cents,
                            annual_fixed_cost_cents)
     SELECT $1, 'machine', 'Maschine ' || i,
            (ARRAY['street-sweeper', 'excavator', 'sewer-camera', 'aerial-lift', 'mulcher'])[1 + i % 5],
            (SELECT id FROM municipalities WHERE ags = '07' || lpad((1 + i % $3)::text, 6, '0')),
            5000 + (i * 37) % 7000, 2000, 500000 + (i * 7717) % 2500000
       FROM generate_series(0, $2 - 1) AS i`,
    [pool.id, MACHINES, MEMBERS],
  );
  const slotMinutes = Math.floor(
    (period.toInstant.getTime() - period.fromInstant.getTime()) / 60_000 / BOOKINGS_PER_MACHINE,
  );
  const step = 100;
  for (let first = 0; first < MACHINES; first += step) {
    // Each machine serves five neighbouring members, in turn.
    await db.query(
      `WITH r AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS n FROM resources WHERE pool_id = $1),
            m AS (SELECT id, row_number() OVER (ORDER BY ags) - 1 AS n FROM municipalities WHERE ags LIKE '07%'),
            slots AS (
              SELECT r.id AS resource_id, k, $2::timestamptz + make_interval(mins => k * $5) AS start_at,
                     (SELECT m.id FROM m WHERE m.n = (r.n * 7 + (k % 5) * 13) % $6) AS booker
                FROM r CROSS JOIN generate_series(0, $4 - 1) AS k
               WHERE r.n >= $7 AND r.n < $7 + $8)
       INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                             blocked_start, blocked_end)
       SELECT $1, resource_id, booker, booker, start_at, start_at + make_interval(mins => $5 - 10),
              start_at, start_at + make_interval(mins => $5 - 10)
         FROM slots WHERE start_at < $3`,
      [
        pool.id,
        period.fromInstant,
        period.toInstant,
        BOOKINGS_PER_MACHINE,
        slotMinutes,
        MEMBERS,
        first,
        step,
      ],
    );
    progress(`bookings for machines ${first + step} of ${MACHINES}`);
  }
  await db.query(
    `INSERT INTO booking_usages (booking_id, operating_hours)
     SELECT id, round((extract(epoch FROM end_at - start_at) / 3600 * (0.7 + (hashtext(id::text) & 255) / 850.0))::numeric, 2)
       FROM bookings WHERE pool_id = $1`,
    [pool.id],
  );
  progress('usage recorded');
  await db.query('VACUUM ANALYZE');
  return pool.id;
}

const BARE_SQL = `SELECT b.municipality_id, b.resource_id, count(*), sum(u.operating_hours)
  FROM bookings b LEFT JOIN booking_usages u ON u.booking_id = b.id
 WHERE b.pool_id = $1 AND b.status = 'active' AND b.start_at >= $2 AND b.start_at < $3
 GROUP BY b.municipality_id, b.resource_id`;

/**
 * Median of three runs of a query, as the app role with the admin setting (under RLS), as the app
 * runs it: with the server's settings, or with `settings` (set for the transaction).
 */
async function timeQuery(
  db: Client,
  text: string,
  params: unknown[],
  settings: Readonly<Record<string, string>> = {},
): Promise<{ ms: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    await db.query('BEGIN');
    await db.query(`SELECT set_config('allmende.role', 'admin', true)`);
    for (const [name, value] of Object.entries(settings))
      await db.query(`SELECT set_config($1, $2, true)`, [name, value]);
    await db.query(`SET LOCAL ROLE ${APP_ROLE}`);
    const t = performance.now();
    rows = (await db.query(text, params)).rowCount ?? 0;
    times.push(performance.now() - t);
    await db.query('ROLLBACK');
  }
  return { ms: times.sort((a, b) => a - b)[1], rows };
}

function runChild(
  url: string,
  poolId: string,
): Promise<{ report: StatementsRunReport; sampledPeakMb: number }> {
  return new Promise((resolve, reject) => {
    const script = path.join(__dirname, 'statements-run-one.js');
    const child = execFile(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        '--experimental-vm-modules',
        '-r',
        path.join(__dirname, '../../register-paths.js'),
        script,
        url,
        poolId,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const sampled = sampler.stop();
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        resolve({
          report: JSON.parse(stdout.trim().split('\n').pop()!) as StatementsRunReport,
          sampledPeakMb: sampled.peakMb,
        });
      },
    );
    const sampler = rssSampler(child.pid!, 50);
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  let database: TestDatabase | undefined;
  let exitCode = 0;
  try {
    database = await createTestDatabase();
    const db = new Client({ connectionString: database.url, application_name: 'bench-statements' });
    await db.connect();
    const period = previousMonth(new Date());
    progress(`seeding ${(MACHINES * BOOKINGS_PER_MACHINE).toLocaleString('en')} bookings in ${period.label}`);
    const poolId = await seed(db, period);
    const [{ n }] = (
      await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM booking_usages u JOIN bookings b ON b.id = u.booking_id
          WHERE b.pool_id = $1 AND b.start_at >= $2 AND b.start_at < $3`,
        [poolId, period.fromInstant, period.toInstant],
      )
    ).rows;
    // The baseline is the bare aggregation at its fastest: with the server's settings (parallel
    // workers, JIT) or with the settings the application's usage query runs under.
    const bareParams = [poolId, period.fromInstant, period.toInstant];
    const bareDefault = await timeQuery(db, BARE_SQL, bareParams);
    const bareTuned = await timeQuery(db, BARE_SQL, bareParams, USAGE_QUERY_SETTINGS);
    const bare = bareDefault.ms <= bareTuned.ms ? bareDefault : bareTuned;
    const app = await timeQuery(
      db,
      USAGE_GROUPS_SQL,
      usageParams(poolId, [
        {
          from: period.fromInstant,
          to: period.toInstant,
          chargeBookedHours: true,
          transportRateCentsPerKm: 50,
        },
      ]),
      USAGE_QUERY_SETTINGS,
    );
    await db.end();
    progress('running the statements process');
    const { report, sampledPeakMb } = await runChild(database.url, poolId);
    const peak = Math.max(report.peakRssMb, sampledPeakMb);
    const ratio = report.monthlyRunMs / bare.ms;
    log(
      table(
        `Statements (issue #10): ${Number(n).toLocaleString('en')} usage records in ${period.label}, ${MEMBERS} members, ${MACHINES} machines`,
        ['figure', 'measured'],
        [
          [
            'bare aggregation (GROUP BY member, machine; median of 3), server settings',
            `${fixed(bareDefault.ms, 0)} ms (${bare.rows} groups)`,
          ],
          [
            '… the same with the usage query’s settings (the baseline is the faster)',
            `${fixed(bareTuned.ms, 0)} ms`,
          ],
          [
            'the application’s usage query alone (median of 3)',
            `${fixed(app.ms, 0)} ms (${app.rows} groups)`,
          ],
          ['statements document (compute + render JSON)', `${fixed(report.documentMs, 0)} ms`],
          [
            '  … its size',
            `${fixed(report.documentBytes / 1024 / 1024, 1)} MB, ${report.statements} statements, ${report.lines} lines`,
          ],
          ['monthly run end to end (compute, finalize, 100 events)', `${fixed(report.monthlyRunMs, 0)} ms`],
          ['worker-like process start (not counted)', `${fixed(report.bootMs, 0)} ms`],
          [
            `all ${report.statements} members' email attachments (PDF + XLSX), in turn`,
            `${fixed(report.attachmentsMs, 0)} ms`,
          ],
          [
            `all ${report.pdfs} member PDFs, in turn`,
            `${fixed(report.pdfMs, 0)} ms (${fixed(report.pdfBytes / report.pdfs / 1024, 0)} KB each)`,
          ],
          ['process peak RSS', `${fixed(peak)} MB`],
        ],
      ),
    );
    log(
      table(
        'Verdict (issue #10 statements targets)',
        ['target', 'measured', 'verdict'],
        [
          [
            `monthly run ≤ ${TARGET_SECONDS} s`,
            `${fixed(report.monthlyRunMs / 1000, 2)} s`,
            verdict(report.monthlyRunMs <= TARGET_SECONDS * 1000),
          ],
          [
            `monthly run ≤ ${TARGET_RATIO} × bare aggregation`,
            fixed(ratio, 2),
            verdict(ratio <= TARGET_RATIO),
          ],
          [
            `statements document ≤ ${TARGET_RATIO} × bare aggregation`,
            fixed(report.documentMs / bare.ms, 2),
            verdict(report.documentMs / bare.ms <= TARGET_RATIO),
          ],
          [
            `all ${report.pdfs} PDFs ≤ ${TARGET_PDF_SECONDS} s`,
            `${fixed(report.pdfMs / 1000, 2)} s`,
            verdict(report.pdfMs <= TARGET_PDF_SECONDS * 1000),
          ],
          [`worker peak RSS ≤ ${TARGET_RSS_MB} MB`, `${fixed(peak)} MB`, verdict(peak <= TARGET_RSS_MB)],
          ['monthly run issued the pool once', String(report.issuedPools), verdict(report.issuedPools === 1)],
        ],
      ),
    );
    const size = `${Math.round(Number(n) / 1000).toLocaleString('en')}k usage records, ${MEMBERS} members`;
    const file = writeBenchResults('statements', [
      { size, metric: 'bare aggregation', value: Math.round(bare.ms), unit: 'ms', target: '', ok: true },
      {
        size,
        metric: 'monthly run end to end',
        value: Math.round(report.monthlyRunMs),
        unit: 'ms',
        target: `≤ ${TARGET_SECONDS * 1000} ms`,
        ok: report.monthlyRunMs <= TARGET_SECONDS * 1000,
      },
      {
        size,
        metric: 'monthly run / bare aggregation',
        value: Math.round(ratio * 100) / 100,
        unit: '×',
        target: `≤ ${TARGET_RATIO}`,
        ok: ratio <= TARGET_RATIO,
      },
      {
        size,
        metric: 'statements document / bare aggregation',
        value: Math.round((report.documentMs / bare.ms) * 100) / 100,
        unit: '×',
        target: `≤ ${TARGET_RATIO}`,
        ok: report.documentMs / bare.ms <= TARGET_RATIO,
      },
      {
        size,
        metric: `all ${report.pdfs} member PDFs`,
        value: Math.round(report.pdfMs),
        unit: 'ms',
        target: `≤ ${TARGET_PDF_SECONDS * 1000} ms`,
        ok: report.pdfMs <= TARGET_PDF_SECONDS * 1000,
      },
      {
        size,
        metric: 'all members’ email attachments (PDF + XLSX)',
        value: Math.round(report.attachmentsMs),
        unit: 'ms',
        target: '',
        ok: true,
      },
      {
        size,
        metric: 'worker peak RSS',
        value: Math.round(peak),
        unit: 'MB',
        target: `≤ ${TARGET_RSS_MB} MB`,
        ok: peak <= TARGET_RSS_MB,
      },
    ]);
    log(`results: ${file}`);
    log(`\nstatements bench took ${fixed((Date.now() - started) / 1000, 0)} s`);
  } catch (e) {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    exitCode = 1;
  } finally {
    if (process.env.BENCH_KEEP && database) log(`kept ${database.url}`);
    else await database?.drop().catch(() => undefined);
  }
  process.exit(exitCode);
}

void main();
