import { Client } from 'pg';
import { OUTBOX_WAKE_SQL } from '@allmende/database';
import request from 'supertest';
import { ADMIN_TOKEN, TestStack } from './test-app';

export const ROLE_NAMES = ['admin', 'coordinator', 'yard-manager', 'finance', 'viewer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface WorldUser {
  id: string;
  email: string;
  token: string;
  tokenId: string;
}

/**
 * Two sides for isolation tests. "Own" is Eschwege (A) in the building-yard pool P1, which it
 * shares with Sontra (C); "foreign" is Witzenhausen (B), alone in the winter-service pool P2.
 * A has one user of every role (its coordinator coordinates P1); B has a yard-manager and the
 * coordinator of P2. Bookings carry private notes and contacts whose text must never reach a
 * caller that may not see them.
 */
export interface World {
  municipalities: { A: string; B: string; C: string };
  pools: { P1: string; P2: string };
  resources: { R1: string; R2: string };
  bookings: { A: string; B: string; C: string };
  /** Callers of municipality A, one per role (the admin has no municipality). */
  own: Record<RoleName, WorldUser>;
  /** Users of B: its yard-manager and the coordinator of P2. */
  foreign: { yardManager: WorldUser; coordinator: WorldUser };
  /** Spare users nobody calls as: targets of user endpoints. */
  spare: { A: WorldUser; B: WorldUser };
  /** Text that only the named municipality (and its pool's coordinators) may read. */
  secrets: { A: string[]; B: string[]; C: string[] };
}

/** After outbox rows written with SQL: wakes the relay, as the API does once its work has committed. */
export const wakeOutbox = (stack: TestStack) => sql(stack, OUTBOX_WAKE_SQL);

export async function sql<T = Record<string, unknown>>(
  stack: TestStack,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: stack.db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function createUserViaApi(
  stack: TestStack,
  body: { email: string; name: string; role: string; municipalityId?: string; poolIds?: string[] },
): Promise<WorldUser> {
  const res = await request(stack.api.getHttpServer())
    .post('/api/v1/users')
    .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
    .send(body);
  if (res.status !== 201)
    throw new Error(`creating ${body.email}: ${res.status} ${JSON.stringify(res.body)}`);
  const b = res.body as { id: string; email: string; token: string; tokenDetails: { id: string } };
  return { id: b.id, email: b.email, token: b.token, tokenId: b.tokenDetails.id };
}

/** Builds the world: reference and pool data in SQL (as the owner), users through the API. */
export async function buildWorld(stack: TestStack): Promise<World> {
  const [m] = await sql<{ a: string; b: string; c: string }>(
    stack,
    `WITH ins AS (
       INSERT INTO municipalities (name, ags, population, lat, lon) VALUES
         ('Eschwege', '06636003', 19500, 51.185, 10.056),
         ('Witzenhausen', '06636016', 14800, 51.341, 9.857),
         ('Sontra', '06636011', 7600, 51.066, 9.935)
       RETURNING id, ags)
     SELECT (SELECT id FROM ins WHERE ags = '06636003') a, (SELECT id FROM ins WHERE ags = '06636016') b,
            (SELECT id FROM ins WHERE ags = '06636011') c`,
  );
  const [p] = await sql<{ p1: string; p2: string }>(
    stack,
    `WITH ins AS (
       INSERT INTO pools (name, field_of_action) VALUES ('Bauhof-Verbund Ost', 'building-yard'),
         ('Winterdienst Nord', 'winter-service') RETURNING id, name)
     SELECT (SELECT id FROM ins WHERE name = 'Bauhof-Verbund Ost') p1,
            (SELECT id FROM ins WHERE name = 'Winterdienst Nord') p2`,
  );
  await sql(
    stack,
    `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES
       ($1, $3, '2025-01-01'), ($1, $5, '2025-01-01'), ($2, $4, '2025-01-01')`,
    [p.p1, p.p2, m.a, m.b, m.c],
  );
  await sql(
    stack,
    `INSERT INTO pool_travel_times (pool_id, from_municipality_id, to_municipality_id, minutes) VALUES
       ($1, $3, $4, 25), ($2, $5, $5, 0)`,
    [p.p1, p.p2, m.a, m.c, m.b],
  );
  const [r] = await sql<{ r1: string; r2: string }>(
    stack,
    `WITH ins AS (
       INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, hourly_rate_cents) VALUES
         ($1, 'machine', 'Kehrmaschine Eschwege', 'street-sweeper', $3, 9500),
         ($2, 'machine', 'Schneepflug Witzenhausen', 'snow-plough', $4, 12000)
       RETURNING id, pool_id)
     SELECT (SELECT id FROM ins WHERE pool_id = $1) r1, (SELECT id FROM ins WHERE pool_id = $2) r2`,
    [p.p1, p.p2, m.a, m.b],
  );
  await sql(
    stack,
    `INSERT INTO blackouts (resource_id, start_at, end_at, reason) VALUES
       ($1, '2026-03-02T06:00Z', '2026-03-03T06:00Z', 'Wartung'), ($2, '2026-03-02T06:00Z', '2026-03-03T06:00Z', 'TÜV')`,
    [r.r1, r.r2],
  );
  const secrets = {
    A: ['PRIVATE-NOTE-ESCHWEGE', 'contact-eschwege@example.test'],
    B: ['PRIVATE-NOTE-WITZENHAUSEN', 'contact-witzenhausen@example.test'],
    C: ['PRIVATE-NOTE-SONTRA', 'contact-sontra@example.test'],
  };
  const booking = async (pool: string, resource: string, municipality: string, day: string, s: string[]) => {
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                             blocked_start, blocked_end, notes, contact)
       VALUES ($1, $2, $3, $3, $4::timestamptz, $4::timestamptz + interval '4 hours',
               $4::timestamptz - interval '30 minutes', $4::timestamptz + interval '4 hours 30 minutes', $5, $6)
       RETURNING id`,
      [pool, resource, municipality, day, s[0], s[1]],
    );
    await sql(stack, `INSERT INTO booking_usages (booking_id, operating_hours, notes) VALUES ($1, 3.5, $2)`, [
      row.id,
      s[0],
    ]);
    await sql(
      stack,
      `INSERT INTO booking_events (booking_id, municipality_id, kind, payload) VALUES ($1, $2, 'created', $3)`,
      [row.id, municipality, JSON.stringify({ notes: s[0] })],
    );
    await wakeOutbox(stack);
    await sql(
      stack,
      `INSERT INTO waitlist_entries (pool_id, resource_type, municipality_id, site_municipality_id,
                                     start_at, end_at, reason)
       VALUES ($1, 'street-sweeper', $2, $2, $3::timestamptz, $3::timestamptz + interval '2 hours', 'no-slot')`,
      [pool, municipality, day],
    );
    return row.id;
  };
  const bookings = {
    A: await booking(p.p1, r.r1, m.a, '2026-06-01T06:00Z', secrets.A),
    C: await booking(p.p1, r.r1, m.c, '2026-06-02T06:00Z', secrets.C),
    B: await booking(p.p2, r.r2, m.b, '2026-06-01T06:00Z', secrets.B),
  };

  const user = (role: RoleName, local: string, municipalityId: string | undefined, poolIds?: string[]) =>
    createUserViaApi(stack, {
      email: `${local}@world.example`,
      name: local,
      role,
      ...(municipalityId ? { municipalityId } : {}),
      ...(poolIds ? { poolIds } : {}),
    });
  const own: Record<RoleName, WorldUser> = {
    admin: await user('admin', 'admin', undefined),
    coordinator: await user('coordinator', 'coordinator-a', m.a, [p.p1]),
    'yard-manager': await user('yard-manager', 'yard-a', m.a),
    finance: await user('finance', 'finance-a', m.a),
    viewer: await user('viewer', 'viewer-a', m.a),
  };
  const foreign = {
    yardManager: await user('yard-manager', 'yard-b', m.b),
    coordinator: await user('coordinator', 'coordinator-b', m.b, [p.p2]),
  };
  const spare = { A: await user('viewer', 'spare-a', m.a), B: await user('viewer', 'spare-b', m.b) };
  secrets.B.push('yard-b@world.example', 'coordinator-b@world.example', 'spare-b@world.example');

  return {
    municipalities: { A: m.a, B: m.b, C: m.c },
    pools: { P1: p.p1, P2: p.p2 },
    resources: { R1: r.r1, R2: r.r2 },
    bookings,
    own,
    foreign,
    spare,
    secrets,
  };
}
