import { ChildProcess } from 'node:child_process';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { Mailbox } from './support/mailbox';
import {
  commitBookingsWithEvents,
  NotificationWorld,
  pg,
  seedDueReminders,
  seedNotificationWorld,
} from './support/notification-world';
import {
  ADMIN,
  Answer,
  API,
  Api,
  countOf,
  kill,
  once,
  OVERLAPS_SQL,
  Proc,
  redisUp,
  sleep,
  start,
  startRedis,
  stop,
  tally,
  until,
  WORKER,
} from './support/faults';
import { assertBuilt, freePort, waitForHttp } from './support/processes';

/**
 * Issue #14's fault suite on several processes: two API and two worker processes against the
 * local PostgreSQL (a fresh database per test) and a private redis-server on a free port (a test
 * restarts it; the shared one is never touched). Each test prints its counts.
 */

/** 503s answered (and retried as a client does, after Retry-After, at most 2 s here) so far. */
let retried = 0;

/**
 * One request as a well-behaved client sends it: a 503 (the database pool saturated) is retried
 * after its Retry-After, up to 8 times; every other answer is final.
 */
async function call(api: Api, method: string, path: string, body?: unknown): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const a = await once(api, method, path, body);
    if (a.status !== 503 || attempt === 8) return a;
    retried++;
    await sleep(Math.min(2000, Number(a.retryAfter ?? 1) * 1000) * (0.5 + Math.random()));
  }
}

describe('faults with 2 API and 2 worker processes', () => {
  // Real processes on a shared 2-core machine: starting them alone can take half a minute.
  jest.setTimeout(300_000);
  let db: TestDatabase;
  const mailbox = new Mailbox();
  const procs: Proc[] = [];
  let redis: ChildProcess;
  let redisPort: number;
  let apis: Api[];
  let w: NotificationWorld;

  beforeAll(() => assertBuilt());

  const env = () => ({
    DATABASE_URL: db.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SMTP_URL: mailbox.url,
    ALLMENDE_ADMIN_TOKEN: ADMIN,
    ALLMENDE_RATE_LIMIT: '1000000',
  });
  /** A worker, and once it has started (its metrics port answers) — a worker whose Redis vanishes while it starts exits. */
  const spawnWorker = (port?: number) => {
    const p = start(WORKER, port === undefined ? env() : { ...env(), WORKER_METRICS_PORT: String(port) });
    procs.push(p);
    return p;
  };
  const startWorker = async () => {
    const port = await freePort();
    const p = spawnWorker(port);
    await until(
      'the worker started',
      () =>
        fetch(`http://127.0.0.1:${port}/metrics`).then(
          () => true,
          () => {
            if (p.child.exitCode !== null) throw new Error(`the worker exited:\n${p.output()}`);
            return false;
          },
        ),
      120_000,
    );
    return p;
  };
  const startApi = async (): Promise<Api> => {
    const port = await freePort();
    const proc = start(API, { ...env(), PORT: String(port) });
    procs.push(proc);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 60_000, proc);
    return { proc, port };
  };

  beforeEach(async () => {
    db = await createTestDatabase();
    await mailbox.start();
    redisPort = await freePort();
    redis = startRedis(redisPort);
    await redisUp(redisPort);
    w = await seedNotificationWorld(db.url, 2, 20);
    apis = await Promise.all([startApi(), startApi()]);
    await Promise.all([startWorker(), startWorker()]);
  });

  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => stop(p)));
    redis.kill('SIGKILL');
    await mailbox.stop();
    mailbox.received.length = 0;
    mailbox.hold = { count: 0, ms: 0 };
    mailbox.delayMs = 0;
    await db.drop();
  });

  const booking = (machine: number, start: string, minutes: number) => ({
    resourceId: w.resourceIds[machine],
    municipalityId: w.municipalityId,
    start,
    end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
  });

  it('1. 2 × 200 concurrent overlapping booking requests: exactly one accepted per slot, 0 overlaps', async () => {
    const slots = 20;
    const base = Date.parse('2027-03-02T07:00:00+01:00');
    const requests = Array.from({ length: 400 }, (_, i) => {
      const slot = i % slots;
      const k = Math.floor(i / slots); // 0..19: each a different start inside the same two hours
      return call(
        apis[i % 2],
        'POST',
        '/bookings',
        booking(slot, new Date(base + k * 5 * 60_000).toISOString(), 120),
      ).then((a) => ({ slot, a }));
    });
    retried = 0;
    const answers = await Promise.all(requests);
    const perSlot = Array.from({ length: slots }, (_, s) =>
      answers.filter((x) => x.slot === s && x.a.status === 201),
    );
    const overlaps = await countOf(db.url, OVERLAPS_SQL);
    const rows = await countOf(db.url, `SELECT count(*) AS n FROM bookings WHERE status = 'active'`);
    console.log(
      `1. 400 overlapping requests on ${slots} slots through 2 APIs: ${tally(answers.map((x) => x.a.status))}; ` +
        `${retried} 503s retried; accepted per slot ${[...new Set(perSlot.map((p) => p.length))].join('/')}, ${rows} active bookings, ${overlaps} overlaps`,
    );
    expect(perSlot.map((p) => p.length)).toEqual(Array(slots).fill(1));
    expect(answers.every((x) => x.a.status === 201 || x.a.status === 409)).toBe(true);
    expect(rows).toBe(slots);
    expect(overlaps).toBe(0);
  });

  it('2. cancel and rebook racing on one slot: at most one active booking', async () => {
    const rounds = 15;
    const outcomes: number[] = [];
    let activeMax = 0;
    for (let r = 0; r < rounds; r++) {
      const start = new Date(Date.parse('2027-04-05T07:00:00+02:00') + r * 86_400_000).toISOString();
      const first = await call(apis[r % 2], 'POST', '/bookings', booking(0, start, 90));
      expect(first.status).toBe(201);
      const race = await Promise.all([
        call(apis[0], 'POST', `/bookings/${first.body.id}/cancel`),
        ...Array.from({ length: 8 }, (_, k) => call(apis[k % 2], 'POST', '/bookings', booking(0, start, 90))),
      ]);
      outcomes.push(...race.map((a) => a.status));
      const active = await countOf(
        db.url,
        `SELECT count(*) AS n FROM bookings WHERE resource_id = $1 AND start_at = $2 AND status = 'active'`,
        [w.resourceIds[0], start],
      );
      activeMax = Math.max(activeMax, active);
    }
    const overlaps = await countOf(db.url, OVERLAPS_SQL);
    console.log(
      `2. ${rounds} rounds of a cancel racing 8 rebooks through 2 APIs: ${tally(outcomes)}; ` +
        `at most ${activeMax} active booking per slot, ${overlaps} overlaps`,
    );
    expect(activeMax).toBeLessThanOrEqual(1);
    expect(overlaps).toBe(0);
    expect(outcomes.every((s) => [200, 201, 409].includes(s))).toBe(true);
  });

  it('4a. Redis restarted under booking load: no booking lost, every confirmation and reminder sent once', async () => {
    const reminders = await seedDueReminders(db.url, w, 100, new Date(Date.now() + 2000), 8000);
    mailbox.delayMs = 5;
    const answers: Answer[] = [];
    let stopped = false;
    const base = Date.parse('2027-06-07T06:00:00+02:00');
    let n = 0;
    const load = Array.from({ length: 4 }, async (_, k) => {
      while (!stopped && n < 160) {
        const i = n++;
        const start = new Date(base + Math.floor(i / 20) * 86_400_000).toISOString();
        answers.push(await call(apis[k % 2], 'POST', '/bookings', booking(i % 20, start, 60)));
      }
    });
    await until('40 bookings', () => answers.filter((a) => a.status === 201).length >= 40, 60_000);
    redis.kill('SIGKILL');
    await sleep(1500);
    redis = startRedis(redisPort);
    await redisUp(redisPort);
    await Promise.all(load);
    stopped = true;
    const accepted = answers.filter((a) => a.status === 201).map((a) => a.body.id!);
    const stored = await pg<{ id: string }>(db.url, `SELECT id FROM bookings WHERE start_at >= '2027-01-01'`);
    const lost = accepted.filter((id) => !stored.some((s) => s.id === id));
    const expected = reminders + stored.length * w.recipients.length;
    await until(`${expected} emails`, () => mailbox.received.length >= expected, 120_000).catch(
      () => undefined,
    );
    await sleep(3000);
    const dup = mailbox.duplicates();
    const ledger = await pg<{ status: string; n: string }>(
      db.url,
      `SELECT status, count(*) AS n FROM notifications GROUP BY status ORDER BY status`,
    );
    const undelivered = await countOf(
      db.url,
      `SELECT count(*) AS n FROM booking_events WHERE delivered_at IS NULL`,
    );
    console.log(
      `4a. Redis SIGKILLed and restarted under load (2 APIs, 2 workers): ${answers.length} requests (${tally(answers.map((a) => a.status))}), ` +
        `${stored.length} bookings stored, ${lost.length} accepted but lost; ${reminders} reminders due; ` +
        `${mailbox.received.length} emails of ${expected} expected, ${dup.length} duplicates ` +
        `(ledger: ${ledger.map((l) => `${l.n} ${l.status}`).join(', ')}; ${undelivered} events undelivered)`,
    );
    if (mailbox.received.length < expected) for (const p of procs) console.log(`${p.output().slice(-2500)}`);
    expect(lost).toEqual([]);
    expect(dup).toEqual([]);
    expect(mailbox.received).toHaveLength(expected);
  });

  it('5. workers restarted in a loop while the monthly statement run fires: one statement per member and period', async () => {
    // Four more members: five statements a period.
    await pg(
      db.url,
      `WITH m AS (INSERT INTO municipalities (name, ags, population, lat, lon)
                  SELECT 'Gemeinde ' || g, '0663600' || g, 2000 + g * 100, 51.1 + g / 100.0, 10.0 FROM generate_series(4, 7) g
                  RETURNING id)
       INSERT INTO pool_members (pool_id, municipality_id, joined_on) SELECT $1, id, '2025-01-01' FROM m`,
      [w.poolId],
    );
    const { Queue } = await import('bullmq');
    const queue = new Queue('statements', { connection: { host: '127.0.0.1', port: redisPort } });
    try {
      let restarts = 0;
      const fire = (async () => {
        for (let i = 0; i < 6; i++) {
          await queue.add('issue-monthly-statements', {}, { jobId: `fault-monthly-${i}` });
          await sleep(700);
        }
      })();
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline) {
        const running = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
        const victim = running.find((p) => p.child.spawnargs.includes(WORKER));
        if (victim) {
          await kill(victim);
          restarts++;
        }
        spawnWorker();
        await sleep(1200);
      }
      await fire;
      await until(
        'the 6 runs done',
        async () => (await queue.getJobCounts('completed')).completed >= 6,
        90_000,
      );
      const counts = await pg<{ period: string; municipality_id: string; n: string }>(
        db.url,
        `SELECT period, municipality_id, count(*) AS n FROM statements GROUP BY 1, 2`,
      );
      const failed = (await queue.getJobCounts('failed')).failed;
      console.log(
        `5. 6 monthly runs fired while ${restarts} workers were SIGKILLed and replaced: ` +
          `${counts.length} (member, period) pairs, statements each ${[...new Set(counts.map((c) => c.n))].join('/')}, ` +
          `periods ${[...new Set(counts.map((c) => c.period))].join(', ')}, ${failed} runs failed`,
      );
      expect(counts).toHaveLength(5);
      expect(counts.every((c) => c.n === '1')).toBe(true);
    } finally {
      await queue.close();
    }
  });

  it('6. SIGTERM during a job: the job finishes, nothing stalls', async () => {
    mailbox.hold = { count: 4, ms: 3000 };
    const events = 10;
    await commitBookingsWithEvents(db.url, w, events, new Date(Date.now() + 7 * 86_400_000));
    await until('a send in flight', () => mailbox.holding >= 1, 30_000);
    const workers = procs.filter((p) => p.child.spawnargs.includes(WORKER));
    const t0 = Date.now();
    for (const p of workers) p.child.kill('SIGTERM');
    const heldAtStop = mailbox.holding;
    // Nest closes the app (BullMQ waits for the active jobs), then re-raises the signal.
    const codes = (await Promise.all(workers.map((p) => p.exited))).map(
      (code, i) => code ?? workers[i].child.signalCode,
    );
    const stoppedMs = Date.now() - t0;
    const atStop = mailbox.received.length;
    const sendingAtStop = await countOf(
      db.url,
      `SELECT count(*) AS n FROM notifications WHERE status = 'sending'`,
    );
    await startWorker();
    const expected = events * w.recipients.length;
    await until(`${expected} emails`, () => mailbox.received.length >= expected, 60_000);
    await sleep(2000);
    const sending = await countOf(db.url, `SELECT count(*) AS n FROM notifications WHERE status = 'sending'`);
    console.log(
      `6. both workers SIGTERMed with ${heldAtStop} sends held in DATA for 3 s: ended (${codes.join('/')}) after ${stoppedMs} ms, ` +
        `${atStop} emails arrived by then, ${sendingAtStop} ledger rows left 'sending'; after a new worker: ` +
        `${mailbox.received.length} of ${expected}, ${mailbox.duplicates().length} duplicates, ${sending} 'sending'`,
    );
    expect(codes.every((c) => c === 0 || c === 'SIGTERM')).toBe(true);
    // The sends in flight completed before the processes let go: none left half-done.
    expect(atStop).toBeGreaterThanOrEqual(heldAtStop);
    expect(sendingAtStop).toBe(0);
    expect(mailbox.duplicates()).toEqual([]);
    expect(mailbox.received).toHaveLength(expected);
    expect(sending).toBe(0);
  });
  it('7. proposals applied while bookings keep arriving: each all or nothing, 0 overlaps', async () => {
    // 24 requests waiting for a street sweeper on 12 weekdays of March 2027, 08:00–10:00 and 10:30–12:30.
    const days = Array.from(
      { length: 12 },
      (_, d) => new Date(Date.parse('2027-03-01T00:00:00+01:00') + (d + Math.floor(d / 5) * 2) * 86_400_000),
    );
    const at = (day: Date, h: number, m = 0) => new Date(day.getTime() + (h * 60 + m) * 60_000).toISOString();
    const requests: string[] = [];
    for (const day of days)
      for (const [h, m] of [
        [8, 0],
        [10, 30],
      ] as const) {
        const r = await call(apis[0], 'POST', '/waitlist', {
          poolId: w.poolId,
          type: 'street-sweeper',
          municipalityId: w.municipalityId,
          start: at(day, h, m),
          end: at(day, h + 2, m),
        });
        expect(r.status).toBe(201);
        requests.push(r.body.id!);
      }
    const run = await call(apis[1], 'POST', `/pools/${w.poolId}/proposals`, {
      from: at(days[0], 0),
      to: at(days[days.length - 1], 24),
      timeLimitSeconds: 3,
    });
    expect(run.status).toBe(202);
    type Change = { requestId: string | null; toResourceId: string; toStart: string };
    type Proposal = { id: string; kind: string; changes: Change[] };
    let proposals: Proposal[] = [];
    await until(
      'the proposal run',
      async () => {
        const r = await fetch(`http://127.0.0.1:${apis[0].port}/api/v1/solver-runs/${run.body.id}`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        const body = (await r.json()) as { status: string; proposals: Proposal[] };
        proposals = body.proposals ?? [];
        return body.status === 'done' || body.status === 'failed';
      },
      120_000,
    );
    const serving = proposals.filter((p) => p.changes.some((c) => c.requestId));
    expect(serving.length).toBeGreaterThan(0);
    // Bookings keep arriving on the same days and machines while the proposals are applied.
    let stopped = false;
    const load: Answer[] = [];
    const loaders = Array.from({ length: 4 }, async (_, k) => {
      for (let i = k; !stopped; i += 4) {
        const day = days[i % days.length];
        load.push(await call(apis[i % 2], 'POST', '/bookings', booking(i % 20, at(day, 7 + (i % 5)), 120)));
      }
    });
    await sleep(300);
    const applied = await Promise.all(
      serving.map((p, i) => call(apis[i % 2], 'POST', `/proposals/${p.id}/apply`).then((a) => ({ p, a }))),
    );
    stopped = true;
    await Promise.all(loaders);
    const waiting = new Set(
      (await pg<{ id: string }>(db.url, `SELECT id FROM waitlist_entries WHERE status = 'waiting'`)).map(
        (r) => r.id,
      ),
    );
    const partial: string[] = [];
    for (const { p, a } of applied) {
      const ids = p.changes.map((c) => c.requestId).filter((x): x is string => !!x);
      const served = ids.filter((id) => !waiting.has(id)).length;
      if (a.status === 200 && served !== ids.length)
        partial.push(`${p.id} applied, ${served}/${ids.length} served`);
      if (a.status === 409 && served !== 0) partial.push(`${p.id} refused, ${served}/${ids.length} served`);
    }
    const overlaps = await countOf(db.url, OVERLAPS_SQL);
    console.log(
      `7. ${serving.length} proposals serving ${requests.length} waiting requests applied under ${load.length} concurrent creates ` +
        `(${tally(load.map((a) => a.status))}): applies ${tally(applied.map((x) => x.a.status))}; ` +
        `${partial.length} half-applied, ${overlaps} overlaps`,
    );
    expect(applied.every((x) => x.a.status === 200 || x.a.status === 409)).toBe(true);
    expect(partial).toEqual([]);
    expect(overlaps).toBe(0);
  });
});
