import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Mailbox } from './support/mailbox';
import { commitBookingsWithEvents, pg, seedNotificationWorld } from './support/notification-world';
import { CLI, kill, Proc, sleep, start, until } from './support/faults';
import { assertBuilt, freePort, waitForHttp } from './support/processes';

/**
 * The embedded default (`npm start` without DATABASE_URL: PGlite, and the queues on BullMQ's
 * PostgreSQL backend in the same database) under faults, each test printing its counts: jobs
 * added long after the worker drained its queue are still picked up at once (issue #9: they used
 * to wait for a restart, because PGlite is one session and a NOTIFY reached the connection that
 * sent it, never the worker's LISTEN connection); the main job SIGKILLed mid-send and mid-write
 * comes back with every committed booking, nothing half-written and every e-mail sent once.
 */

const ADMIN = 'fault-admin-token-0123456789abcdef0123456789';

describe('the embedded default under faults', () => {
  // Real processes on a shared 2-core machine: starting them alone can take half a minute.
  jest.setTimeout(300_000);
  const mailbox = new Mailbox();
  let dataDir: string;
  let env: Record<string, string>;
  let port: number;
  let dbUrl: string;
  let main: Proc | undefined;

  beforeAll(() => assertBuilt());

  beforeEach(async () => {
    await mailbox.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-embedded-faults-'));
    port = await freePort();
    const dbPort = await freePort();
    dbUrl = `postgres://postgres@127.0.0.1:${dbPort}/postgres`;
    env = {
      ALLMENDE_DATA_DIR: dataDir,
      PORT: String(port),
      ALLMENDE_EMBEDDED_DB_PORT: String(dbPort),
      ALLMENDE_ADMIN_TOKEN: ADMIN,
      ALLMENDE_DEMO_DATA: 'false',
      ALLMENDE_RATE_LIMIT: '100000',
      SMTP_URL: mailbox.url,
    };
  });

  afterEach(async () => {
    if (main) await kill(main);
    main = undefined;
    await mailbox.stop();
    mailbox.received.length = 0;
    mailbox.hold = { count: 0, ms: 0 };
    mailbox.delayMs = 0;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const startMain = async (): Promise<Proc> => {
    main = start(CLI, env, ['start']);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 120_000, main);
    return main;
  };

  it('jobs queued long after the worker drained its queue are sent at once, not after a restart', async () => {
    await startMain();
    const w = await seedNotificationWorld(dbUrl, 2);
    const firstStart = new Date(Date.now() + 7 * 86_400_000);
    await commitBookingsWithEvents(dbUrl, w, 3, firstStart);
    await until('first wave', () => mailbox.received.length >= 3 * w.recipients.length, 30_000);
    const waves: string[] = [];
    for (let wave = 1; wave <= 3; wave++) {
      // Long enough for the worker to drain and block on its LISTEN wait (1.5 s does in
      // embedded-queue.e2e-spec.ts).
      await sleep(3000);
      const before = mailbox.received.length;
      const t0 = Date.now();
      await commitBookingsWithEvents(dbUrl, w, 10, new Date(firstStart.getTime() + wave * 86_400_000));
      await until(
        `wave ${wave}: 20 emails within 10 s`,
        () => mailbox.received.length >= before + 10 * w.recipients.length,
        10_000,
      );
      waves.push(`wave ${wave}: ${mailbox.received.length - before} emails in ${Date.now() - t0} ms`);
    }
    console.log(
      `[embedded] jobs after the first drain: ${waves.join('; ')}; ${mailbox.received.length} emails in all, ` +
        `${mailbox.duplicates().length} duplicates`,
    );
    expect(mailbox.duplicates()).toEqual([]);
    expect(mailbox.received).toHaveLength(33 * w.recipients.length);
  });

  it('the main job SIGKILLed mid-send: after the restart every e-mail arrives exactly once', async () => {
    await startMain();
    const w = await seedNotificationWorld(dbUrl, 2);
    mailbox.hold = { count: 1_000_000, ms: 6000 };
    const events = 20;
    await commitBookingsWithEvents(dbUrl, w, events, new Date(Date.now() + 7 * 86_400_000));
    await until('sends in flight', () => mailbox.holding >= 2, 30_000);
    await sleep(500);
    await kill(main!);
    mailbox.hold = { count: 0, ms: 0 };
    const atKill = mailbox.received.length;
    await startMain();
    const expected = events * w.recipients.length;
    await until(`${expected} emails`, () => mailbox.received.length >= expected, 90_000);
    await sleep(3000);
    const dup = mailbox.duplicates();
    console.log(
      `[embedded] main job SIGKILLed mid-send: ${events} events × ${w.recipients.length} recipients = ${expected} expected; ` +
        `${atKill} arrived before the kill, ${mailbox.received.length} in all, ${dup.length} duplicates`,
    );
    expect(dup).toEqual([]);
    expect(mailbox.received).toHaveLength(expected);
  });

  it('the main job SIGKILLed mid-write: it restarts with every committed booking and nothing half-written', async () => {
    await startMain();
    const w = await seedNotificationWorld(dbUrl, 1, 4);
    const base = Date.parse('2027-03-01T07:00:00+01:00');
    let sent = 0;
    const accepted: string[] = [];
    const post = async (i: number) => {
      sent++;
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
          body: JSON.stringify({
            resourceId: w.resourceIds[i % 4],
            municipalityId: w.municipalityId,
            start: new Date(base + Math.floor(i / 4) * 3_600_000).toISOString(),
            end: new Date(base + Math.floor(i / 4) * 3_600_000 + 3_000_000).toISOString(),
          }),
        });
        if (r.status === 201) accepted.push(((await r.json()) as { id: string }).id);
      } catch {
        // the process died under the request
      }
    };
    // 4 requests in flight until the kill, which comes once 30 bookings are committed.
    let stopped = false;
    const loops = Array.from({ length: 4 }, async (_, k) => {
      for (let i = k; !stopped; i += 4) await post(i);
    });
    await until('30 bookings accepted', () => accepted.length >= 30, 60_000);
    await kill(main!);
    stopped = true;
    await Promise.all(loops);
    await startMain();
    const rows = await pg<{ id: string; events: string; overlaps: string }>(
      dbUrl,
      `SELECT b.id,
              (SELECT count(*) FROM booking_events e WHERE e.booking_id = b.id AND e.kind = 'booking.created') AS events,
              (SELECT count(*) FROM bookings o WHERE o.resource_id = b.resource_id AND o.id <> b.id AND o.status = 'active'
                  AND tstzrange(o.blocked_start, o.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)) AS overlaps
         FROM bookings b`,
    );
    const ids = new Set(rows.map((r) => r.id));
    const lost = accepted.filter((id) => !ids.has(id));
    const halfWritten = rows.filter((r) => r.events !== '1');
    const overlaps = rows.filter((r) => r.overlaps !== '0');
    console.log(
      `[embedded] main job SIGKILLed mid-write: ${sent} requests, ${accepted.length} answered 201, ` +
        `${rows.length} bookings after the restart, ${lost.length} accepted but lost, ` +
        `${halfWritten.length} without their outbox event, ${overlaps.length} overlapping`,
    );
    expect(lost).toEqual([]);
    expect(halfWritten).toEqual([]);
    expect(overlaps).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(accepted.length);
    // And the restarted job takes new bookings.
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({
        resourceId: w.resourceIds[0],
        municipalityId: w.municipalityId,
        start: '2028-01-10T07:00:00+01:00',
        end: '2028-01-10T09:00:00+01:00',
      }),
    });
    expect(r.status).toBe(201);
  });
});
