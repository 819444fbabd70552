import request from 'supertest';
import { Client } from 'pg';
import { ResourceCareService } from '@allmende/bookings';
import { SYSTEM_ACTOR } from '@allmende/core';
import { startTestStack, TEST_NOW, TestStack } from './support/test-app';
import { adminAuth, Region, seedRegion } from './support/seed';

/**
 * What a yard manager meets in daily use (issue 11, findings 1–6): changing and inspecting
 * machines, operators' working hours, operating hours and holidays, names beside ids, usage
 * corrections, the past. Every date lies in 2026/2027 and the clock stands at TEST_NOW.
 */
describe('bookings in daily use', () => {
  let stack: TestStack;
  let r: Region;
  let yardAuth: { Authorization: string };
  const http = () => request(stack.api.getHttpServer());
  const book = (body: object, auth = adminAuth) => http().post('/api/v1/bookings').set(auth).send(body);

  async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    stack = await startTestStack();
    r = await seedRegion(stack.api);
    const user = await http()
      .post('/api/v1/users')
      .set(adminAuth)
      .send({
        email: 'bauhof@eschwege.example',
        name: 'Bauhof Eschwege',
        role: 'yard-manager',
        municipalityId: r.towns.eschwege,
      })
      .expect(201);
    yardAuth = { Authorization: `Bearer ${user.body.token as string}` };
  });

  afterEach(() => stack.clock.set(TEST_NOW));

  afterAll(async () => {
    await stack.close();
  });

  describe('1. a machine can be changed, inspected and retired', () => {
    it('changes name, rates, transport speed and inspection interval, audited', async () => {
      const res = await http()
        .patch(`/api/v1/resources/${r.sweeperId}`)
        .set(adminAuth)
        .send({
          name: 'Kehrmaschine Eschwege 1',
          hourlyRateCents: 7000,
          transportSpeedKmh: 30,
          inspectionIntervalMonths: 12,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        name: 'Kehrmaschine Eschwege 1',
        hourlyRateCents: 7000,
        transportSpeedKmh: 30,
        inspectionIntervalMonths: 12,
      });
      const audit = await sql<{ before: { name: string }; after: { name: string } }>(
        `SELECT before, after FROM audit_log WHERE action = 'resource.change' AND entity_id = $1`,
        [r.sweeperId],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0].before.name).toBe('Kehrmaschine 1');
      expect(audit[0].after.name).toBe('Kehrmaschine Eschwege 1');
      await http().patch(`/api/v1/resources/${r.sweeperId}`).set(yardAuth).send({ name: 'x' }).expect(403);
      await http()
        .patch(`/api/v1/resources/${r.sweeperId}`)
        .set(adminAuth)
        .send({ weeklyHours: 20 })
        .expect(422);
      await http()
        .patch(`/api/v1/resources/${r.plainStaffId}`)
        .set(adminAuth)
        .send({ workingHours: { '1': ['15:00', '07:00'] } })
        .expect(422);
    });

    it('records an inspection: the next due date follows from the interval and the machine is bookable again', async () => {
      await http()
        .patch(`/api/v1/resources/${r.sweeper2Id}`)
        .set(adminAuth)
        .send({ nextInspectionDue: '2026-02-27', inspectionIntervalMonths: 12 })
        .expect(200);
      const after = { resourceId: r.sweeper2Id, municipalityId: r.towns.wanfried };
      const march = { start: '2026-03-03T08:00:00+01:00', end: '2026-03-03T12:00:00+01:00' };
      const overdue = await book({ ...after, ...march }).expect(409);
      expect(overdue.body.reasons.map((x: { reason: string }) => x.reason)).toContain('inspection-overdue');

      // It shows in availability before it bites, and in the service's facts for the bottleneck findings.
      const avail = await http()
        .get('/api/v1/availability')
        .query({
          poolId: r.poolId,
          type: 'street-sweeper',
          from: '2026-02-23T00:00:00+01:00',
          to: '2026-03-07T00:00:00+01:00',
        })
        .set(adminAuth)
        .expect(200);
      expect(avail.body.inspectionsDue).toEqual([
        expect.objectContaining({
          resourceId: r.sweeper2Id,
          resourceName: 'Kehrmaschine 2',
          due: '2026-02-27',
          usableUntilLocal: '2026-02-28T00:00:00+01:00',
        }),
      ]);
      const facts = await stack.api
        .get(ResourceCareService)
        .outOfService(
          SYSTEM_ACTOR,
          r.poolId,
          new Date('2026-02-01T00:00:00Z'),
          new Date('2026-04-01T00:00:00Z'),
        );
      expect(facts.inspectionsDue.map((x) => x.id)).toEqual([r.sweeper2Id]);

      stack.clock.set(new Date('2026-02-20T12:00:00+01:00'));
      await http()
        .post(`/api/v1/resources/${r.sweeper2Id}/inspections`)
        .set(adminAuth)
        .send({ inspectedOn: '2026-02-21', result: 'passed' })
        .expect(422); // not in the future
      const inspected = await http()
        .post(`/api/v1/resources/${r.sweeper2Id}/inspections`)
        .set(adminAuth)
        .send({ inspectedOn: '2026-02-19', result: 'passed', notes: 'UVV ohne Mängel' })
        .expect(201);
      expect(inspected.body).toMatchObject({
        result: 'passed',
        nextDue: '2027-02-19',
        resource: { nextInspectionDue: '2027-02-19' },
      });
      await book({ ...after, ...march }).expect(201);
      const list = await http()
        .get(`/api/v1/resources/${r.sweeper2Id}/inspections`)
        .set(adminAuth)
        .expect(200);
      expect(list.body.items).toHaveLength(1);
      const audit = await sql(
        `SELECT 1 FROM audit_log WHERE action = 'resource.inspection' AND entity_id = $1`,
        [r.sweeper2Id],
      );
      expect(audit).toHaveLength(1);
    });

    it('retires a machine: no new bookings, its future bookings listed for rebooking', async () => {
      const machine = await http()
        .post('/api/v1/resources')
        .set(adminAuth)
        .send({
          poolId: r.poolId,
          kind: 'machine',
          name: 'Alter Bagger',
          type: 'excavator',
          homeMunicipalityId: r.towns.eschwege,
        })
        .expect(201);
      const ahead = await book({
        resourceId: machine.body.id,
        municipalityId: r.towns.eschwege,
        start: '2026-05-05T08:00:00+02:00',
        end: '2026-05-05T12:00:00+02:00',
      }).expect(201);
      const retired = await http()
        .post(`/api/v1/resources/${machine.body.id}/retire`)
        .set(adminAuth)
        .expect(200);
      expect(retired.body).toMatchObject({ active: false, retiredAtLocal: '2026-01-01T01:00:00+01:00' });
      expect(retired.body.bookingsToRebook.map((b: { id: string }) => b.id)).toEqual([ahead.body.id]);
      const refused = await book({
        resourceId: machine.body.id,
        municipalityId: r.towns.eschwege,
        start: '2026-05-06T08:00:00+02:00',
        end: '2026-05-06T12:00:00+02:00',
      }).expect(409);
      expect(refused.body.reasons[0].reason).toBe('resource-inactive');
      expect(
        await sql(`SELECT 1 FROM audit_log WHERE action = 'resource.retire' AND entity_id = $1`, [
          machine.body.id,
        ]),
      ).toHaveLength(1);
    });
  });

  describe('2. operators: working hours, absences, the true reason, the nearest', () => {
    it('reads and changes working hours and absences through the API', async () => {
      const staff = await http().get(`/api/v1/resources/${r.cameraOperatorId}`).set(adminAuth).expect(200);
      expect(staff.body.workingHours).toEqual({
        '1': ['07:00', '15:30'],
        '2': ['07:00', '15:30'],
        '3': ['07:00', '15:30'],
        '4': ['07:00', '15:30'],
        '5': ['07:00', '15:30'],
      });
      const absence = await http()
        .post(`/api/v1/resources/${r.cameraOperatorId}/blackouts`)
        .set(adminAuth)
        .send({ start: '2026-08-10T00:00:00+02:00', end: '2026-08-15T00:00:00+02:00', reason: 'Urlaub' })
        .expect(201);
      const listed = await http()
        .get(`/api/v1/resources/${r.cameraOperatorId}/blackouts`)
        .query({ from: '2026-08-01T00:00:00+02:00', to: '2026-09-01T00:00:00+02:00' })
        .set(adminAuth)
        .expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ id: absence.body.id, reason: 'Urlaub' })]);

      const camera = (start: string, end: string) =>
        book({ resourceId: r.cameraId, municipalityId: r.towns.eschwege, start, end });
      const absent = await camera('2026-08-11T08:00:00+02:00', '2026-08-11T10:00:00+02:00').expect(409);
      expect(absent.body.operatorCandidates).toEqual([
        expect.objectContaining({
          operatorName: 'Jonas Becker',
          reasons: [expect.objectContaining({ reason: 'absent' })],
        }),
      ]);
      await http()
        .delete(`/api/v1/resources/${r.cameraOperatorId}/blackouts/${absence.body.id}`)
        .set(adminAuth)
        .expect(204);
      await camera('2026-08-11T08:00:00+02:00', '2026-08-11T10:00:00+02:00').expect(201);

      // A plough-like early shift: outside the working hours, said so, not "not qualified".
      const early = await camera('2026-12-07T04:00:00+01:00', '2026-12-07T09:00:00+01:00').expect(409);
      expect(early.body.reasons[0].reason).toBe('no-operator-available');
      expect(early.body.operatorCandidates).toEqual([
        expect.objectContaining({
          operatorName: 'Jonas Becker',
          reasons: [expect.objectContaining({ reason: 'outside-working-hours' })],
        }),
      ]);
      await http()
        .patch(`/api/v1/resources/${r.cameraOperatorId}`)
        .set(adminAuth)
        .send({ workingHours: { '1': ['04:00', '12:30'], '2': ['04:00', '12:30'] } })
        .expect(200);
      await camera('2026-12-07T04:00:00+01:00', '2026-12-07T09:00:00+01:00').expect(201);
      const tuesday = await camera('2026-12-08T04:00:00+01:00', '2026-12-08T09:00:00+01:00').expect(201);
      expect(tuesday.body.operatorName).toBe('Jonas Becker');
      // On a holiday the machine itself is not bookable, and the answer says so.
      const christmas = await camera('2026-12-25T08:00:00+01:00', '2026-12-25T10:00:00+01:00').expect(409);
      expect(christmas.body.reasons.map((x: { reason: string }) => x.reason)).toContain('public-holiday');
    });

    it('offers a machine that needs an operator only where a qualified one can come, and says who', async () => {
      await http()
        .patch(`/api/v1/resources/${r.cameraOperatorId}`)
        .set(adminAuth)
        .send({ workingHours: { '1': ['04:00', '12:30'] } })
        .expect(200);
      const res = await http()
        .get('/api/v1/availability')
        .query({
          poolId: r.poolId,
          type: 'sewer-camera',
          from: '2026-09-07T00:00:00+02:00',
          to: '2026-09-08T00:00:00+02:00',
        })
        .set(adminAuth)
        .expect(200);
      // The camera may go out 06:00–20:00 (the pool's operating hours), its only operator works
      // 04:00–12:30 on Mondays: the camera is free 06:00–12:30, with him.
      expect(res.body.windows).toHaveLength(1);
      const [w] = res.body.windows;
      expect(w).toMatchObject({
        resourceName: 'Kanal-TV-Kamera',
        needsOperator: true,
        startLocal: '2026-09-07T06:00:00+02:00',
      });
      expect(w.endLocal).toBe('2026-09-07T12:30:00+02:00');
      expect(w.operators).toEqual([expect.objectContaining({ operatorName: 'Jonas Becker' })]);
    });

    it('picks the qualified free operator with the least travel', async () => {
      // A second certified operator, living where the work is: no travel, though later in the
      // alphabet; Jonas would come from Eschwege, where his last job was.
      const near = await http()
        .post('/api/v1/resources')
        .set(adminAuth)
        .send({
          poolId: r.poolId,
          kind: 'staff',
          type: 'operator',
          name: 'Tobias Zimmer',
          homeMunicipalityId: r.towns.wanfried,
          qualifications: ['sewer-camera-certified'],
        })
        .expect(201);
      const res = await book({
        resourceId: r.cameraId,
        municipalityId: r.towns.wanfried,
        // A Monday: both work then (Jonas 04:00–12:30, Tobias 07:00–15:30).
        start: '2026-09-14T08:00:00+02:00',
        end: '2026-09-14T10:00:00+02:00',
      }).expect(201);
      expect(res.body.operatorBooking).toMatchObject({
        resourceId: near.body.id,
        resourceName: 'Tobias Zimmer',
      });
      expect(res.body.operatorName).toBe('Tobias Zimmer');
    });
  });

  describe('3. operating hours, holidays and Berlin time', () => {
    it('suggests alternatives inside the operating hours, never on a holiday, with their Berlin form', async () => {
      const slot = { resourceId: r.sweeper2Id, municipalityId: r.towns.wanfried };
      await book({ ...slot, start: '2026-04-30T08:00:00+02:00', end: '2026-04-30T20:00:00+02:00' }).expect(
        201,
      );
      const conflict = await book({
        ...slot,
        start: '2026-04-30T17:00:00+02:00',
        end: '2026-04-30T19:00:00+02:00',
      }).expect(409);
      const alternatives = conflict.body.alternatives as {
        startLocal: string;
        endLocal: string;
        kind: string;
      }[];
      expect(alternatives.length).toBeGreaterThan(0);
      for (const a of alternatives) {
        const day = new Date(`${a.startLocal.slice(0, 10)}T12:00:00Z`).getUTCDay();
        expect(day).not.toBe(0);
        expect(day).not.toBe(6);
        expect(a.startLocal.slice(0, 10)).not.toBe('2026-05-01'); // Maifeiertag
        expect(a.startLocal.slice(11, 16) >= '06:00' && a.endLocal.slice(11, 16) <= '20:00').toBe(true);
      }
      expect(alternatives.find((a) => a.kind === 'other-time')).toBeDefined();
    });

    it('keeps a pool setting of operating hours, and never offers Easter Sunday', async () => {
      const set = await http()
        .put(`/api/v1/pools/${r.poolId}/operating-hours`)
        .set(adminAuth)
        .send({
          operatingHours: { '5': ['07:00', '12:00'], '6': ['08:00', '12:00'], '7': ['08:00', '12:00'] },
        })
        .expect(200);
      expect(set.body.operatingHours['6']).toEqual(['08:00', '12:00']);
      const res = await http()
        .get('/api/v1/availability')
        .query({
          poolId: r.poolId,
          type: 'street-sweeper',
          from: '2027-03-26T00:00:00+01:00',
          to: '2027-03-30T00:00:00+02:00',
        })
        .set(adminAuth)
        .expect(200);
      const days = new Set(
        (res.body.windows as { startLocal: string }[]).map((w) => w.startLocal.slice(0, 10)),
      );
      // Good Friday, Easter Sunday and Easter Monday are holidays in Hesse; Saturday is open.
      expect([...days]).toEqual(['2027-03-27']);
      await http()
        .put(`/api/v1/pools/${r.poolId}/operating-hours`)
        .set(adminAuth)
        .send({ operatingHours: null })
        .expect(200);
      await http()
        .put(`/api/v1/pools/${r.poolId}/operating-hours`)
        .set(adminAuth)
        .send({ operatingHours: { '8': ['07:00', '12:00'] } })
        .expect(422);
    });
  });

  describe('4. names beside ids', () => {
    it('in bookings (GET, PATCH), and waitlist entries', async () => {
      const created = await book({
        resourceId: r.cameraId,
        municipalityId: r.towns.wanfried,
        siteMunicipalityId: r.towns.eschwege,
        start: '2026-10-06T09:00:00+02:00',
        end: '2026-10-06T11:00:00+02:00',
      }).expect(201);
      const got = await http().get(`/api/v1/bookings/${created.body.id}`).set(adminAuth).expect(200);
      expect(got.body).toMatchObject({
        resourceName: 'Kanal-TV-Kamera',
        resourceType: 'sewer-camera',
        needsOperator: true,
        municipalityName: 'Wanfried',
        siteMunicipalityName: 'Eschwege',
        operatorName: expect.any(String),
        operatorBooking: { operatorForBookingId: created.body.id, resourceType: 'operator' },
        blockedStartLocal: expect.stringMatching(/\+02:00$/),
      });
      const patched = await http()
        .patch(`/api/v1/bookings/${created.body.id}`)
        .set(adminAuth)
        .send({ start: '2026-10-06T10:00:00+02:00', end: '2026-10-06T12:00:00+02:00' })
        .expect(200);
      expect(patched.body.operatorBooking).toMatchObject({ startLocal: '2026-10-06T10:00:00+02:00' });
      const joined = await http()
        .post('/api/v1/waitlist')
        .set(adminAuth)
        .send({
          poolId: r.poolId,
          type: 'street-sweeper',
          resourceId: r.sweeper2Id,
          municipalityId: r.towns.witzenhausen,
          start: '2026-10-07T08:00:00+02:00',
          end: '2026-10-07T12:00:00+02:00',
        })
        .expect(201);
      expect(joined.body).toMatchObject({
        municipalityName: 'Witzenhausen',
        siteMunicipalityName: 'Witzenhausen',
        resourceName: 'Kehrmaschine 2',
        createdAtLocal: expect.stringMatching(/\+0[12]:00$/),
      });
    });
  });

  describe('5. usage', () => {
    it('reads usage back, keeps corrections in the history, and refuses implausible figures naming the field', async () => {
      const b = await book({
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        start: '2026-11-03T08:00:00+01:00',
        end: '2026-11-03T12:00:00+01:00',
      }).expect(201);
      stack.clock.set(new Date('2026-11-03T13:00:00+01:00'));
      const usage = (body: object) =>
        http().post(`/api/v1/bookings/${b.body.id}/usage`).set(adminAuth).send(body);
      await usage({ meterStart: 100, meterEnd: 104 }).expect(200);
      const corrected = await usage({ operatingHours: 3.75, notes: 'Pause abgezogen' }).expect(200);
      // The correction keeps the meter readings it did not mention.
      expect(corrected.body).toMatchObject({
        operatingHours: 3.75,
        meterStart: 100,
        meterEnd: 104,
        bookedHours: 4,
      });
      const read = await http().get(`/api/v1/bookings/${b.body.id}/usage`).set(adminAuth).expect(200);
      expect(read.body).toMatchObject({ recorded: true, operatingHours: 3.75 });
      expect(read.body.history).toEqual([
        expect.objectContaining({ operatingHours: 4, meterStart: 100, meterEnd: 104 }),
      ]);

      const field = async (body: object) => (await usage(body).expect(422)).body.errors[0].field as string;
      expect(await field({ operatingHours: 9 })).toBe('operatingHours'); // booked 4 h + 1 h tolerance
      expect(await field({ meterEnd: 99 })).toBe('meterEnd');
      expect(await field({ operatingHours: 1 })).toBe('operatingHours'); // the meter says 4 h
      const unchanged = await http().get(`/api/v1/bookings/${b.body.id}/usage`).set(adminAuth).expect(200);
      expect(unchanged.body.operatingHours).toBe(3.75);
    });
  });

  describe('6. the past', () => {
    it('refuses a normal booking in the past, lets a coordinator or admin enter it backdated, audited', async () => {
      stack.clock.set(new Date('2026-01-05T10:00:00+01:00'));
      const past = {
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        start: '2026-01-02T08:00:00+01:00',
        end: '2026-01-02T10:00:00+01:00',
      };
      const refused = await book(past).expect(422);
      expect(refused.body.errors[0].field).toBe('start');
      // A few minutes' grace: the form took a while.
      await book({ ...past, start: '2026-01-05T09:50:00+01:00', end: '2026-01-05T12:00:00+01:00' }).expect(
        201,
      );
      const yard = await book({ ...past, backdated: true }, yardAuth).expect(422);
      expect(yard.body.errors[0].field).toBe('backdated');
      const entered = await book({ ...past, backdated: true }).expect(201);
      const [audit] = await sql<{ after: { backdated?: boolean } }>(
        `SELECT after FROM audit_log WHERE action = 'booking.create' AND entity_id = $1`,
        [entered.body.id],
      );
      expect(audit.after.backdated).toBe(true);
      // A booking cannot be moved into the past either.
      await http()
        .patch(`/api/v1/bookings/${entered.body.id}`)
        .set(adminAuth)
        .send({ start: '2026-01-02T12:00:00+01:00', end: '2026-01-02T14:00:00+01:00' })
        .expect(422);
    });
  });
});
