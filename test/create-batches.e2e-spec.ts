import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { startTestStack, TestStack } from './support/test-app';
import { adminAuth, Region, seedRegion } from './support/seed';
import { Client } from 'pg';
import { createUserViaApi, sql } from './support/world';

/**
 * Creates that arrive together share transactions (CreateBatches): every answer must be the one
 * the request would have had alone, with its trail, and nothing may overlap.
 */
describe('create batches: a burst of creates, each answered as alone (real PostgreSQL)', () => {
  jest.setTimeout(120_000);
  let stack: TestStack;
  let r: Region;
  const machines: string[] = [];
  const http = () => request(stack.api.getHttpServer());
  const book = (body: object, auth: Record<string, string> = adminAuth) =>
    http().post('/api/v1/bookings').set(auth).send(body);
  const at = (day: string, time: string) => `${day}T${time}:00+02:00`;
  const utc = (day: string, time: string) => new Date(at(day, time)).toISOString();

  beforeAll(async () => {
    stack = await startTestStack();
    r = await seedRegion(stack.api);
    for (let i = 0; i < 10; i++) machines.push(await sweeper(`Kehrmaschine B${i}`));
  });

  /** A street sweeper of the pool with its depot in Eschwege (25 km/h on the road): its id. */
  async function sweeper(name: string): Promise<string> {
    const res = await http()
      .post('/api/v1/resources')
      .set(adminAuth)
      .send({
        poolId: r.poolId,
        kind: 'machine',
        name,
        type: 'street-sweeper',
        homeMunicipalityId: r.towns.eschwege,
        hourlyRateCents: 6500,
        transportSpeedKmh: 25,
      })
      .expect(201);
    return res.body.id as string;
  }

  afterAll(async () => {
    await stack.close();
  });

  /** Transactions that wrote these bookings (a booking's xmin): fewer than bookings when batched. */
  async function transactionsOf(ids: string[]): Promise<number> {
    const [row] = await sql<{ n: string }>(
      stack,
      'SELECT count(DISTINCT xmin::text) AS n FROM bookings WHERE id = ANY ($1)',
      [ids],
    );
    return Number(row.n);
  }

  async function noOverlaps(): Promise<void> {
    const overlaps = await sql(
      stack,
      `SELECT a.id FROM bookings a JOIN bookings b ON a.resource_id = b.resource_id AND a.id < b.id
        WHERE a.status = 'active' AND b.status = 'active'
          AND tstzrange(a.blocked_start, a.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)`,
    );
    expect(overlaps).toEqual([]);
  }

  it('books a burst together, with travel legs, and refuses in it exactly what it would refuse alone', async () => {
    const day = '2026-06-09';
    // Booked beforehand (alone): the follower whose leg a burst booking moves, and a conflict.
    const follower = await book({
      resourceId: machines[5],
      municipalityId: r.towns.eschwege,
      start: at(day, '14:00'),
      end: at(day, '15:00'),
    }).expect(201);
    expect(follower.body.blockedStart).toBe(utc(day, '14:00'));
    const held = await book({
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: at(day, '07:00'),
      end: at(day, '09:00'),
    }).expect(201);

    const requests: { name: string; body: object }[] = [
      // At the depot: nothing to travel.
      ...[0, 1, 2, 3, 4].map((i) => ({
        name: `depot ${i}`,
        body: {
          resourceId: machines[i],
          municipalityId: r.towns.eschwege,
          start: at(day, '07:00'),
          end: at(day, '09:00'),
        },
      })),
      // In Witzenhausen: 70 minutes from the depot in Eschwege, blocked before.
      ...[5, 6, 7, 8, 9].map((i) => ({
        name: `away ${i}`,
        body: {
          resourceId: machines[i],
          municipalityId: r.towns.witzenhausen,
          start: at(day, '10:00'),
          end: at(day, '11:00'),
        },
      })),
      {
        name: 'second of machine 2',
        body: {
          resourceId: machines[2],
          municipalityId: r.towns.witzenhausen,
          start: at(day, '13:00'),
          end: at(day, '14:00'),
        },
      },
      {
        name: 'overlap of machine 3',
        body: {
          resourceId: machines[3],
          municipalityId: r.towns.eschwege,
          start: at(day, '08:00'),
          end: at(day, '10:00'),
        },
      },
      {
        name: 'conflict',
        body: {
          resourceId: r.sweeperId,
          municipalityId: r.towns.eschwege,
          start: at(day, '08:00'),
          end: at(day, '10:00'),
        },
      },
      {
        name: 'holiday',
        body: {
          resourceId: r.sweeper2Id,
          municipalityId: r.towns.wanfried,
          start: at('2026-05-14', '08:00'),
          end: at('2026-05-14', '10:00'),
        },
      },
      {
        name: 'not a member',
        body: {
          resourceId: r.sweeper2Id,
          municipalityId: r.towns.sontra,
          start: at(day, '08:00'),
          end: at(day, '10:00'),
        },
      },
      {
        name: 'needs an operator',
        body: {
          resourceId: r.cameraId,
          municipalityId: r.towns.eschwege,
          start: at(day, '07:00'),
          end: at(day, '09:00'),
        },
      },
      {
        name: 'unknown machine',
        body: {
          resourceId: randomUUID(),
          municipalityId: r.towns.eschwege,
          start: at(day, '07:00'),
          end: at(day, '09:00'),
        },
      },
    ];
    const answers = await Promise.all(requests.map((q) => book(q.body)));
    const by = new Map(requests.map((q, i) => [q.name, answers[i]]));
    const status = Object.fromEntries(requests.map((q, i) => [q.name, answers[i].status]));

    for (const i of [0, 1, 2, 4]) {
      expect(status[`depot ${i}`]).toBe(201);
      expect(by.get(`depot ${i}`)!.body).toMatchObject({
        resourceId: machines[i],
        status: 'active',
        blockedStart: utc(day, '07:00'),
        sequence: 0,
        resourceName: `Kehrmaschine B${i}`,
        needsOperator: false,
        municipalityName: 'Eschwege',
        operatorBooking: null,
        displacedBookingIds: [],
      });
    }
    for (const i of [5, 6, 7, 8, 9]) {
      expect(status[`away ${i}`]).toBe(201);
      expect(by.get(`away ${i}`)!.body).toMatchObject({
        blockedStart: utc(day, '08:50'),
        siteMunicipalityName: 'Witzenhausen',
      });
    }
    // The follower now travels from Witzenhausen: its leg starts 70 minutes before 14:00.
    const moved = await http().get(`/api/v1/bookings/${follower.body.id}`).set(adminAuth).expect(200);
    expect(moved.body.blockedStart).toBe(utc(day, '12:50'));
    // Two of one machine wait for each other: both booked, the later one leaving after the first.
    expect(status['second of machine 2']).toBe(201);
    expect(by.get('second of machine 2')!.body.blockedStart).toBe(utc(day, '11:50'));
    // Two overlapping of one machine: one of them.
    expect([status['depot 3'], status['overlap of machine 3']].sort()).toEqual([201, 409]);
    const lost = status['depot 3'] === 409 ? by.get('depot 3')! : by.get('overlap of machine 3')!;
    expect(lost.body.code).toBe('BOOKING_CONFLICT');

    expect(status.conflict).toBe(409);
    expect(by.get('conflict')!.body).toMatchObject({
      code: 'BOOKING_CONFLICT',
      conflictingBookingIds: [held.body.id],
    });
    expect(by.get('conflict')!.body.alternatives.length).toBeGreaterThan(0);
    expect(status.holiday).toBe(409);
    expect(by.get('holiday')!.body.reasons[0].reason).toBe('public-holiday');
    expect(status['not a member']).toBe(409);
    expect(by.get('not a member')!.body.reasons.map((x: { reason: string }) => x.reason)).toContain(
      'not-a-pool-member',
    );
    expect(status['needs an operator']).toBe(201);
    expect(by.get('needs an operator')!.body.operatorBooking).toMatchObject({
      resourceId: r.cameraOperatorId,
    });
    expect(status['unknown machine']).toBe(404);

    const created = answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
    expect(created).toHaveLength(12);
    // Batched: fewer transactions than bookings.
    expect(await transactionsOf(created)).toBeLessThan(created.length);
    // Every booking has its audit entry and its outbox event, once.
    const trail = await sql<{ id: string; audits: string; events: string }>(
      stack,
      `SELECT b.id,
              (SELECT count(*) FROM audit_log a WHERE a.entity_id = b.id::text AND a.action = 'booking.create') AS audits,
              (SELECT count(*) FROM booking_events e WHERE e.booking_id = b.id AND e.kind = 'booking.created') AS events
         FROM bookings b WHERE b.id = ANY ($1)`,
      [created],
    );
    expect(trail).toHaveLength(12);
    for (const t of trail) expect([t.audits, t.events]).toEqual(['1', '1']);
    const [audit] = await sql<{ actor_token_name: string; after: { resourceId: string } }>(
      stack,
      `SELECT actor_token_name, after FROM audit_log WHERE entity_id = $1`,
      [by.get('depot 0')!.body.id],
    );
    expect(audit.after.resourceId).toBe(machines[0]);
    await noOverlaps();
  });

  it('batches a municipal yard manager under row-level security, and keeps other pools invisible', async () => {
    const yard = await createUserViaApi(stack, {
      email: 'bauhof-batch@eschwege.example',
      name: 'Bauhof Eschwege',
      role: 'yard-manager',
      municipalityId: r.towns.eschwege,
    });
    const auth = { Authorization: `Bearer ${yard.token}` };
    const foreign = await http()
      .post('/api/v1/resources')
      .set(adminAuth)
      .send({
        poolId: r.otherPoolId,
        kind: 'machine',
        name: 'Schneepflug Sontra',
        type: 'snow-plough',
        homeMunicipalityId: r.towns.sontra,
        hourlyRateCents: 9000,
      })
      .expect(201);
    const day = '2026-06-10';
    const bodies = [
      ...machines.map((id) => ({
        resourceId: id,
        municipalityId: r.towns.eschwege,
        start: at(day, '07:00'),
        end: at(day, '08:00'),
      })),
      {
        resourceId: foreign.body.id,
        municipalityId: r.towns.eschwege,
        start: at(day, '07:00'),
        end: at(day, '08:00'),
      },
      // Booking for another municipality: not the yard manager's to make.
      {
        resourceId: r.sweeperId,
        municipalityId: r.towns.wanfried,
        start: at(day, '07:00'),
        end: at(day, '08:00'),
      },
    ];
    const answers = await Promise.all(bodies.map((b) => book(b, auth)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(404);
    expect(statuses[11]).toBe(403);
    const created = answers.slice(0, 10).map((a) => a.body.id as string);
    expect(await transactionsOf(created)).toBeLessThan(created.length);
    const audits = await sql<{ actor_user_id: string }>(
      stack,
      `SELECT actor_user_id FROM audit_log WHERE entity_id = ANY ($1)`,
      [created],
    );
    expect(audits.map((a) => a.actor_user_id)).toEqual(Array(10).fill(yard.id));
    await noOverlaps();
  });

  it('undoes a batch the database refuses as a whole and answers each of its requests alone', async () => {
    // A rule only the database knows (a trigger, as a constraint added later would be): the batch
    // that carries the refused booking fails whole, and each request is run again on its own.
    await sql(
      stack,
      `CREATE FUNCTION test_refuse_notes() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.notes = 'refuse me' THEN
           RAISE EXCEPTION 'refused by the test' USING ERRCODE = '23514', COLUMN = 'notes';
         END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER test_refuse_notes BEFORE INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION test_refuse_notes();`,
    );
    const day = '2026-06-11';
    const bodies = machines.map((id, i) => ({
      resourceId: id,
      municipalityId: r.towns.eschwege,
      start: at(day, '07:00'),
      end: at(day, '08:00'),
      notes: i >= 6 ? 'refuse me' : 'Kehren',
    }));
    const answers = await Promise.all(bodies.map((b) => book(b)));
    const alone = await book({ ...bodies[9], start: at(day, '09:00'), end: at(day, '10:00') });
    await sql(stack, 'DROP TRIGGER test_refuse_notes ON bookings; DROP FUNCTION test_refuse_notes()');
    expect(alone.status).toBe(422);
    expect(answers.map((a) => a.status)).toEqual([...Array(6).fill(201), ...Array(4).fill(422)]);
    for (const a of answers.slice(6)) expect(a.body).toEqual(alone.body);
    const [row] = await sql<{ n: string }>(
      stack,
      `SELECT count(*) AS n FROM bookings WHERE resource_id = ANY ($1) AND start_at >= $2 AND start_at < $3`,
      [machines, at(day, '00:00'), at('2026-06-12', '00:00')],
    );
    expect(Number(row.n)).toBe(6);
    await noOverlaps();
  });

  it('reads the same calendar for a batch as for one booking alone (the two SQL functions agree)', async () => {
    const day = '2026-06-09';
    const lookback = (time: string) => new Date(new Date(at(day, time)).getTime() - 24 * 3_600_000);
    const sorted = [...machines].sort();
    const queries = sorted.map((id, i) => ({
      id,
      start: new Date(at(day, i % 2 ? '10:00' : '12:00')),
      end: new Date(at(day, i % 2 ? '11:00' : '13:00')),
      lookback: lookback(i % 2 ? '10:00' : '12:00'),
      site: i % 3 ? r.towns.witzenhausen : r.towns.eschwege,
    }));
    const [many] = await sql<{ p: { items: { locked: { id: string }; placement: object }[] } }>(
      stack,
      `SELECT allmende_lock_and_place_many(NULL, NULL, NULL, NULL, $1, $2, $3, $4, $5, $6, $7, $7) AS p`,
      [
        queries.map((q) => q.id),
        queries.map((q) => q.start),
        queries.map((q) => q.end),
        queries.map((q) => q.lookback),
        queries.map((q) => q.site),
        queries.map(() => r.towns.eschwege),
        queries.map(() => day),
      ],
    );
    expect(many.p.items).toHaveLength(queries.length);
    for (const [i, q] of queries.entries()) {
      const [one] = await sql<{ p: { locked: { id: string }[]; placement: object } }>(
        stack,
        `SELECT allmende_lock_and_place(NULL, NULL, NULL, NULL, $1, $2, $3, $4, '{}', $5, $6, $7, $8, $8) AS p`,
        [[q.id], q.id, q.start, q.end, q.lookback, q.site, r.towns.eschwege, day],
      );
      expect(many.p.items[i].locked).toEqual(one.p.locked[0]);
      expect(many.p.items[i].placement).toEqual(one.p.placement);
    }
    // Something was read: the burst's bookings are in the calendars.
    expect(JSON.stringify(many.p.items)).toContain('"previous":{');
  });

  it('finds the legs a batch moves by key in a table of 10,000 bookings, never by reading all of it', async () => {
    // 8 machines with a booking every day of 1,250 (07:00–08:00 UTC at the depot), loaded in bulk.
    const bulk: string[] = [];
    for (let i = 0; i < 8; i++) bulk.push(await sweeper(`Kehrmaschine L${i}`));
    await sql(
      stack,
      `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                             blocked_start, blocked_end)
       SELECT $1, m.id, $2, $2, s, s + interval '1 hour', s, s + interval '1 hour'
         FROM unnest($3::uuid[]) AS m(id),
              generate_series(timestamptz '2031-01-01 07:00Z', timestamptz '2031-01-01 07:00Z' + interval '1249 days',
                              interval '1 day') AS s`,
      [r.poolId, r.towns.eschwege, bulk],
    );
    await sql(stack, 'ANALYZE bookings');

    // A burst in Witzenhausen at noon: each moves the next morning's leg (70 minutes from there).
    const answers = await Promise.all(
      bulk.map((id) =>
        book({
          resourceId: id,
          municipalityId: r.towns.witzenhausen,
          start: '2031-03-04T12:00:00Z',
          end: '2031-03-04T13:00:00Z',
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(await transactionsOf(answers.map((a) => a.body.id))).toBeLessThan(8);
    const followers = await sql<{ blocked_start: Date }>(
      stack,
      `SELECT blocked_start FROM bookings WHERE resource_id = ANY ($1) AND start_at = '2031-03-05T07:00Z'`,
      [bulk],
    );
    expect(followers.map((f) => f.blocked_start.toISOString())).toEqual(
      Array(8).fill('2031-03-05T05:50:00.000Z'),
    );
    await noOverlaps();

    // The plan the batch function runs for the legs (auto_explain of its nested statements).
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    const plans: string[] = [];
    client.on('notice', (n) => plans.push(n.message ?? ''));
    try {
      await client.query(`LOAD 'auto_explain'`);
      await client.query(`SET auto_explain.log_min_duration = 0`);
      await client.query(`SET auto_explain.log_nested_statements = on`);
      await client.query(`SET client_min_messages = log`);
      await client.query('BEGIN');
      const legs = await client.query<{ booking_id: string; blocked_start: Date }>(
        `SELECT id AS booking_id, blocked_start FROM bookings WHERE resource_id = ANY ($1) AND start_at = '2031-06-03T07:00Z'`,
        [bulk],
      );
      await client.query(`SELECT allmende_insert_bookings('[]', $1, '[]', '[]')`, [
        JSON.stringify(legs.rows),
      ]);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    const update = plans.find((p) => p.includes('Update on bookings'));
    expect(update).toBeDefined();
    expect(update).toMatch(/Index Scan|Bitmap Index Scan/);
    expect(update).not.toContain('Seq Scan on bookings');
  });
});
