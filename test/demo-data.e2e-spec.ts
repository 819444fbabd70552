import request from 'supertest';
import { DEMO_MACHINES, DEMO_MUNICIPALITIES, DEMO_STAFF, DEMO_USERS } from '@allmende/pools';
import { loadDemoData } from '../apps/cli/src/demo/load-demo-data';
import { startTestStack, TestStack } from './support/test-app';

describe('demo data (Werra-Meißner-Kreis)', () => {
  jest.setTimeout(300_000);
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack.close();
  });

  it('loads the region once, with a season of bookings and working demo tokens', async () => {
    const summary = await loadDemoData(stack.api);
    expect(summary).not.toBeNull();
    expect(summary!.municipalities).toBe(DEMO_MUNICIPALITIES.length);
    expect(summary!.pools).toBe(2);
    expect(summary!.resources).toBe(DEMO_MACHINES.length + DEMO_STAFF.length);
    expect(summary!.bookings).toBeGreaterThan(300);
    expect(summary!.users).toHaveLength(DEMO_USERS.length);
    expect(summary!.waitlisted).toBeGreaterThan(0);

    const manager = summary!.users.find((u) => u.role === 'yard-manager')!;
    const me = await request(stack.api.getHttpServer())
      .get('/api/v1/bookings?limit=5')
      .set('Authorization', `Bearer ${manager.token}`)
      .expect(200);
    expect(me.body.items.length).toBeGreaterThan(0);

    expect(await loadDemoData(stack.api)).toBeNull();
  });
});
