import request from 'supertest';
import { DEMO_MACHINES, DEMO_MUNICIPALITIES, DEMO_STAFF, DEMO_USERS } from '@allmende/pools';
import { loadDemoData } from '../apps/cli/src/demo/load-demo-data';
import { previousMonth } from '@allmende/cost-sharing';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { sql, wakeOutbox } from './support/world';
import { countOf, until } from './support/faults';

describe('demo data (Werra-Meißner-Kreis)', () => {
  jest.setTimeout(300_000);
  let stack: TestStack;
  const tokens = new Map<string, string>();

  let summary: Awaited<ReturnType<typeof loadDemoData>>;
  // The demo's today is whatever today is: every assertion is relative to it.
  const now = new Date();

  beforeAll(async () => {
    // With a worker, as `npm start` runs it: the outbox is relayed while the region loads.
    stack = await startTestStack({ worker: true });
    // The app's clock is the demo's today too: the past is entered, and its usage recorded, as of it.
    stack.clock.set(now);
    summary = await loadDemoData(stack.api, 1, now);
    for (const u of summary?.users ?? []) tokens.set(u.email, u.token);
  });

  afterAll(async () => {
    await stack.close();
  });

  it('loads the region once, with the last months behind today, a season ahead and working demo tokens', async () => {
    expect(summary).not.toBeNull();
    expect(summary!.municipalities).toBe(DEMO_MUNICIPALITIES.length);
    expect(summary!.pools).toBe(2);
    expect(summary!.resources).toBe(DEMO_MACHINES.length + DEMO_STAFF.length);
    expect(summary!.bookings).toBeGreaterThan(250);
    expect(summary!.pastBookings).toBeGreaterThan(40);
    expect(summary!.usageRecorded).toBeGreaterThan(0);
    expect(summary!.usageRecorded).toBeLessThan(summary!.pastBookings);
    expect(summary!.users).toHaveLength(DEMO_USERS.length);
    expect(summary!.waitlisted).toBeGreaterThan(0);

    const manager = summary!.users.find((u) => u.role === 'yard-manager')!;
    const me = await request(stack.api.getHttpServer())
      .get('/api/v1/bookings?limit=5')
      .set('Authorization', `Bearer ${manager.token}`)
      .expect(200);
    expect(me.body.items.length).toBeGreaterThan(0);

    const [facts] = await sql<{
      past: number;
      past_open: number;
      with_usage: number;
      ahead: number;
      inspections_past: number;
    }>(
      stack,
      `SELECT (SELECT count(*)::int FROM bookings WHERE start_at < $1) AS past,
              (SELECT count(*)::int FROM bookings WHERE start_at < $1 AND end_at > $1) AS past_open,
              (SELECT count(*)::int FROM booking_usages) AS with_usage,
              (SELECT count(*)::int FROM bookings WHERE start_at >= $1) AS ahead,
              (SELECT count(*)::int FROM resources WHERE next_inspection_due <= $1::date) AS inspections_past`,
      [now.toISOString()],
    );
    // Operators' bookings come with their machines': at least as many rows as machine bookings.
    // The history is over by today: nothing runs into it, and only past bookings have usage.
    expect(facts.past).toBeGreaterThanOrEqual(summary!.pastBookings);
    expect(facts.past_open).toBe(0);
    expect(facts.with_usage).toBe(summary!.usageRecorded);
    expect(facts.inspections_past).toBe(0);
    expect(facts.ahead).toBeGreaterThanOrEqual(summary!.bookings);
    const waiting = await sql<{ start_at: Date }>(stack, `SELECT start_at FROM waitlist_entries`);
    expect(waiting.length).toBe(summary!.waitlisted);
    for (const w of waiting) {
      expect(w.start_at.getTime()).toBeGreaterThan(now.getTime());
      expect(w.start_at.getTime()).toBeLessThan(now.getTime() + 7 * 7 * 86_400_000);
    }

    expect(await loadDemoData(stack.api)).toBeNull();
  });

  it('tells nobody of its own bookings; reminders of the coming days reach the yard managers; a new booking is confirmed', async () => {
    await wakeOutbox(stack);
    const count = (text: string, params: unknown[] = []) => countOf(stack.db.url, text, params);
    await until(
      'the demo events fanned out',
      async () => (await count(`SELECT count(*) AS n FROM booking_events WHERE fanned_out_at IS NULL`)) === 0,
      120_000,
    );
    expect(await count(`SELECT count(*) AS n FROM notifications`)).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM booking_reminders WHERE user_id IS NOT NULL`),
    ).toBeGreaterThan(0);

    // The yard manager books a machine of the pool after the season: confirmed to them by e-mail.
    const manager = DEMO_USERS.find((u) => u.email === 'stefan.koch@eschwege.example')!;
    const auth = `Bearer ${tokens.get(manager.email)!}`;
    const me = await request(stack.api.getHttpServer())
      .get('/api/v1/me')
      .set('Authorization', auth)
      .expect(200);
    const [machine] = await sql<{ id: string }>(
      stack,
      `SELECT r.id FROM resources r JOIN pools p ON p.id = r.pool_id
        WHERE p.name LIKE 'Bauhof%' AND r.kind = 'machine' AND r.required_qualification IS NULL
        ORDER BY r.name LIMIT 1`,
    );
    // A Tuesday about 13 months on, after the season's twelve.
    const day = new Date(now.getTime() + 400 * 86_400_000);
    day.setUTCDate(day.getUTCDate() + ((9 - day.getUTCDay()) % 7));
    const date = day.toISOString().slice(0, 10);
    const booked = await request(stack.api.getHttpServer())
      .post('/api/v1/bookings')
      .set('Authorization', auth)
      .send({
        resourceId: machine.id,
        municipalityId: me.body.municipalityId,
        start: `${date}T08:00:00+01:00`,
        end: `${date}T10:00:00+01:00`,
      });
    expect(booked.status).toBe(201);
    await wakeOutbox(stack);
    await until(
      'the confirmation in the ledger',
      async () =>
        (await count(
          `SELECT count(*) AS n FROM notifications WHERE booking_id = $1 AND kind = 'booking-confirmed'
              AND recipient_email = $2`,
          [booked.body.id, manager.email],
        )) === 1,
      60_000,
    );
  });

  it('computes statements for its past months out of the box: finance its own, the coordinator the pool', async () => {
    const pools = await request(stack.api.getHttpServer())
      .get('/api/v1/pools')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    const yard = (pools.body.items as { id: string; name: string }[]).find((p) =>
      p.name.startsWith('Bauhof'),
    )!;
    const period = previousMonth(new Date()).label;
    const finance = DEMO_USERS.find((u) => u.role === 'finance' && u.email.endsWith('@eschwege.example'))!;
    const token = tokens.get(finance.email)!;
    const own = await request(stack.api.getHttpServer())
      .get(`/api/v1/pools/${yard.id}/statements?period=${period}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(own.body.statements.map((s: { municipalityName: string }) => s.municipalityName)).toEqual([
      'Eschwege',
    ]);
    const coordinator = DEMO_USERS.find(
      (u) => u.role === 'coordinator' && u.municipalityAgs === finance.municipalityAgs,
    )!;
    const all = await request(stack.api.getHttpServer())
      .get(`/api/v1/pools/${yard.id}/statements?period=${period}`)
      .set('Authorization', `Bearer ${tokens.get(coordinator.email)!}`)
      .expect(200);
    const statements = all.body.statements as {
      totalCents: number;
      netCents: number;
      usageCents: number;
      lines: { kind: string; usageEstimated?: boolean }[];
    }[];
    expect(statements).toHaveLength(DEMO_MUNICIPALITIES.length);
    expect(all.body.poolTotalCents).toBeGreaterThan(0);
    expect(statements.reduce((a, s) => a + s.totalCents, 0)).toBe(all.body.poolTotalCents);
    expect(statements.reduce((a, s) => a + s.netCents, 0)).toBe(0);
    expect(all.body.settlement.length).toBeGreaterThan(0);
    // Last month was booked: usage is charged, recorded for most bookings, estimated for the rest.
    expect(statements.reduce((a, s) => a + s.usageCents, 0)).toBeGreaterThan(0);
    const usageLines = statements.flatMap((s) => s.lines).filter((l) => l.kind === 'usage');
    expect(usageLines.some((l) => !l.usageEstimated)).toBe(true);
    expect(usageLines.some((l) => l.usageEstimated)).toBe(true);
  });
});
