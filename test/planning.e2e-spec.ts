import request from 'supertest';
import { startTestStack, TestStack } from './support/test-app';
import { adminAuth, Region, seedRegion } from './support/seed';

interface Bound {
  subproblems: number;
  requests: number;
  served: number;
  servableBound: number;
  proven: boolean;
}

interface RunBody {
  id: string;
  status: string;
  findings: { kind: string; text: { de: string; en: string } }[];
  proposals: {
    id: string;
    kind: string;
    changes: { requestId?: string; toResourceId: string }[];
    explanation: { de: string; en: string };
    bound: Bound | null;
  }[];
  exact:
    | (Bound & {
        windows: (Bound & {
          type: string;
          from: string;
          to: string;
          fromLocal: string;
          servedBefore: number;
          bookings: number;
          improved: boolean;
        })[];
      })
    | null;
}

/** From "what is short?" to "apply this fix", through the API, with the worker running the solver. */
describe('planning: bottlenecks, proposals, apply', () => {
  jest.setTimeout(120_000);
  let stack: TestStack;
  let r: Region;
  const http = () => request(stack.api.getHttpServer());
  const period = { from: '2026-05-04T00:00:00+02:00', to: '2026-05-11T00:00:00+02:00' };

  async function finished(runId: string): Promise<RunBody> {
    for (let i = 0; i < 300; i++) {
      const res = await http().get(`/api/v1/solver-runs/${runId}`).set(adminAuth).expect(200);
      if (res.body.status === 'done' || res.body.status === 'failed') return res.body as RunBody;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('solver run did not finish');
  }

  async function waitlisted(municipalityId: string, start: string, end: string): Promise<string> {
    const res = await http()
      .post('/api/v1/waitlist')
      .set(adminAuth)
      .send({ poolId: r.poolId, type: 'street-sweeper', municipalityId, start, end })
      .expect(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    stack = await startTestStack({ worker: true });
    r = await seedRegion(stack.api);
    await http()
      .post('/api/v1/bookings')
      .set(adminAuth)
      .send({
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        start: '2026-05-05T07:00:00+02:00',
        end: '2026-05-05T12:00:00+02:00',
      })
      .expect(201);
  });

  afterAll(async () => {
    await stack.close();
  });

  it('diagnoses unmet demand in words a coordinator understands', async () => {
    await waitlisted(r.towns.witzenhausen, '2026-05-05T08:00:00+02:00', '2026-05-05T11:00:00+02:00');
    const res = await http()
      .get(`/api/v1/pools/${r.poolId}/bottlenecks`)
      .query(period)
      .set(adminAuth)
      .expect(200);
    expect(res.body.status).toBe('done');
    const unmet = (res.body as RunBody).findings.find((f) => f.kind === 'unmet-demand');
    expect(unmet).toBeDefined();
    expect(unmet!.text.de.length).toBeGreaterThan(10);
    expect(unmet!.text.en.length).toBeGreaterThan(10);
    // A diagnosis runs no exact check.
    expect((res.body as RunBody).exact).toBeNull();
  });

  it('proposes serving the waitlisted request with the free sweeper, and applies it in one step', async () => {
    const started = await http()
      .post(`/api/v1/pools/${r.poolId}/proposals`)
      .set(adminAuth)
      .send({ ...period, timeLimitSeconds: 2 })
      .expect(202);
    const run = await finished(started.body.id as string);
    expect(run.status).toBe('done');
    const fix = run.proposals.find((p) => p.kind === 'reassignment');
    expect(fix).toBeDefined();
    expect(fix!.changes.some((c) => c.requestId && c.toResourceId === r.sweeper2Id)).toBe(true);
    // HiGHS checked the sweepers' window exactly: the one request is served, and that is the most.
    expect(run.exact!.windows).toContainEqual(
      expect.objectContaining({
        type: 'street-sweeper',
        from: '2026-05-05T06:00:00.000Z',
        fromLocal: '2026-05-05T08:00:00+02:00',
        requests: 1,
        served: 1,
        servableBound: 1,
        proven: true,
      }),
    );
    expect(fix!.bound).toEqual({ subproblems: 1, requests: 1, served: 1, servableBound: 1, proven: true });
    expect(fix!.explanation.en).toContain('Checked exactly');

    await http().post(`/api/v1/proposals/${fix!.id}/apply`).set(adminAuth).expect(200);
    const served = await http()
      .get('/api/v1/bookings')
      .query({ resourceId: r.sweeper2Id, from: period.from, to: period.to })
      .set(adminAuth)
      .expect(200);
    expect(served.body.items).toHaveLength(1);
    const waitlist = await http().get(`/api/v1/waitlist?poolId=${r.poolId}`).set(adminAuth).expect(200);
    expect(waitlist.body.items.every((e: { status: string }) => e.status !== 'waiting')).toBe(true);
    // Applying twice is refused.
    await http().post(`/api/v1/proposals/${fix!.id}/apply`).set(adminAuth).expect(409);
  });

  it('refuses a stale proposal with 409 and changes nothing', async () => {
    const entry = await waitlisted(
      r.towns.wanfried,
      '2026-05-07T08:00:00+02:00',
      '2026-05-07T10:00:00+02:00',
    );
    const started = await http()
      .post(`/api/v1/pools/${r.poolId}/proposals`)
      .set(adminAuth)
      .send({ ...period, timeLimitSeconds: 2 })
      .expect(202);
    const run = await finished(started.body.id as string);
    const fix = run.proposals.find((p) => p.changes.some((c) => c.requestId === entry));
    expect(fix).toBeDefined();
    await http().post(`/api/v1/waitlist/${entry}/withdraw`).set(adminAuth).expect(200);
    const before = await http()
      .get('/api/v1/bookings')
      .query({ from: period.from, to: period.to })
      .set(adminAuth)
      .expect(200);
    const res = await http().post(`/api/v1/proposals/${fix!.id}/apply`).set(adminAuth).expect(409);
    expect(res.body.code).toBe('CONFLICT');
    const after = await http()
      .get('/api/v1/bookings')
      .query({ from: period.from, to: period.to })
      .set(adminAuth)
      .expect(200);
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('serves two towns wanting the sewer camera the same day by moving a flexible booking', async () => {
    const week = { from: '2026-06-08T00:00:00+02:00', to: '2026-06-13T00:00:00+02:00' };
    const flexible = await http()
      .post('/api/v1/bookings')
      .set(adminAuth)
      .send({
        resourceId: r.cameraId,
        municipalityId: r.towns.eschwege,
        start: '2026-06-08T08:00:00+02:00',
        end: '2026-06-08T12:00:00+02:00',
        flexibleWindow: { start: '2026-06-08T07:00:00+02:00', end: '2026-06-12T15:00:00+02:00' },
      })
      .expect(201);
    expect(flexible.body.flexibleWindow).toEqual({
      start: '2026-06-08T05:00:00.000Z',
      end: '2026-06-12T13:00:00.000Z',
      startLocal: '2026-06-08T07:00:00+02:00',
      endLocal: '2026-06-12T15:00:00+02:00',
    });
    const wanted = await http()
      .post('/api/v1/waitlist')
      .set(adminAuth)
      .send({
        poolId: r.poolId,
        type: 'sewer-camera',
        municipalityId: r.towns.wanfried,
        start: '2026-06-08T09:00:00+02:00',
        end: '2026-06-08T11:00:00+02:00',
      })
      .expect(201);
    const started = await http()
      .post(`/api/v1/pools/${r.poolId}/proposals`)
      .set(adminAuth)
      .send({ ...week, timeLimitSeconds: 2 })
      .expect(202);
    const run = await finished(started.body.id as string);
    const fix = run.proposals.find((p) => p.changes.some((c) => c.requestId === wanted.body.id));
    expect(fix).toBeDefined();
    expect(run.exact!.windows).toContainEqual(
      expect.objectContaining({
        type: 'sewer-camera',
        requests: 1,
        served: 1,
        servableBound: 1,
        proven: true,
      }),
    );
    expect(fix!.bound).toEqual({ subproblems: 1, requests: 1, served: 1, servableBound: 1, proven: true });
    const applied = await http().post(`/api/v1/proposals/${fix!.id}/apply`).set(adminAuth).expect(200);
    expect(applied.body.bound).toEqual(fix!.bound);
    const camera = await http()
      .get('/api/v1/bookings')
      .query({ resourceId: r.cameraId, ...week, status: 'active' })
      .set(adminAuth)
      .expect(200);
    const municipalities = (camera.body.items as { municipalityId: string }[])
      .map((b) => b.municipalityId)
      .sort();
    expect(municipalities).toEqual([r.towns.eschwege, r.towns.wanfried].sort());
    const moved = await http().get(`/api/v1/bookings/${flexible.body.id}`).set(adminAuth).expect(200);
    expect(moved.body.sequence).toBeGreaterThan(0);
    expect(
      moved.body.start >= '2026-06-08T05:00:00.000Z' && moved.body.end <= '2026-06-12T13:00:00.000Z',
    ).toBe(true);
  });

  it('proves that two sweepers cannot serve three towns at the same hour, and says so', async () => {
    const week = { from: '2026-07-06T00:00:00+02:00', to: '2026-07-11T00:00:00+02:00' };
    const towns = [r.towns.eschwege, r.towns.witzenhausen, r.towns.wanfried];
    for (const town of towns) {
      await waitlisted(town, '2026-07-07T08:00:00+02:00', '2026-07-07T12:00:00+02:00');
    }
    const started = await http()
      .post(`/api/v1/pools/${r.poolId}/proposals`)
      .set(adminAuth)
      .send({ ...week, timeLimitSeconds: 2 })
      .expect(202);
    expect(started.body.exact).toBeNull();
    const run = await finished(started.body.id as string);
    expect(run.status).toBe('done');
    const window = run.exact!.windows.find((w) => w.type === 'street-sweeper');
    expect(window).toMatchObject({
      from: '2026-07-07T06:00:00.000Z',
      to: '2026-07-07T10:00:00.000Z',
      requests: 3,
      served: 2,
      servableBound: 2,
      proven: true,
    });
    expect(run.exact).toMatchObject({
      subproblems: 1,
      requests: 3,
      served: 2,
      servableBound: 2,
      proven: true,
    });
    const fixes = run.proposals.filter((p) => p.kind === 'reassignment');
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) {
      expect(fix.bound).toEqual({ subproblems: 1, requests: 3, served: 2, servableBound: 2, proven: true });
      expect(fix.explanation.de).toContain('Exakt geprüft');
    }
    const again = await http().get(`/api/v1/solver-runs/${run.id}`).set(adminAuth).expect(200);
    expect(again.body.exact).toEqual(run.exact);
  });

  it('documents the exact checks in the OpenAPI document', async () => {
    const doc = await http().get('/docs-json').expect(200);
    const schemas = doc.body.components.schemas;
    expect(schemas.SolverRunResponse.properties.exact).toMatchObject({
      nullable: true,
      allOf: [{ $ref: '#/components/schemas/RunExactResponse' }],
    });
    expect(schemas.ProposalResponse.properties.bound).toMatchObject({
      nullable: true,
      allOf: [{ $ref: '#/components/schemas/ProposalBoundResponse' }],
    });
    expect(Object.keys(schemas.RunExactResponse.properties)).toEqual(
      expect.arrayContaining(['subproblems', 'requests', 'served', 'servableBound', 'proven', 'windows']),
    );
    expect(schemas.ExactWindowResponse.properties.servableBound.description).toContain('emergency');
    const run = doc.body.paths['/api/v1/solver-runs/{id}'].get.responses['200'].content['application/json'];
    expect(run.schema.$ref).toBe('#/components/schemas/SolverRunResponse');
  });

  it('rejects a flexible window that does not contain the booking', async () => {
    const res = await http()
      .post('/api/v1/bookings')
      .set(adminAuth)
      .send({
        resourceId: r.sweeper2Id,
        municipalityId: r.towns.wanfried,
        start: '2026-06-15T08:00:00+02:00',
        end: '2026-06-15T12:00:00+02:00',
        flexibleWindow: { start: '2026-06-15T09:00:00+02:00', end: '2026-06-16T12:00:00+02:00' },
      })
      .expect(422);
    expect(res.body.errors[0].field).toBe('flexibleWindow');
  });

  it('rejects bad periods and unknown runs clearly', async () => {
    await http()
      .get(`/api/v1/pools/${r.poolId}/bottlenecks`)
      .query({ from: period.to, to: period.from })
      .set(adminAuth)
      .expect(422);
    await http()
      .get(`/api/v1/pools/${r.poolId}/bottlenecks`)
      .query({ from: '2026-05-04', to: period.to })
      .set(adminAuth)
      .expect(422);
    await http().get('/api/v1/solver-runs/0d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77').set(adminAuth).expect(404);
    await http()
      .post('/api/v1/proposals/0d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77/apply')
      .set(adminAuth)
      .expect(404);
    await http()
      .post(`/api/v1/pools/${r.poolId}/proposals`)
      .set(adminAuth)
      .send({ ...period, timeLimitSeconds: 0 })
      .expect(422);
  });
});
