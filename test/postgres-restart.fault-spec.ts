import { ChildProcess } from 'node:child_process';
import { Mailbox } from './support/mailbox';
import { pg, seedNotificationWorld } from './support/notification-world';
import {
  ADMIN,
  Answer,
  API,
  Api,
  countOf,
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
import { PrivatePostgres } from './support/private-postgres';
import { assertBuilt, freePort, waitForHttp } from './support/processes';

/**
 * Issue #14, fault 4b: PostgreSQL stopped and started again under booking load, with 2 API and 2
 * worker processes on a private cluster (initdb under a temporary folder, its own port: the shared
 * server is never restarted). While it is away a request gets only a retriable answer (503 with
 * Retry-After), nothing is half-written, and the same processes serve again once it is back.
 */
describe('PostgreSQL restarted under load (a private cluster)', () => {
  // Real processes on a shared 2-core machine: starting them alone can take half a minute.
  jest.setTimeout(300_000);
  const mailbox = new Mailbox();
  const procs: Proc[] = [];
  let server: PrivatePostgres;
  let redis: ChildProcess;

  beforeAll(async () => {
    assertBuilt();
    server = PrivatePostgres.create(await freePort());
    server.start();
    server.createDatabase('allmende');
    await mailbox.start();
    const redisPort = await freePort();
    redis = startRedis(redisPort);
    await redisUp(redisPort);
    const env = {
      DATABASE_URL: server.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SMTP_URL: mailbox.url,
      ALLMENDE_ADMIN_TOKEN: ADMIN,
      ALLMENDE_RATE_LIMIT: '1000000',
      // The production default is 60 s; a lease longer than the outage lets a sender whose message
      // the server accepted as PostgreSQL went away keep trying to mark it sent until it is back.
      ALLMENDE_MAIL_LEASE_SECONDS: '20',
    };
    apis.push(
      ...(await Promise.all(
        [0, 1].map(async () => {
          const port = await freePort();
          const proc = start(API, { ...env, PORT: String(port) });
          procs.push(proc);
          await waitForHttp(`http://127.0.0.1:${port}/health`, 90_000, proc);
          return { proc, port };
        }),
      )),
    );
    // At info level a worker says 'worker ready' once its queues and schedules are running.
    workers.push(start(WORKER, { ...env, LOG_LEVEL: 'info' }), start(WORKER, { ...env, LOG_LEVEL: 'info' }));
    procs.push(...workers);
  });

  const workers: Proc[] = [];

  const apis: Api[] = [];

  afterAll(async () => {
    await Promise.all(procs.map((p) => stop(p)));
    redis?.kill('SIGKILL');
    await mailbox.stop();
    server?.destroy();
  });

  it('4b. only 503 with Retry-After while it is away, no partial writes, the processes recover without a restart', async () => {
    const w = await seedNotificationWorld(server.url, 2, 20);
    // The workers are up first (a worker that cannot reach the database at start-up exits by design).
    // A pool connection alone is not enough: one worker holds several while the other still migrates.
    await until(
      'the workers ready',
      () => workers.every((p) => p.output().includes('worker ready')),
      120_000,
    );
    const base = Date.parse('2027-09-06T06:00:00+02:00');
    const answers: (Answer & { phase: string; api: number })[] = [];
    let phase = 'before';
    let n = 0;
    let stopped = false;
    const load = Array.from({ length: 4 }, async (_, k) => {
      while (!stopped) {
        const i = n++;
        answers.push({
          phase,
          api: k % 2,
          ...(await once(apis[k % 2], 'POST', '/bookings', {
            resourceId: w.resourceIds[i % 20],
            municipalityId: w.municipalityId,
            start: new Date(base + Math.floor(i / 20) * 86_400_000).toISOString(),
            end: new Date(base + Math.floor(i / 20) * 86_400_000 + 3_600_000).toISOString(),
          })),
        });
        if (phase === 'away') await sleep(50);
      }
    });
    await until('30 bookings', () => answers.filter((a) => a.status === 201).length >= 30, 60_000);
    phase = 'away';
    server.stop('fast');
    await sleep(4000);
    server.start();
    phase = 'back';
    const backAt = answers.length;
    await until(
      '20 bookings through each API after the restart',
      () =>
        [0, 1].every(
          (k) => answers.slice(backAt).filter((a) => a.status === 201 && a.api === k).length >= 20,
        ),
      90_000,
    );
    stopped = true;
    await Promise.all(load);
    const during = answers.filter((a) => a.phase !== 'before' && a.status !== 201);
    const bad = answers.filter((a) => a.status !== 201 && !(a.status === 503 && a.retryAfter));
    const accepted = answers.filter((a) => a.status === 201).map((a) => a.body.id!);
    const rows = await pg<{ id: string; events: string }>(
      server.url,
      `SELECT b.id, (SELECT count(*) FROM booking_events e WHERE e.booking_id = b.id AND e.kind = 'booking.created') AS events
         FROM bookings b`,
    );
    const lost = accepted.filter((id) => !rows.some((r) => r.id === id));
    const halfWritten = rows.filter((r) => r.events !== '1');
    const overlaps = await countOf(server.url, OVERLAPS_SQL);
    const alive = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null).length;
    const expected = rows.length * w.recipients.length;
    await until(`${expected} emails`, () => mailbox.received.length >= expected, 120_000).catch(
      () => undefined,
    );
    const ledger = await pg<{ status: string; n: string }>(
      server.url,
      `SELECT status, count(*) AS n FROM notifications GROUP BY status ORDER BY status`,
    );
    const undelivered = await countOf(
      server.url,
      `SELECT count(*) AS n FROM booking_events WHERE delivered_at IS NULL`,
    );
    await sleep(2000);
    console.log(
      `4b. PostgreSQL stopped for 4 s under load (2 APIs, 2 workers): ${answers.length} requests ` +
        `(before: ${tally(answers.filter((a) => a.phase === 'before').map((a) => a.status))}; ` +
        `away and after: ${tally(answers.filter((a) => a.phase !== 'before').map((a) => a.status))}), ` +
        `${during.filter((a) => a.retryAfter).length} of ${during.length} refusals with Retry-After, ${bad.length} other answers; ` +
        `${rows.length} bookings stored, ${lost.length} accepted but lost, ${halfWritten.length} without their event, ` +
        `${overlaps} overlaps; ${alive} of 4 processes still the same; ${mailbox.received.length} emails of ${expected}, ` +
        `${mailbox.duplicates().length} duplicates (ledger: ${ledger.map((l) => `${l.n} ${l.status}`).join(', ')}; ${undelivered} events undelivered)`,
    );
    if (bad.length) console.log(procs[0].output().slice(0, 6000));
    for (const p of procs.slice(2))
      if (p.child.exitCode !== null || p.child.signalCode !== null)
        console.log(`worker ended (${p.child.exitCode ?? p.child.signalCode}):\n${p.output().slice(-3000)}`);
    expect(bad.map((a) => a.status)).toEqual([]);
    expect(lost).toEqual([]);
    expect(halfWritten).toEqual([]);
    expect(overlaps).toBe(0);
    expect(alive).toBe(4);
    // Every booking's e-mails go out, once: a send the server accepted while PostgreSQL went away
    // is marked sent when it is back (the sender retries the mark within its lease).
    expect(new Set(mailbox.received.map((r) => `${r.to} ${r.mail.messageId}`)).size).toBe(expected);
    expect(mailbox.duplicates()).toEqual([]);
  });
});
