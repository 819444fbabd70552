/**
 * Notifications benchmark (issue #9), part of `npm run bench`.
 *
 * 10,000 reminders due in the same minute, two worker processes (the real `start:worker`, each
 * with its pool of SMTP connections), one local SMTP sink: emails per second and due-to-sent
 * latency (sink arrival minus the reminder's due time) p50/p99, beside the rate of the same sink
 * driven straight by nodemailer with the same number of connections, in the same run.
 *
 * Two runs: "at once" (all 10,000 due within the same second: the throughput against the raw
 * rate, and the latency of a full backlog) and "over the minute" (due times spread evenly over
 * the minute: the latency a reminder sees when the minute's load arrives as it falls due).
 *
 * A report, not a test: PASS/FAIL per target, exit 0 either way. Knobs: BENCH_REMINDERS (10000).
 * Redis is a private redis-server on a free port (never the shared one).
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { buildBookingCalendar, renderMessage, SMTP_POOL_CONNECTIONS } from '@allmende/notifications';
import { createTestDatabase } from '@allmende/testing';
import { fixed, freePort, percentile, ROOT, sleep, table, verdict } from './bookings-support';

const WORKER_MAIN = path.join(ROOT, 'dist/apps/worker/src/main.js');
const WORKERS = 2;
const REMINDERS = Number(process.env.BENCH_REMINDERS) > 0 ? Number(process.env.BENCH_REMINDERS) : 10_000;
const MACHINES = 20;

/** The sink: accepts everything, notes when each Message-ID arrived. */
class Sink {
  readonly arrivals = new Map<string, number>();
  count = 0;
  private server: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        let head = '';
        stream.on('data', (c: Buffer) => {
          if (head.length < 4096) head += c.toString('latin1');
        });
        stream.on('end', () => {
          const id = /^Message-ID:\s*<([^>]+)>/im.exec(head)?.[1];
          if (id) this.arrivals.set(id, Date.now());
          this.count++;
          callback();
        });
      },
    });
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function sampleMessage() {
  const booking = {
    id: '00000000-0000-4000-8000-000000000001',
    sequence: 0,
    status: 'active' as const,
    emergency: false,
    poolName: 'Bauhof-Verbund Ost',
    resourceName: 'Kehrmaschine 1',
    resourceKind: 'machine' as const,
    machineName: null,
    operatorNames: [],
    municipalityName: 'Eschwege',
    siteName: 'Eschwege',
    homeMunicipalityName: 'Eschwege',
    start: '2027-06-09T05:00:00Z',
    end: '2027-06-09T10:00:00Z',
    notes: null,
  };
  const words = renderMessage(
    'reminder',
    { type: 'booking', booking, audience: 'booker', offsetMinutes: 1440 },
    'de',
    'Yard 1',
  );
  const ics = buildBookingCalendar(booking, {
    method: 'REQUEST',
    organizer: { name: 'allmende', email: 'noreply@allmende.local' },
    attendee: { name: 'Yard 1', email: 'yard1@eschwege.example' },
    language: 'de',
  });
  return { words, ics };
}

/** The raw rate: nodemailer straight to the sink with the workers' total number of connections. */
async function rawRate(sink: Sink, messages: number): Promise<number> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: WORKERS * SMTP_POOL_CONNECTIONS,
    maxMessages: Infinity,
  });
  const { words, ics } = sampleMessage();
  let next = 0;
  const started = Date.now();
  const lane = async () => {
    while (next < messages) {
      const i = next++;
      await transport.sendMail({
        from: 'allmende <noreply@allmende.local>',
        to: 'yard1@eschwege.example',
        subject: words.subject,
        text: words.text,
        html: words.html,
        messageId: `<raw-${i}@allmende>`,
        icalEvent: { method: 'REQUEST', filename: 'invite.ics', content: ics },
      });
    }
  };
  await Promise.all(Array.from({ length: WORKERS * 16 }, lane));
  const seconds = (Date.now() - started) / 1000;
  transport.close();
  return messages / seconds;
}

function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
    {
      stdio: 'ignore',
    },
  );
}

function startWorker(env: Record<string, string>): { child: ChildProcess; output(): string } {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['NODE_OPTIONS', 'DATABASE_URL', 'REDIS_URL', 'SMTP_URL'].includes(k),
    ),
  );
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--experimental-vm-modules',
      '-r',
      './register-paths.js',
      WORKER_MAIN,
    ],
    {
      cwd: ROOT,
      env: { ...base, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function seed(db: Client, reminders: number): Promise<void> {
  const [m] = (
    await db.query<{ id: string }>(
      `INSERT INTO municipalities (name, ags, population, lat, lon) VALUES ('Eschwege', '06636003', 19500, 51.185, 10.056) RETURNING id`,
    )
  ).rows;
  const [p] = (
    await db.query<{ id: string }>(
      `INSERT INTO pools (name, field_of_action) VALUES ('Bauhof-Verbund Ost', 'building-yard') RETURNING id`,
    )
  ).rows;
  await db.query(
    `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES ($1, $2, '2025-01-01')`,
    [p.id, m.id],
  );
  const machines = (
    await db.query<{ id: string }>(
      `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id)
       SELECT $1, 'machine', 'Kehrmaschine ' || g, 'street-sweeper', $2 FROM generate_series(1, $3) g RETURNING id`,
      [p.id, m.id, MACHINES],
    )
  ).rows.map((r) => r.id);
  await db.query(
    `INSERT INTO users (email, name, role, municipality_id) VALUES ('yard1@eschwege.example', 'Yard 1', 'yard-manager', $1)`,
    [m.id],
  );
  // Bookings far enough ahead; their reminders are parked (due in a year) until a run sets their due time.
  await db.query(
    `WITH b AS (
       INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at, blocked_start, blocked_end)
       SELECT $1, ($2::uuid[])[1 + (g % $5)], $3, $3, s, s + interval '30 minutes', s, s + interval '30 minutes'
         FROM generate_series(0, $4 - 1) g,
              LATERAL (SELECT date_trunc('hour', now()) + interval '3 days' + ((g / $5) || ' hours')::interval AS s) t
       RETURNING id, start_at)
     INSERT INTO booking_reminders (booking_id, recipient_key, user_id, recipient_email, recipient_name, language,
                                    offset_minutes, start_at, due_at, status)
     SELECT b.id, 'user:' || u.id, u.id, u.email, u.name, 'de', 1440, b.start_at, now() + interval '1 year', 'pending'
       FROM b CROSS JOIN (SELECT id, email, name FROM users) u`,
    [p.id, machines, m.id, reminders, MACHINES],
  );
}

interface RunFigures {
  perSecond: number;
  p50: number;
  p99: number;
  seconds: number;
}

async function run(db: Client, sink: Sink, spreadMs: number): Promise<RunFigures> {
  await db.query(`DELETE FROM notifications`);
  await db.query(
    `UPDATE booking_reminders SET status = 'pending', claimed_at = NULL, due_at = now() + interval '1 year'`,
  );
  sink.arrivals.clear();
  sink.count = 0;
  const firstDue = Date.now() + 2000;
  await db.query(
    `UPDATE booking_reminders SET due_at = to_timestamp($1 / 1000.0) + (random() * $2) * interval '1 millisecond'`,
    [firstDue, spreadMs],
  );
  const deadline = Date.now() + 10 * 60_000;
  while (sink.count < REMINDERS) {
    if (Date.now() > deadline)
      throw new Error(`only ${sink.count} of ${REMINDERS} reminders arrived in 10 minutes`);
    await sleep(100);
  }
  const rows = (
    await db.query<{ id: string; due: string }>(
      `SELECT id, (extract(epoch FROM due_at) * 1000)::float8 AS due FROM notifications`,
    )
  ).rows;
  const latencies: number[] = [];
  let lastArrival = 0;
  for (const r of rows) {
    const at = sink.arrivals.get(`${r.id}@allmende`);
    if (at === undefined) continue;
    latencies.push((at - Number(r.due)) / 1000);
    lastArrival = Math.max(lastArrival, at);
  }
  const seconds = (lastArrival - firstDue) / 1000;
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    seconds,
  };
}

export async function benchNotifications(): Promise<string> {
  const db = await createTestDatabase();
  const sink = new Sink();
  await sink.start();
  const redisPort = await freePort();
  const redis = startRedis(redisPort);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const workers: ReturnType<typeof startWorker>[] = [];
  try {
    await seed(client, REMINDERS);
    await client.query('VACUUM ANALYZE');
    await sleep(500);
    const raw = await rawRate(sink, Math.min(REMINDERS, 5000));
    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        startWorker({
          DATABASE_URL: db.url,
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        }),
      );
    }
    await sleep(6000);
    for (const w of workers) if (w.child.exitCode !== null) throw new Error(`worker exited:\n${w.output()}`);
    const atOnce = await run(client, sink, 1000);
    const spread = await run(client, sink, 60_000);
    const ratio = atOnce.perSecond / raw;
    return table(
      `Notifications: ${REMINDERS.toLocaleString('en')} reminders due in one minute, ${WORKERS} worker processes × ${SMTP_POOL_CONNECTIONS} SMTP connections, local SMTP sink`,
      ['Figure', 'Target', 'Due at once (1 s)', 'Due over the minute', 'Verdict'],
      [
        ['emails/s through the workers', '', fixed(atOnce.perSecond, 0), fixed(spread.perSecond, 0), ''],
        [`raw nodemailer, ${WORKERS * SMTP_POOL_CONNECTIONS} connections`, '', fixed(raw, 0), '', ''],
        ['workers / raw', '≥ 0.5', fixed(ratio, 2), '', verdict(ratio >= 0.5)],
        ['due-to-sent p50 (s)', '', fixed(atOnce.p50, 2), fixed(spread.p50, 2), ''],
        ['due-to-sent p99 (s)', '≤ 5', fixed(atOnce.p99, 2), fixed(spread.p99, 2), verdict(spread.p99 <= 5)],
        ['first due to last sent (s)', '', fixed(atOnce.seconds, 1), fixed(spread.seconds, 1), ''],
      ],
    );
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await sleep(1000);
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    redis.kill('SIGKILL');
    await client.end();
    await sink.stop();
    await db.drop();
  }
}

if (require.main === module) {
  benchNotifications().then(
    (report) => {
      console.log(report);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
