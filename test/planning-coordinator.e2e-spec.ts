import request from 'supertest';
import { PlanningClock } from '@allmende/planning';
import { startTestStack, TestStack } from './support/test-app';
import { adminAuth, Region, seedRegion } from './support/seed';
import { expectNamedAndIsoOnly } from './support/planning-text';

/**
 * What a coordinator asks beyond "what is short": should we buy or lease, why did the run find
 * nothing, and what if a town joined or left. Each case in weeks of its own.
 */
describe('planning for the coordinator: investments, empty runs, membership what-if', () => {
  jest.setTimeout(120_000);
  let stack: TestStack;
  let r: Region;
  let liftId: string;
  const http = () => request(stack.api.getHttpServer());

  async function finished(runId: string, language = 'de') {
    for (let i = 0; i < 300; i++) {
      const res = await http()
        .get(`/api/v1/solver-runs/${runId}`)
        .set(adminAuth)
        .set('Accept-Language', language)
        .expect(200);
      if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('solver run did not finish');
  }

  async function waitlisted(type: string, municipalityId: string, start: string, end: string) {
    await http()
      .post('/api/v1/waitlist')
      .set(adminAuth)
      .send({ poolId: r.poolId, type, municipalityId, start, end })
      .expect(201);
  }

  beforeAll(async () => {
    stack = await startTestStack({ worker: true });
    stack.api.get(PlanningClock).set(new Date('2026-08-01T08:00:00+02:00'));
    r = await seedRegion(stack.api);
    const lift = await http()
      .post('/api/v1/resources')
      .set(adminAuth)
      .send({
        poolId: r.poolId,
        kind: 'machine',
        name: 'Hubsteiger Eschwege',
        type: 'aerial-lift',
        homeMunicipalityId: r.towns.eschwege,
        hourlyRateCents: 5_500,
        annualFixedCostCents: 1_800_000,
      })
      .expect(201);
    liftId = lift.body.id as string;
  });

  afterAll(async () => {
    await stack.close();
  });

  it('recommends buying a second aerial lift when two towns want it at the same time every week', async () => {
    const period = { from: '2026-08-03T00:00:00+02:00', to: '2026-08-24T00:00:00+02:00' };
    for (const day of ['2026-08-04', '2026-08-11', '2026-08-18']) {
      await http()
        .post('/api/v1/bookings')
        .set(adminAuth)
        .send({
          resourceId: liftId,
          municipalityId: r.towns.eschwege,
          start: `${day}T08:00:00+02:00`,
          end: `${day}T14:00:00+02:00`,
        })
        .expect(201);
      await waitlisted('aerial-lift', r.towns.wanfried, `${day}T08:00:00+02:00`, `${day}T14:00:00+02:00`);
    }
    // 200 when the worker has diagnosed within 20 s, else 202 with the run to poll.
    const res = await http().get(`/api/v1/pools/${r.poolId}/investments`).query(period).set(adminAuth);
    expect([200, 202]).toContain(res.status);
    expectNamedAndIsoOnly(res.body);
    const done = res.status === 200 ? res.body : await finished(res.body.runId as string);
    expect(done.status).toBe('done');
    const [advice] = done.investments;
    expect(advice).toMatchObject({
      type: 'aerial-lift',
      typeLabel: 'Hubsteiger',
      mode: 'buy',
      units: 1,
      modelledOnResourceId: liftId,
      modelledOnResourceName: 'Hubsteiger Eschwege',
      unmetHoursBefore: 18,
      unmetHoursServed: 18,
      requestsServed: 3,
      weeksOverCapacity: 3,
      annualCostCents: 1_800_000,
      costSharingKey: 'population',
    });
    // The pool's key is population: Eschwege 19,500, Witzenhausen 15,000, Wanfried 4,000.
    const shares = advice.shares as { municipalityName: string; amountCents: number }[];
    expect(shares.reduce((sum, s) => sum + s.amountCents, 0)).toBe(1_800_000);
    expect(shares.map((s) => s.municipalityName).sort()).toEqual(['Eschwege', 'Wanfried', 'Witzenhausen']);
    expect(shares.find((s) => s.municipalityName === 'Eschwege')!.amountCents).toBe(911_688);
    expect(advice.text).toContain('Empfehlung: eine weitere Hubsteiger kaufen (wie Hubsteiger Eschwege)');
    expect(advice.text).toContain('Eschwege 9.116,88 €');

    // The same advice is listed with the findings of a diagnosis.
    const diagnosis = await http().get(`/api/v1/pools/${r.poolId}/bottlenecks`).query(period).set(adminAuth);
    const diagnosed = diagnosis.status === 200 ? diagnosis.body : await finished(diagnosis.body.id as string);
    expect(diagnosed.investments).toEqual(done.investments);
    expect(diagnosed.findings.some((f: { kind: string }) => f.kind === 'capacity')).toBe(true);
  });

  it('says why a run found nothing: nothing waiting, or everything in the past', async () => {
    const quiet = { from: '2026-09-07T00:00:00+02:00', to: '2026-09-12T00:00:00+02:00' };
    const started = await http()
      .post(`/api/v1/pools/${r.poolId}/proposals`)
      .set(adminAuth)
      .send({ ...quiet, timeLimitSeconds: 2 })
      .expect(202);
    const run = await finished(started.body.id as string);
    expect(run.proposals).toEqual([]);
    expect(run.nothingFound).toMatchObject({ reason: 'nothing-waiting', waiting: 0 });
    expect(run.nothingFound.text).toBe(
      'Kein Vorschlag. Keine Anfrage wartet in diesem Zeitraum, und keine Buchung lässt sich sinnvoll verlegen.',
    );

    // A request for last Tuesday is not proposed for the past.
    const past = { from: '2026-07-27T00:00:00+02:00', to: '2026-08-01T00:00:00+02:00' };
    await waitlisted(
      'street-sweeper',
      r.towns.wanfried,
      '2026-07-28T08:00:00+02:00',
      '2026-07-28T10:00:00+02:00',
    );
    const again = await http()
      .post(`/api/v1/pools/${r.poolId}/proposals`)
      .set(adminAuth)
      .send({ ...past, timeLimitSeconds: 2 })
      .expect(202);
    const late = await finished(again.body.id as string, 'en');
    expectNamedAndIsoOnly(late);
    expect(late.now).toBe('2026-08-01T06:00:00.000Z');
    expect(late.nowLocal).toBe('2026-08-01T08:00:00+02:00');
    expect(late.proposals).toEqual([]);
    expect(late.nothingFound).toMatchObject({ reason: 'all-in-past', waiting: 1 });
    expect(late.nothingFound.requests[0]).toMatchObject({
      municipalityName: 'Wanfried',
      reason: 'all-in-past',
      requestLabel: 'request of Wanfried (street sweeper, Tue 28 Jul 2026, 08:00)',
    });
    expect(late.nothingFound.text).toContain('nothing is proposed for the past');
  });

  it('shows how utilization and bottlenecks change if Sontra joined and Wanfried left, storing nothing', async () => {
    const body = {
      from: '2026-10-05T00:00:00+02:00',
      to: '2026-10-26T00:00:00+02:00',
      joins: [
        {
          municipalityId: r.towns.sontra,
          from: '2026-10-05',
          demandHoursPerWeekByType: { 'street-sweeper': 60 },
        },
      ],
      leaves: [{ municipalityId: r.towns.wanfried, from: '2026-10-12' }],
    };
    const res = await http()
      .post(`/api/v1/pools/${r.poolId}/planning/simulate`)
      .set(adminAuth)
      .send(body)
      .expect(200);
    expectNamedAndIsoOnly(res.body);
    const sweepers = res.body.types.find((t: { type: string }) => t.type === 'street-sweeper');
    // Two sweepers, 42.5 h a week each, for three weeks; Kehrmaschine 2 (Wanfried) leaves after one.
    expect(sweepers.before).toMatchObject({ availableHours: 255, demandHours: 0, utilization: 0 });
    expect(sweepers.after).toMatchObject({ availableHours: 170, demandHours: 180 });
    expect(sweepers.after.overCapacityWeeks).toEqual(['2026-W42', '2026-W43']);
    expect(res.body.joins[0]).toMatchObject({
      municipalityName: 'Sontra',
      fromLocal: '2026-10-05T00:00:00+02:00',
    });
    expect(res.body.leaves[0]).toMatchObject({
      municipalityName: 'Wanfried',
      resourcesLeaving: [{ id: r.sweeper2Id, name: 'Kehrmaschine 2' }],
    });
    expect(res.body.newBottlenecks.some((f: { kind: string }) => f.kind === 'over-capacity')).toBe(true);
    expect(res.body.text).toContain('Sontra tritt am 05.10.2026 bei');
    expect(res.body.text).toContain('Nichts wurde gespeichert.');
    // Nothing stored: the pool's members are as before.
    const members = await http().get(`/api/v1/pools/${r.poolId}/members`).set(adminAuth).expect(200);
    const ids = (members.body.items ?? members.body).map((m: { municipalityId: string }) => m.municipalityId);
    expect(ids).not.toContain(r.towns.sontra);
  });

  it("estimates a joiner's demand from its own past bookings in other pools", async () => {
    // Sontra asked the other pool for a sweeper in June and was never served.
    await http()
      .post('/api/v1/waitlist')
      .set(adminAuth)
      .send({
        poolId: r.otherPoolId,
        type: 'street-sweeper',
        municipalityId: r.towns.sontra,
        start: '2026-06-02T08:00:00+02:00',
        end: '2026-06-02T12:00:00+02:00',
      })
      .expect(201);
    const res = await http()
      .post(`/api/v1/pools/${r.poolId}/planning/simulate`)
      .set(adminAuth)
      .set('Accept-Language', 'en')
      .send({
        from: '2026-10-05T00:00:00+02:00',
        to: '2026-10-26T00:00:00+02:00',
        joins: [{ municipalityId: r.towns.sontra, from: '2026-10-05' }],
      })
      .expect(200);
    expect(res.body.joins[0].demand).toEqual([
      expect.objectContaining({ type: 'street-sweeper', source: 'history', requests: 1, hoursPerWeek: 0.08 }),
    ]);
    expect(res.body.joins[0].text).toContain(
      'estimated from 0 own bookings and 1 unserved request in the 52 weeks before',
    );
  });

  it('rejects what-ifs that make no sense, clearly', async () => {
    const period = { from: '2026-10-05T00:00:00+02:00', to: '2026-10-26T00:00:00+02:00' };
    const member = await http()
      .post(`/api/v1/pools/${r.poolId}/planning/simulate`)
      .set(adminAuth)
      .send({ ...period, joins: [{ municipalityId: r.towns.eschwege, from: '2026-10-05' }] })
      .expect(422);
    expect(member.body.errors[0].field).toBe('joins[0].municipalityId');
    const leave = await http()
      .post(`/api/v1/pools/${r.poolId}/planning/simulate`)
      .set(adminAuth)
      .send({ ...period, leaves: [{ municipalityId: r.towns.sontra, from: '2026-10-05' }] })
      .expect(422);
    expect(leave.body.errors[0].field).toBe('leaves[0].municipalityId');
    await http().post(`/api/v1/pools/${r.poolId}/planning/simulate`).set(adminAuth).send(period).expect(422);
    await http()
      .post(`/api/v1/pools/${r.poolId}/planning/simulate`)
      .set(adminAuth)
      .send({ ...period, joins: [{ municipalityId: r.towns.sontra, from: '05.10.2026' }] })
      .expect(422);
    await http()
      .post(`/api/v1/pools/${r.poolId}/planning/simulate`)
      .set(adminAuth)
      .send({
        ...period,
        joins: [
          {
            municipalityId: r.towns.sontra,
            from: '2026-10-05',
            demandHoursPerWeekByType: { 'street-sweeper': -3 },
          },
        ],
      })
      .expect(422);
    await http()
      .post(`/api/v1/pools/${r.poolId}/planning/simulate`)
      .set(adminAuth)
      .send({ ...period, joins: [{ municipalityId: r.towns.sontra, from: '2026-10-05' }], unknown: 1 })
      .expect(422);
  });
});
