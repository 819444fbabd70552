import request from 'supertest';
import { DEMO_MACHINES, DEMO_MUNICIPALITIES, DEMO_STAFF, DEMO_USERS } from '@allmende/pools';
import { loadDemoData } from '../apps/cli/src/demo/load-demo-data';
import { startTestStack, TestStack } from './support/test-app';
import { sql } from './support/world';

describe('demo data (Werra-Meißner-Kreis)', () => {
  jest.setTimeout(300_000);
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  it('loads the region once, with a season of bookings ahead of today and working demo tokens', async () => {
    // The demo's today is whatever today is: every assertion is relative to it.
    const now = new Date();
    const summary = await loadDemoData(stack.api, 1, now);
    expect(summary).not.toBeNull();
    expect(summary!.municipalities).toBe(DEMO_MUNICIPALITIES.length);
    expect(summary!.pools).toBe(2);
    expect(summary!.resources).toBe(DEMO_MACHINES.length + DEMO_STAFF.length);
    expect(summary!.bookings).toBeGreaterThan(250);
    expect(summary!.users).toHaveLength(DEMO_USERS.length);
    expect(summary!.waitlisted).toBeGreaterThan(0);

    const manager = summary!.users.find((u) => u.role === 'yard-manager')!;
    const me = await request(stack.api.getHttpServer())
      .get('/api/v1/bookings?limit=5')
      .set('Authorization', `Bearer ${manager.token}`)
      .expect(200);
    expect(me.body.items.length).toBeGreaterThan(0);

    const [facts] = await sql<{ past: number; ahead: number; inspections_past: number }>(
      stack,
      `SELECT (SELECT count(*)::int FROM bookings WHERE start_at < $1) AS past,
              (SELECT count(*)::int FROM bookings WHERE start_at >= $1) AS ahead,
              (SELECT count(*)::int FROM resources WHERE next_inspection_due <= $1::date) AS inspections_past`,
      [now.toISOString()],
    );
    // Operators' bookings come with their machines': at least as many rows as machine bookings.
    expect(facts.past).toBe(0);
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
});
