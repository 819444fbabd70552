import { ChildProcess } from 'node:child_process';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { Mailbox } from './support/mailbox';
import {
  commitBookingsWithEvents,
  pg,
  seedDueReminders,
  seedNotificationWorld,
} from './support/notification-world';
import { API, Proc, redisUp, start, startRedis, stop, until, WORKER } from './support/faults';
import { assertBuilt, freePort, waitForHttp } from './support/processes';

/**
 * Fault tests of the notification side, with real processes killed by signal: each prints its
 * counts. Redis runs as a private redis-server on a free port, never the shared one. They take
 * about three minutes, so they run with `npm run test:faults` (and in .ci/run), not `npm test`.
 */

const ADMIN = 'fault-admin-token-0123456789abcdef0123456789';

describe('notification faults', () => {
  // Real processes on a shared 2-core machine: starting them alone can take half a minute.
  jest.setTimeout(300_000);
  let db: TestDatabase;
  const mailbox = new Mailbox();
  const procs: Proc[] = [];
  const redisProcs: ChildProcess[] = [];

  beforeAll(() => assertBuilt());

  beforeEach(async () => {
    db = await createTestDatabase();
    await mailbox.start();
  });

  afterEach(async () => {
    for (const p of procs.splice(0)) await stop(p);
    for (const r of redisProcs.splice(0)) r.kill('SIGKILL');
    await mailbox.stop();
    mailbox.received.length = 0;
    mailbox.hold = { count: 0, ms: 0 };
    mailbox.delayMs = 0;
    await db.drop();
  });

  const worker = (env: Record<string, string>) => {
    const p = start(WORKER, { DATABASE_URL: db.url, SMTP_URL: mailbox.url, ...env });
    procs.push(p);
    return p;
  };

  /**
   * Holds every message in DATA from now on, kills the worker once sends hang there (and the ones
   * accepted before the hold are marked sent), then lets the next worker's messages through.
   */
  const killMidSend = async (p: Proc) => {
    mailbox.hold = { count: 1_000_000, ms: 6000 };
    await until('sends in flight', () => mailbox.holding >= 3);
    await new Promise((r) => setTimeout(r, 500));
    p.child.kill('SIGKILL');
    await p.exited;
    mailbox.hold = { count: 0, ms: 0 };
  };

  const sentRows = async () =>
    Number(
      (await pg<{ n: string }>(db.url, `SELECT count(*) AS n FROM notifications WHERE status = 'sent'`))[0].n,
    );

  /** A private redis-server on a free port (never the shared one, whose other users we would disturb). */
  const privateRedis = async (): Promise<{ REDIS_URL: string; port: number }> => {
    const port = await freePort();
    redisProcs.push(startRedis(port));
    await redisUp(port);
    return { REDIS_URL: `redis://127.0.0.1:${port}`, port };
  };

  describe.each([
    ['redis', async () => ({ REDIS_URL: (await privateRedis()).REDIS_URL })],
    ['postgres', () => Promise.resolve({})],
  ] as const)('on the %s queue backend', (backend, queueEnv) => {
    it('a worker SIGKILLed in the middle of sending: the jobs come back, one email per (event, kind, recipient)', async () => {
      const w = await seedNotificationWorld(db.url, 2);
      const events = 20;
      await commitBookingsWithEvents(db.url, w, events, new Date(Date.now() + 7 * 86_400_000));
      const expected = events * w.recipients.length;
      // Every message hangs in DATA: the worker is in the middle of sending when it is killed.
      mailbox.hold = { count: 1_000_000, ms: 6000 };
      const env = await queueEnv();
      const first = worker(env);
      await killMidSend(first);
      const before = mailbox.received.length;
      worker(env);
      await until(`${expected} emails`, () => mailbox.received.length >= expected, 90_000);
      await new Promise((r) => setTimeout(r, 3000));
      const dup = mailbox.duplicates();
      console.log(
        `[${backend}] worker SIGKILLed mid-send: ${events} events × ${w.recipients.length} recipients = ${expected} expected; ` +
          `${before} arrived before the kill, ${mailbox.received.length} in all, ${dup.length} duplicates, ${await sentRows()} ledger rows sent`,
      );
      expect(dup).toEqual([]);
      expect(mailbox.received).toHaveLength(expected);
    });

    it('due reminders under load, the worker SIGKILLed mid-send: every reminder goes out once', async () => {
      const w = await seedNotificationWorld(db.url, 2, 10);
      const total = await seedDueReminders(db.url, w, 150, new Date(Date.now() + 1000), 2000);
      mailbox.delayMs = 5;
      const env = await queueEnv();
      const first = worker(env);
      await until('some reminders sent', () => mailbox.received.length >= 40);
      await killMidSend(first);
      worker(env);
      await until(`${total} reminders`, () => mailbox.received.length >= total, 90_000);
      await new Promise((r) => setTimeout(r, 3000));
      const dup = mailbox.duplicates();
      console.log(
        `[${backend}] reminders with a worker SIGKILLed under load: ${total} due, ${mailbox.received.length} arrived, ${dup.length} duplicates`,
      );
      expect(dup).toEqual([]);
      expect(mailbox.received).toHaveLength(total);
    });
  });

  it('the API killed between commit and enqueue: the relay still delivers every committed booking', async () => {
    const w = await seedNotificationWorld(db.url, 2);
    const port = await freePort();
    const redis = await privateRedis();
    const api = start(API, {
      DATABASE_URL: db.url,
      REDIS_URL: redis.REDIS_URL,
      PORT: String(port),
      ALLMENDE_ADMIN_TOKEN: ADMIN,
    });
    procs.push(api);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 60_000, api);
    const base = Date.parse('2027-02-01T07:00:00+01:00');
    const post = (i: number) =>
      fetch(`http://127.0.0.1:${port}/api/v1/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({
          resourceId: w.resourceIds[0],
          municipalityId: w.municipalityId,
          start: new Date(base + i * 86_400_000).toISOString(),
          end: new Date(base + i * 86_400_000 + 3_600_000).toISOString(),
        }),
      }).then(
        (r) => r.status,
        () => 0,
      );
    const answers: Promise<number>[] = [];
    for (let i = 0; i < 40; i++) answers.push(post(i));
    await until(
      'a few commits',
      async () => Number((await pg<{ n: string }>(db.url, `SELECT count(*) AS n FROM bookings`))[0].n) >= 5,
    );
    api.child.kill('SIGKILL');
    const statuses = await Promise.all(answers);
    const [c] = await pg<{ n: string }>(db.url, `SELECT count(*) AS n FROM bookings`);
    const committed = Number(c.n);
    const [u] = await pg<{ n: string }>(
      db.url,
      `SELECT count(*) AS n FROM booking_events WHERE delivered_at IS NULL`,
    );
    worker({ REDIS_URL: redis.REDIS_URL });
    const expected = committed * w.recipients.length;
    await until(`${expected} emails`, () => mailbox.received.length >= expected, 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    console.log(
      `API SIGKILLed under load: 40 requests, ${statuses.filter((s) => s === 201).length} answered 201, ${committed} committed, ` +
        `${u.n} events undelivered at the kill; ${mailbox.received.length} emails (${expected} expected), ${mailbox.duplicates().length} duplicates`,
    );
    expect(committed).toBeGreaterThanOrEqual(statuses.filter((s) => s === 201).length);
    expect(mailbox.duplicates()).toEqual([]);
    expect(mailbox.received).toHaveLength(expected);
  });

  it('Redis restarted under load (a private redis-server): every due reminder goes out once', async () => {
    const { port, REDIS_URL } = await privateRedis();
    const w = await seedNotificationWorld(db.url, 2, 10);
    const total = await seedDueReminders(db.url, w, 200, new Date(Date.now() + 1000), 3000);
    mailbox.delayMs = 10;
    const env = { REDIS_URL };
    worker(env);
    worker(env);
    await until('some reminders sent', () => mailbox.received.length >= 40);
    redisProcs[0].kill('SIGKILL');
    const atKill = mailbox.received.length;
    await new Promise((r) => setTimeout(r, 1500));
    redisProcs.push(startRedis(port));
    await redisUp(port);
    await until(`${total} reminders`, () => mailbox.received.length >= total, 90_000);
    await new Promise((r) => setTimeout(r, 3000));
    const dup = mailbox.duplicates();
    console.log(
      `Redis SIGKILLed and restarted empty under load (2 workers): ${total} reminders due, ${atKill} arrived before the restart, ` +
        `${mailbox.received.length} in all, ${dup.length} duplicates`,
    );
    expect(dup).toEqual([]);
    expect(mailbox.received).toHaveLength(total);
  });
});
