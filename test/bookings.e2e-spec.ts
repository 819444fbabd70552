import request from 'supertest';
import { Client } from 'pg';
import { startTestStack, TEST_NOW, TestStack } from './support/test-app';
import { adminAuth, Region, seedRegion } from './support/seed';

describe('bookings (real PostgreSQL)', () => {
  let stack: TestStack;
  let r: Region;
  const http = () => request(stack.api.getHttpServer());
  const book = (body: object) => http().post('/api/v1/bookings').set(adminAuth).send(body);

  async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const bookingCount = async () =>
    Number((await sql<{ n: string }>('SELECT count(*) AS n FROM bookings'))[0].n);

  beforeAll(async () => {
    stack = await startTestStack();
    r = await seedRegion(stack.api);
  });

  afterEach(() => stack.clock.set(TEST_NOW));

  afterAll(async () => {
    await stack.close();
  });

  it('books a machine at its depot with no transport, and away with the travel time blocked before', async () => {
    const home = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: '2026-04-13T07:00:00+02:00',
      end: '2026-04-13T09:00:00+02:00',
      notes: 'Marktplatz',
    }).expect(201);
    expect(home.body).toMatchObject({
      status: 'active',
      start: '2026-04-13T05:00:00.000Z',
      startLocal: '2026-04-13T07:00:00+02:00',
      blockedStart: '2026-04-13T05:00:00.000Z',
      sequence: 0,
      notes: 'Marktplatz',
    });
    // Eschwege → Witzenhausen: ~21.6 km × 1.3 at 25 km/h = 70 min.
    const away = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.witzenhausen,
      start: '2026-04-13T11:00:00+02:00',
      end: '2026-04-13T12:00:00+02:00',
    }).expect(201);
    expect(away.body.blockedStart).toBe('2026-04-13T07:50:00.000Z');
  });

  it('refuses an overlap with 409 naming the booking and suggesting alternatives', async () => {
    const held = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: '2026-04-20T07:00:00+02:00',
      end: '2026-04-20T09:00:00+02:00',
    }).expect(201);
    const res = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: '2026-04-20T08:00:00+02:00',
      end: '2026-04-20T10:00:00+02:00',
    }).expect(409);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('BOOKING_CONFLICT');
    expect(res.body.conflictingBookingIds).toEqual([held.body.id]);
    const kinds = (res.body.alternatives as { kind: string; resourceId: string }[]).map((a) => a.kind);
    expect(kinds).toContain('other-resource');
    expect(kinds).toContain('other-time');
    expect(res.body.alternatives.find((a: { kind: string }) => a.kind === 'other-resource').resourceId).toBe(
      r.sweeper2Id,
    );
  });

  it('lets adjacent bookings at one site share the boundary', async () => {
    const base = { resourceId: r.sweeper2Id, municipalityId: r.towns.wanfried };
    await book({ ...base, start: '2026-04-14T10:00:00+02:00', end: '2026-04-14T11:00:00+02:00' }).expect(201);
    await book({ ...base, start: '2026-04-14T11:00:00+02:00', end: '2026-04-14T12:00:00+02:00' }).expect(201);
  });

  it('needs the transport time before a booking elsewhere, and to reach the next booking in time', async () => {
    const base = { resourceId: r.sweeperId };
    await book({
      ...base,
      municipalityId: r.towns.eschwege,
      start: '2026-04-15T07:00:00+02:00',
      end: '2026-04-15T09:00:00+02:00',
    }).expect(201);
    await book({
      ...base,
      municipalityId: r.towns.eschwege,
      start: '2026-04-15T13:00:00+02:00',
      end: '2026-04-15T15:00:00+02:00',
    }).expect(201);
    // 09:00 + 70 min: 10:00 is too early.
    const early = await book({
      ...base,
      municipalityId: r.towns.witzenhausen,
      start: '2026-04-15T10:00:00+02:00',
      end: '2026-04-15T11:00:00+02:00',
    }).expect(409);
    expect(early.body.conflictingBookingIds).toHaveLength(1);
    // Starts in time, but would not be back in Eschwege by 13:00 (12:00 + 70 min).
    const late = await book({
      ...base,
      municipalityId: r.towns.witzenhausen,
      start: '2026-04-15T10:10:00+02:00',
      end: '2026-04-15T12:00:00+02:00',
    }).expect(409);
    expect(late.body.conflictingBookingIds).toHaveLength(1);
    const fits = await book({
      ...base,
      municipalityId: r.towns.witzenhausen,
      start: '2026-04-15T10:10:00+02:00',
      end: '2026-04-15T11:50:00+02:00',
    }).expect(201);
    // The following booking now starts its trip from Witzenhausen.
    const next = await sql<{ blocked_start: Date }>(
      `SELECT blocked_start FROM bookings WHERE resource_id = $1 AND start_at = '2026-04-15T13:00:00+02:00'`,
      [r.sweeperId],
    );
    expect(next[0].blocked_start.toISOString()).toBe('2026-04-15T09:50:00.000Z');
    // Cancelling the middle booking gives the following one its short trip back.
    await http().post(`/api/v1/bookings/${fits.body.id}/cancel`).set(adminAuth).expect(200);
    const after = await sql<{ blocked_start: Date }>(
      `SELECT blocked_start FROM bookings WHERE resource_id = $1 AND start_at = '2026-04-15T13:00:00+02:00'`,
      [r.sweeperId],
    );
    expect(after[0].blocked_start.toISOString()).toBe('2026-04-15T11:00:00.000Z');
  });

  it('counts the DST night right and answers in UTC with the local form beside it', async () => {
    const res = await book({
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-10-25T01:30:00+02:00',
      end: '2026-10-25T03:30:00+01:00',
      priority: 'emergency',
    }).expect(201);
    expect(new Date(res.body.end).getTime() - new Date(res.body.start).getTime()).toBe(3 * 3_600_000);
    expect(res.body.startLocal).toBe('2026-10-25T01:30:00+02:00');
    expect(res.body.endLocal).toBe('2026-10-25T03:30:00+01:00');
  });

  it('keeps normal bookings off public holidays and lets emergencies through', async () => {
    const req = {
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-05-14T08:00:00+02:00',
      end: '2026-05-14T10:00:00+02:00',
    };
    const res = await book(req).expect(409);
    expect(res.body.code).toBe('RESOURCE_UNAVAILABLE');
    expect(res.body.reasons[0].reason).toBe('public-holiday');
    await book({ ...req, priority: 'emergency' }).expect(201);
  });

  it('refuses a municipality that is not a member of the pool', async () => {
    const res = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.sontra,
      start: '2026-06-01T08:00:00+02:00',
      end: '2026-06-01T10:00:00+02:00',
    }).expect(409);
    expect(res.body.reasons.map((x: { reason: string }) => x.reason)).toContain('not-a-pool-member');
  });

  it('respects blackouts and overdue inspections', async () => {
    await http()
      .post(`/api/v1/resources/${r.sweeper2Id}/blackouts`)
      .set(adminAuth)
      .send({ start: '2026-06-08T00:00:00+02:00', end: '2026-06-13T00:00:00+02:00', reason: 'Wartung' })
      .expect(201);
    const res = await book({
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-06-09T08:00:00+02:00',
      end: '2026-06-09T10:00:00+02:00',
    }).expect(409);
    expect(res.body.reasons[0].reason).toBe('blackout');
  });

  it('books a machine and a qualified operator together, or neither', async () => {
    const before = await bookingCount();
    const unqualified = await book({
      resourceId: r.cameraId,
      municipalityId: r.towns.eschwege,
      operatorId: r.plainStaffId,
      start: '2026-06-02T08:00:00+02:00',
      end: '2026-06-02T12:00:00+02:00',
    }).expect(409);
    expect(unqualified.body.reasons[0].reason).toBe('operator-not-qualified');
    expect(await bookingCount()).toBe(before);

    const res = await book({
      resourceId: r.cameraId,
      municipalityId: r.towns.eschwege,
      start: '2026-06-02T08:00:00+02:00',
      end: '2026-06-02T12:00:00+02:00',
    }).expect(201);
    expect(res.body.operatorBooking).toMatchObject({
      resourceId: r.cameraOperatorId,
      operatorForBookingId: res.body.id,
    });

    // The only certified operator is busy elsewhere: the camera alone is not booked either.
    await book({
      resourceId: r.cameraOperatorId,
      municipalityId: r.towns.witzenhausen,
      start: '2026-06-03T08:00:00+02:00',
      end: '2026-06-03T12:00:00+02:00',
    }).expect(201);
    const none = await book({
      resourceId: r.cameraId,
      municipalityId: r.towns.eschwege,
      start: '2026-06-03T09:00:00+02:00',
      end: '2026-06-03T11:00:00+02:00',
    }).expect(409);
    expect(none.body.code).toBe('RESOURCE_UNAVAILABLE');
    expect(await bookingCount()).toBe(before + 3);
  });

  it('lets an emergency displace a normal booking, which goes to the waitlist with alternatives', async () => {
    const normal = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.wanfried,
      start: '2026-07-06T08:00:00+02:00',
      end: '2026-07-06T12:00:00+02:00',
    }).expect(201);
    const emergency = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: '2026-07-06T09:00:00+02:00',
      end: '2026-07-06T11:00:00+02:00',
      priority: 'emergency',
    }).expect(201);
    expect(emergency.body.displacedBookingIds).toEqual([normal.body.id]);
    const displaced = await http().get(`/api/v1/bookings/${normal.body.id}`).set(adminAuth).expect(200);
    expect(displaced.body).toMatchObject({ status: 'displaced', sequence: 1 });
    const waitlist = await http().get(`/api/v1/waitlist?poolId=${r.poolId}`).set(adminAuth).expect(200);
    expect(
      waitlist.body.items.find(
        (e: { displacedBookingId: string }) => e.displacedBookingId === normal.body.id,
      ),
    ).toMatchObject({
      reason: 'displaced',
      status: 'waiting',
    });
    const events = await sql<{ kind: string; payload: { alternatives: unknown[] } }>(
      `SELECT kind, payload FROM booking_events WHERE booking_id = $1 ORDER BY id`,
      [normal.body.id],
    );
    expect(events.map((e) => e.kind)).toEqual(['booking.created', 'booking.displaced']);
    expect(events[1].payload.alternatives.length).toBeGreaterThan(0);
    // An emergency does not displace another emergency.
    await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.wanfried,
      start: '2026-07-06T10:00:00+02:00',
      end: '2026-07-06T10:30:00+02:00',
      priority: 'emergency',
    }).expect(409);
  });

  it('offers a freed slot to the waitlist in order, and the offer can be taken', async () => {
    const slot = { start: '2026-07-08T08:00:00+02:00', end: '2026-07-08T10:00:00+02:00' };
    const held = await book({ resourceId: r.sweeper2Id, municipalityId: r.towns.wanfried, ...slot }).expect(
      201,
    );
    const first = await http()
      .post('/api/v1/waitlist')
      .set(adminAuth)
      .send({ poolId: r.poolId, type: 'street-sweeper', municipalityId: r.towns.wanfried, ...slot })
      .expect(201);
    await http()
      .post('/api/v1/waitlist')
      .set(adminAuth)
      .send({ poolId: r.poolId, type: 'street-sweeper', municipalityId: r.towns.eschwege, ...slot })
      .expect(201);
    const cancelled = await http().post(`/api/v1/bookings/${held.body.id}/cancel`).set(adminAuth).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.offeredWaitlistEntryIds).toEqual([first.body.id]);
    const taken = await http().post(`/api/v1/waitlist/${first.body.id}/accept`).set(adminAuth).expect(201);
    expect(taken.body).toMatchObject({ resourceId: r.sweeper2Id, start: '2026-07-08T06:00:00.000Z' });
    await http().post(`/api/v1/waitlist/${first.body.id}/accept`).set(adminAuth).expect(409);
  });

  it('reschedules keeping the id and bumping the sequence; a conflicting move changes nothing', async () => {
    const a = await book({
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-08-03T08:00:00+02:00',
      end: '2026-08-03T10:00:00+02:00',
    }).expect(201);
    const b = await book({
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-08-03T12:00:00+02:00',
      end: '2026-08-03T14:00:00+02:00',
    }).expect(201);
    const moved = await http()
      .patch(`/api/v1/bookings/${a.body.id}`)
      .set(adminAuth)
      .send({ start: '2026-08-03T09:00:00+02:00', end: '2026-08-03T11:00:00+02:00' })
      .expect(200);
    expect(moved.body).toMatchObject({ id: a.body.id, sequence: 1, start: '2026-08-03T07:00:00.000Z' });
    const clash = await http()
      .patch(`/api/v1/bookings/${a.body.id}`)
      .set(adminAuth)
      .send({ end: '2026-08-03T12:30:00+02:00' })
      .expect(409);
    expect(clash.body.conflictingBookingIds).toEqual([b.body.id]);
    const unchanged = await http().get(`/api/v1/bookings/${a.body.id}`).set(adminAuth).expect(200);
    expect(unchanged.body).toMatchObject({ sequence: 1, end: '2026-08-03T09:00:00.000Z' });
    const audit = await sql<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [a.body.id],
    );
    expect(audit.map((x) => x.action)).toEqual(['booking.create', 'booking.reschedule']);
  });

  it('books a recurring series all-or-nothing, or skipping conflicts when asked', async () => {
    const base = {
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-09-07T07:00:00+02:00',
      end: '2026-09-07T09:00:00+02:00',
    };
    await book({ ...base, start: '2026-09-14T08:00:00+02:00', end: '2026-09-14T08:30:00+02:00' }).expect(201);
    const before = await bookingCount();
    const fail = await http()
      .post('/api/v1/bookings/series')
      .set(adminAuth)
      .send({ ...base, recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3' } })
      .expect(409);
    expect(fail.body.conflictingOccurrences).toHaveLength(1);
    expect(fail.body.conflictingOccurrences[0].start).toBe('2026-09-14T05:00:00.000Z');
    expect(await bookingCount()).toBe(before);
    const skip = await http()
      .post('/api/v1/bookings/series')
      .set(adminAuth)
      .send({ ...base, recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3', onConflict: 'skip' } })
      .expect(201);
    expect(skip.body.bookings).toHaveLength(2);
    expect(skip.body.skipped).toHaveLength(1);
    expect(await bookingCount()).toBe(before + 2);
  });

  it('refuses a malformed or never-matching RRULE with a German 422 and stays responsive', async () => {
    const base = {
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-11-16T07:00:00+01:00',
      end: '2026-11-16T09:00:00+01:00',
    };
    const before = await bookingCount();
    // INTERVAL=abc never advanced rrule.js's walk: the request used to hang the API for good.
    const cases: [string, RegExp][] = [
      ['FREQ=DAILY;INTERVAL=abc;COUNT=2', /INTERVAL muss zwischen 1 und 1000 liegen/],
      ['FREQ=DAILY;COUNT=abc', /COUNT muss mindestens 1 sein/],
      ['FREQ=DAILY;BYDAY=XX;COUNT=2', /BYDAY muss Wochentage nennen/],
      ['FREQ', /ist keine gültige RRULE: Teile NAME=WERT/],
      ['FREQ=DAILY;FOO=1;COUNT=2', /unbekannte Eigenschaft „FOO“/],
      ['COUNT=2', /FREQ fehlt oder ist unbekannt/],
      ['FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2', /trifft zu selten zu: .* 5 Jahren ab start/],
      ['FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;COUNT=1', /trifft zu selten zu: .* 100 Jahren ab start/],
    ];
    for (const [rrule, german] of cases) {
      const res = await http()
        .post('/api/v1/bookings/series')
        .set(adminAuth)
        .send({ ...base, recurrence: { rrule } })
        .expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'recurrence.rrule' })]);
      expect(res.body.errors[0].message).toMatch(german);
    }
    expect(await bookingCount()).toBe(before);
    await http()
      .post('/api/v1/bookings/series')
      .set(adminAuth)
      .send({ ...base, recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=2' } })
      .expect(201);
  });

  it('records usage on return', async () => {
    const b = await book({
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-09-01T08:00:00+02:00',
      end: '2026-09-01T12:00:00+02:00',
    }).expect(201);
    stack.clock.set(new Date('2026-09-01T12:00:00+02:00'));
    const res = await http()
      .post(`/api/v1/bookings/${b.body.id}/usage`)
      .set(adminAuth)
      .send({ meterStart: 1200.5, meterEnd: 1204 })
      .expect(200);
    expect(res.body.operatingHours).toBeCloseTo(3.5);
    await http()
      .post(`/api/v1/bookings/${b.body.id}/usage`)
      .set(adminAuth)
      .send({ meterStart: 10, meterEnd: 5 })
      .expect(422);
  });

  it('finds free windows, travel-aware, best fit first', async () => {
    await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: '2026-04-21T07:00:00+02:00',
      end: '2026-04-21T09:00:00+02:00',
    }).expect(201);
    const res = await http()
      .get('/api/v1/availability')
      .query({
        poolId: r.poolId,
        type: 'street-sweeper',
        from: '2026-04-21T00:00:00+02:00',
        to: '2026-04-22T00:00:00+02:00',
        municipalityId: r.towns.wanfried,
      })
      .set(adminAuth)
      .expect(200);
    const windows = res.body.windows as {
      resourceId: string;
      start: string;
      end: string;
      travelMinutes: number;
    }[];
    // Sweeper 2 lives in Wanfried: no travel, so it comes first with the pool's operating day
    // (by default Mon–Fri 06:00–20:00); any hour when asked for.
    expect(windows[0]).toMatchObject({
      resourceId: r.sweeper2Id,
      travelMinutes: 0,
      start: '2026-04-21T04:00:00.000Z',
      startLocal: '2026-04-21T06:00:00+02:00',
      end: '2026-04-21T18:00:00.000Z',
      endLocal: '2026-04-21T20:00:00+02:00',
    });
    const anyTime = await http()
      .get('/api/v1/availability')
      .query({
        poolId: r.poolId,
        type: 'street-sweeper',
        from: '2026-04-21T00:00:00+02:00',
        to: '2026-04-22T00:00:00+02:00',
        municipalityId: r.towns.wanfried,
        anyTime: 'true',
      })
      .set(adminAuth)
      .expect(200);
    expect(anyTime.body.windows[0]).toMatchObject({
      resourceId: r.sweeper2Id,
      start: '2026-04-20T22:00:00.000Z',
      end: '2026-04-21T22:00:00.000Z',
    });
    // Sweeper 1 works in Eschwege until 09:00; Eschwege → Wanfried: ~8.3 km × 1.3 at 25 km/h = 26 min, rounded up to 30.
    const sweeper1 = windows.filter((w) => w.resourceId === r.sweeperId);
    expect(sweeper1.map((w) => w.start)).toContain('2026-04-21T07:30:00.000Z');
    expect(
      sweeper1.every((w) => w.end <= '2026-04-21T05:00:00.000Z' || w.start >= '2026-04-21T07:30:00.000Z'),
    ).toBe(true);
  });

  describe('bad input: clear errors, nothing written', () => {
    const valid = () => ({
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: '2026-11-02T08:00:00+01:00',
      end: '2026-11-02T10:00:00+01:00',
    });
    it.each([
      ['end before start', { end: '2026-11-02T07:00:00+01:00' }, 422, 'end'],
      ['zero length', { end: '2026-11-02T08:00:00+01:00' }, 422, 'end'],
      ['a year before 2000', { start: '1999-11-02T08:00:00+01:00' }, 422, 'start'],
      ['a year after 2100', { end: '2101-11-02T08:00:00+01:00' }, 422, 'end'],
      ['a local time without offset', { start: '2026-11-02T08:00:00' }, 422, 'start'],
      ['a malformed resource id', { resourceId: 'abc' }, 422, 'resourceId'],
      ['an unknown field', { status: 'active' }, 422, 'status'],
      ['a price', { hourlyRateCents: 1 }, 422, 'hourlyRateCents'],
      ['an unknown priority', { priority: 'urgent' }, 422, 'priority'],
    ])('%s', async (_, patch, status, field) => {
      const before = await bookingCount();
      const res = await book({ ...valid(), ...patch }).expect(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await bookingCount()).toBe(before);
    });

    it('an unknown resource is 404', async () => {
      await book({ ...valid(), resourceId: '0d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77' }).expect(404);
    });

    it('an unknown site municipality is 422', async () => {
      await book({ ...valid(), siteMunicipalityId: '0d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77' }).expect(422);
    });

    it('unknown and malformed booking ids are 404 everywhere', async () => {
      for (const id of ['not-a-uuid', '0d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77']) {
        await http().get(`/api/v1/bookings/${id}`).set(adminAuth).expect(404);
        await http().patch(`/api/v1/bookings/${id}`).set(adminAuth).send({}).expect(404);
        await http().post(`/api/v1/bookings/${id}/cancel`).set(adminAuth).expect(404);
      }
    });

    it('a page size over the limit is 422', async () => {
      await http().get('/api/v1/bookings?limit=501').set(adminAuth).expect(422);
    });

    it('an availability window over 92 days is 422', async () => {
      await http()
        .get('/api/v1/availability')
        .query({
          poolId: r.poolId,
          type: 'street-sweeper',
          from: '2026-01-01T00:00:00Z',
          to: '2026-06-01T00:00:00Z',
        })
        .set(adminAuth)
        .expect(422);
    });
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const body = {
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.wanfried,
      start: '2026-10-05T08:00:00+02:00',
      end: '2026-10-05T09:00:00+02:00',
    };
    const a = await book(body).set('Idempotency-Key', 'bk-1').expect(201);
    const b = await book(body).set('Idempotency-Key', 'bk-1').expect(201);
    expect(b.body.id).toBe(a.body.id);
  });

  it('never leaves two active bookings of one resource overlapping', async () => {
    const rows = await sql(`
      SELECT a.id FROM bookings a JOIN bookings b
        ON a.resource_id = b.resource_id AND a.id < b.id
       AND a.status = 'active' AND b.status = 'active'
       AND tstzrange(a.blocked_start, a.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)`);
    expect(rows).toEqual([]);
  });
});
