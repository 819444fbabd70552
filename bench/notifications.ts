/**
 * Notifications benchmark (issue #9), part of `npm run bench`.
 *
 * 10,000 reminders due in the same minute, two worker processes (the real `start:worker`, each
 * with its pool of SMTP connections), one local SMTP sink: emails per second and due-to-sent
 * latency (sink arrival minus the reminder's due time) p50/p99, beside the rate of the same sink
 * driven straight by nodemailer with the same number of connections, in the same run (measured
 * before the workers start and again after their first run; the ratio takes the mean).
 *
 * Two runs: "at once" (all 10,000 due within the same second: the throughput against the raw
 * rate, and the latency of a full backlog) and "over the minute" (due times spread evenly over
 * the minute: the latency a reminder sees when the minute's load arrives as it falls due).
 *
 * Then booking changes under normal load (EVENTS changes, EVENT_RATE a second, each committed
 * with its outbox event as the API does): event-to-email latency (sink arrival minus the commit)
 * p50/p99, through the outbox relay (woken by LISTEN/NOTIFY after the commit), the fan-out and the send.
 *
 * A report, not a test: PASS/FAIL per target, exit 0 either way. Knobs: BENCH_REMINDERS (10000).
 * Figures also go to bench/results/notifications.json.
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
import { OUTBOX_WAKE_SQL } from '@allmende/database';
import { createTestDatabase } from '@allmende/testing';
import { fixed, freePort, percentile, ROOT, sleep, table, verdict } from './bookings-support';
import { writeBenchResults } from './results-file';

const WORKER_MAIN = path.join(ROOT, 'dist/apps/worker/src/main.js');
const WORKERS = 2;
const REMINDERS = Number(process.env.BENCH_REMINDERS) > 0 ? Number(process.env.BENCH_REMINDERS) : 10_000;
const MACHINES = 20;
/** Booking changes of the event run, and how many a second ("normal load"). */
const EVENTS = 200;
const EVENT_RATE = 5;

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

/**
 * Booking changes as the API makes them: the booking moved a quarter hour (its sequence up) and
 * its outbox event, in one transaction; latency from the commit to the email's arrival.
 */
async function eventRun(db: Client, sink: Sink): Promise<{ p50: number; p99: number; emails: number }> {
  const bookings = (
    await db.query<{ id: string; municipality_id: string }>(
      `SELECT id, municipality_id FROM bookings ORDER BY start_at DESC LIMIT $1`,
      [EVENTS],
    )
  ).rows;
  const committed = new Map<string, number>();
  const started = Date.now();
  for (const [i, b] of bookings.entries()) {
    const wait = started + (i * 1000) / EVENT_RATE - Date.now();
    if (wait > 0) await sleep(wait);
    await db.query('BEGIN');
    await db.query(
      `UPDATE bookings SET start_at = start_at + interval '15 minutes', end_at = end_at + interval '15 minutes',
              blocked_start = blocked_start + interval '15 minutes', blocked_end = blocked_end + interval '15 minutes',
              sequence = sequence + 1, updated_at = now()
        WHERE id = $1`,
      [b.id],
    );
    const [e] = (
      await db.query<{ id: string }>(
        `INSERT INTO booking_events (booking_id, municipality_id, kind, payload)
         VALUES ($1, $2, 'booking.rescheduled', '{}') RETURNING id`,
        [b.id, b.municipality_id],
      )
    ).rows;
    await db.query('COMMIT');
    committed.set(String(e.id), Date.now());
    await db.query(OUTBOX_WAKE_SQL); // as the API does once its work has committed
  }
  const ids = [...committed.keys()];
  const deadline = Date.now() + 120_000;
  for (;;) {
    const rows = (
      await db.query<{ id: string; event_id: string }>(
        `SELECT id, event_id::text FROM notifications WHERE event_id = ANY($1::bigint[])`,
        [ids],
      )
    ).rows;
    const events = new Set(rows.map((r) => r.event_id));
    if (events.size === ids.length && rows.every((r) => sink.arrivals.has(`${r.id}@allmende`))) {
      const latencies = rows.map(
        (r) => (sink.arrivals.get(`${r.id}@allmende`)! - committed.get(r.event_id)!) / 1000,
      );
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), emails: rows.length };
    }
    if (Date.now() > deadline)
      throw new Error(`event run: ${events.size} of ${ids.length} events fanned out in 2 minutes`);
    await sleep(200);
  }
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
    // The raw rate before the workers start and again after their "at once" run (the machine
    // drifts by tens of percent from minute to minute): the ratio takes the mean of the two.
    const rawBefore = await rawRate(sink, Math.min(REMINDERS, 5000));
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
    const rawAfter = await rawRate(sink, Math.min(REMINDERS, 5000));
    const raw = (rawBefore + rawAfter) / 2;
    const spread = await run(client, sink, 60_000);
    const events = await eventRun(client, sink);
    const ratio = atOnce.perSecond / raw;
    const size = `${Math.round(REMINDERS / 1000)}k reminders`;
    const file = writeBenchResults('notifications', [
      {
        size,
        metric: 'emails/s through the workers, due at once',
        value: Math.round(atOnce.perSecond),
        unit: '/s',
        target: '',
        ok: true,
      },
      {
        size,
        metric: `raw nodemailer rate, ${WORKERS * SMTP_POOL_CONNECTIONS} connections, mean of before and after`,
        value: Math.round(raw),
        unit: '/s',
        target: '',
        ok: true,
      },
      {
        size,
        metric: 'workers / raw',
        value: Math.round(ratio * 100) / 100,
        unit: '×',
        target: '≥ 0.5',
        ok: ratio >= 0.5,
      },
      {
        size,
        metric: 'due-to-sent p50, due over the minute',
        value: Math.round(spread.p50 * 100) / 100,
        unit: 's',
        target: '',
        ok: true,
      },
      {
        size,
        metric: 'due-to-sent p99, due over the minute',
        value: Math.round(spread.p99 * 100) / 100,
        unit: 's',
        target: '≤ 5 s',
        ok: spread.p99 <= 5,
      },
      {
        size,
        metric: 'due-to-sent p99, due at once',
        value: Math.round(atOnce.p99 * 100) / 100,
        unit: 's',
        target: '',
        ok: true,
      },
      {
        size: `${EVENTS} changes at ${EVENT_RATE}/s`,
        metric: 'event-to-email p50',
        value: Math.round(events.p50 * 100) / 100,
        unit: 's',
        target: '',
        ok: true,
      },
      {
        size: `${EVENTS} changes at ${EVENT_RATE}/s`,
        metric: 'event-to-email p99',
        value: Math.round(events.p99 * 100) / 100,
        unit: 's',
        target: '≤ 5 s',
        ok: events.p99 <= 5,
      },
    ]);
    return `${table(
      `Notifications: ${REMINDERS.toLocaleString('en')} reminders due in one minute, ${WORKERS} worker processes × ${SMTP_POOL_CONNECTIONS} SMTP connections, local SMTP sink`,
      ['Figure', 'Target', 'Due at once (1 s)', 'Due over the minute', 'Verdict'],
      [
        ['emails/s through the workers', '', fixed(atOnce.perSecond, 0), fixed(spread.perSecond, 0), ''],
        [
          `raw nodemailer, ${WORKERS * SMTP_POOL_CONNECTIONS} connections (mean of before / after)`,
          '',
          `${fixed(raw, 0)} (${fixed(rawBefore, 0)} / ${fixed(rawAfter, 0)})`,
          '',
          '',
        ],
        ['workers / raw', '≥ 0.5', fixed(ratio, 2), '', verdict(ratio >= 0.5)],
        ['due-to-sent p50 (s)', '', fixed(atOnce.p50, 2), fixed(spread.p50, 2), ''],
        ['due-to-sent p99 (s)', '≤ 5', fixed(atOnce.p99, 2), fixed(spread.p99, 2), verdict(spread.p99 <= 5)],
        ['first due to last sent (s)', '', fixed(atOnce.seconds, 1), fixed(spread.seconds, 1), ''],
      ],
    )}\n${table(
      `Booking changes under normal load: ${EVENTS} changes at ${EVENT_RATE} a second (${events.emails} emails), outbox → relay → fan-out → SMTP`,
      ['Figure', 'Target', 'Measured', 'Verdict'],
      [
        ['event-to-email p50 (s)', '', fixed(events.p50, 2), ''],
        ['event-to-email p99 (s)', '≤ 5', fixed(events.p99, 2), verdict(events.p99 <= 5)],
      ],
    )}\nresults: ${file}`;
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
