import request from 'supertest';
import { FixedClock } from '@allmende/core';
import { RouteDeclarations } from '../apps/api/src/auth/route-declarations';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { buildWorld, ROLE_NAMES, RoleName, sql, World } from './support/world';

/**
 * Every endpoint × every role × own / neighbour / foreign object, each cell with the status it
 * must answer. The caller is always a user of municipality A (the coordinator coordinates P1):
 * - own: an object of A, in pool P1;
 * - neighbour: an object of C, which shares P1 with A (bookings: busy time only, no private fields);
 * - foreign: an object of B, in pool P2 where A is not a member.
 * Every response body is also scanned for private text the caller may not read (notes, contacts
 * and e-mail addresses of other municipalities). A new endpoint needs a row here: the route
 * coverage test below fails until it has one.
 */

type Scope = 'own' | 'neighbour' | 'foreign';
type Expected = number | readonly number[];
type ByRole = Record<RoleName, Expected>;

interface Call {
  path: string;
  query?: Record<string, string | number>;
  body?: object;
}

interface Row {
  /** `METHOD path` as registered, e.g. `GET bookings/:id`. */
  route: string;
  cells: Partial<Record<Scope, ByRole>>;
  /** Builds the request; may create fresh objects first (writes must not disturb other cells). */
  call: (scope: Scope, role: RoleName) => Call | Promise<Call>;
  /** For list endpoints: the ids in the response, none of which may be another pool's. */
  ids?: (body: unknown) => string[];
}

/** Statuses in role order: admin, coordinator, yard-manager, finance, viewer. */
function by(
  admin: Expected,
  coordinator: Expected,
  yard: Expected,
  finance: Expected,
  viewer: Expected,
): ByRole {
  return { admin, coordinator, 'yard-manager': yard, finance, viewer };
}
const everyone = (status: Expected) => by(status, status, status, status, status);
const adminOnly = (ok: number) => by(ok, 403, 403, 403, 403);

describe('authorization matrix', () => {
  // Admin and coordinator cells reach the worker (diagnoses, investment advice, proposals): on a
  // loaded machine one role's rows take longer than jest's default minute.
  jest.setTimeout(300_000);
  let stack: TestStack;
  let w: World;
  const http = () => request(stack.api.getHttpServer());

  // Between the past slots (2026-07 on, usage may be recorded) and the future ones (2027).
  const NOW = new Date('2026-12-01T00:00:00Z');
  // Distinct weekday slots in 2027 (outside Hesse's holidays) so that writes never collide.
  let day = 0;
  const HOLIDAYS = new Set(['2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17', '2027-05-27']);
  function nextSlot(): { start: string; end: string } {
    for (;;) {
      const d = new Date(Date.UTC(2027, 1, 1) + day++ * 86_400_000);
      const iso = d.toISOString().slice(0, 10);
      if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || HOLIDAYS.has(iso)) continue;
      return { start: `${iso}T09:00:00+01:00`, end: `${iso}T11:00:00+01:00` };
    }
  }
  let pastDay = 0;
  function pastSlot(): { start: string; end: string } {
    const d = new Date(Date.UTC(2026, 6, 1) + pastDay++ * 86_400_000).toISOString().slice(0, 10);
    return { start: `${d}T09:00:00+02:00`, end: `${d}T11:00:00+02:00` };
  }

  type Side = { municipality: string; pool: string; resource: string; type: string };
  const side = (scope: Scope): Side =>
    scope === 'foreign'
      ? { municipality: w.municipalities.B, pool: w.pools.P2, resource: w.resources.R2, type: 'snow-plough' }
      : {
          municipality: scope === 'own' ? w.municipalities.A : w.municipalities.C,
          pool: w.pools.P1,
          resource: w.resources.R1,
          type: 'street-sweeper',
        };

  async function freshBooking(scope: Scope, past = false): Promise<string> {
    const s = side(scope);
    const slot = past ? pastSlot() : nextSlot();
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                             blocked_start, blocked_end)
       VALUES ($1, $2, $3, $3, $4, $5, $4, $5) RETURNING id`,
      [s.pool, s.resource, s.municipality, slot.start, slot.end],
    );
    return row.id;
  }

  async function freshMachine(scope: Scope): Promise<string> {
    const s = side(scope);
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id) VALUES ($1, 'machine', $2, $3, $4) RETURNING id`,
      [s.pool, unique('Maschine'), s.type, s.municipality],
    );
    return row.id;
  }

  async function freshBlackout(scope: Scope): Promise<string> {
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO blackouts (resource_id, start_at, end_at, reason) VALUES ($1, '2028-09-01T06:00:00+02:00', '2028-09-02T06:00:00+02:00', 'Wartung') RETURNING id`,
      [side(scope).resource],
    );
    return row.id;
  }

  async function freshWaitlistEntry(scope: Scope): Promise<string> {
    const s = side(scope);
    const slot = nextSlot();
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO waitlist_entries (pool_id, resource_type, municipality_id, site_municipality_id, start_at, end_at, reason)
       VALUES ($1, $2, $3, $3, $4, $5, 'no-slot') RETURNING id`,
      [s.pool, s.type, s.municipality, slot.start, slot.end],
    );
    return row.id;
  }

  async function freshSolverRun(scope: Scope): Promise<string> {
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO solver_runs (pool_id, kind, status, period_start, period_end)
       VALUES ($1, 'bottlenecks', 'done', '2027-02-01T00:00:00+01:00', '2027-02-08T00:00:00+01:00') RETURNING id`,
      [side(scope).pool],
    );
    return row.id;
  }

  async function freshInvestmentProposal(scope: Scope): Promise<string> {
    const run = await freshSolverRun(scope);
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO proposals (run_id, pool_id, kind, explanation) VALUES ($1, $2, 'investment', '{"de":"","en":""}')
       RETURNING id`,
      [run, side(scope).pool],
    );
    return row.id;
  }

  let ags = 6_636_100;
  async function freshMunicipality(): Promise<string> {
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO municipalities (name, ags, population, lat, lon) VALUES ($1, $2, 1000, 51.2, 10.0) RETURNING id`,
      [`Ort ${ags}`, `0${ags++}`],
    );
    return row.id;
  }

  // Each finalize closes a month of its own (2025: over, whenever the suite runs); each agreement its own day.
  let closedMonth = 0;
  const nextClosedMonth = () => `2025-${String(++closedMonth).padStart(2, '0')}`;
  let agreementDay = 0;
  const nextAgreementDay = () =>
    new Date(Date.UTC(2030, 0, 1) + agreementDay++ * 86_400_000).toISOString().slice(0, 10);

  let serial = 0;
  const unique = (prefix: string) => `${prefix}-${++serial}`;

  /** Allowed by the stack's ALLMENDE_WEBHOOK_ALLOWED_HOSTS; nothing listens (deliveries fail fast). */
  const MATRIX_HOOK = 'http://127.0.0.1:9/matrix';

  /** An endpoint the caller manages (own; a viewer cannot register: an admin's), or B's coordinator's (foreign). */
  async function freshEndpoint(scope: Scope, role: RoleName): Promise<string> {
    const owner = scope === 'foreign' ? w.foreign.coordinator : role === 'viewer' ? w.own.admin : w.own[role];
    const pool = scope === 'foreign' || role === 'coordinator' ? { poolId: side(scope).pool } : {};
    const res = await http()
      .post('/api/v1/webhooks')
      .set('Authorization', `Bearer ${owner.token}`)
      .send({ url: MATRIX_HOOK, events: ['booking.created'], ...pool })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  /** A failed delivery to the endpoint (of an outbox event of a kind nobody fans out). */
  async function freshFailedDelivery(endpointId: string): Promise<string> {
    const [row] = await sql<{ id: string }>(
      stack,
      `WITH ev AS (INSERT INTO booking_events (booking_id, municipality_id, kind) VALUES ($2, $3, 'matrix.test')
                   RETURNING id)
       INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, message_id, payload, status, attempts)
       SELECT $1, ev.id, 'booking.created', 'msg_allmende_' || ev.id, '{}', 'failed', 1 FROM ev RETURNING id`,
      [endpointId, w.bookings.A, w.municipalities.A],
    );
    return row.id;
  }

  /** A calendar feed of the caller (own) or of B's yard-manager (foreign). */
  async function freshFeed(scope: Scope, role: RoleName): Promise<{ id: string; url: string }> {
    const owner = scope === 'foreign' ? w.foreign.yardManager : w.own[role];
    const res = await http()
      .post('/api/v1/users/me/calendar-feeds')
      .set('Authorization', `Bearer ${owner.token}`)
      .send({})
      .expect(201);
    return res.body as { id: string; url: string };
  }
  const items = (body: unknown) => ((body as { items?: { id: string }[] }).items ?? []).map((i) => i.id);

  const ROWS: Row[] = [
    // health and reference data
    { route: 'GET health', cells: { own: everyone(200) }, call: () => ({ path: '/health' }) },
    {
      route: 'GET health/ready',
      cells: { own: everyone(200) },
      call: () => ({ path: '/health/ready' }),
    },
    { route: 'GET api/v1/health', cells: { own: everyone(200) }, call: () => ({ path: '/api/v1/health' }) },
    {
      route: 'GET municipalities',
      cells: { own: everyone(200) },
      call: () => ({ path: '/api/v1/municipalities' }),
    },
    {
      route: 'GET municipalities/:id',
      cells: { own: everyone(200), foreign: everyone(200) },
      call: (scope) => ({ path: `/api/v1/municipalities/${side(scope).municipality}` }),
    },
    {
      route: 'POST municipalities',
      cells: { own: adminOnly(201) },
      call: () => {
        const code = String(ags++);
        return {
          path: '/api/v1/municipalities',
          body: {
            name: `Gemeinde ${code}`,
            ags: `0${code}`,
            population: 900,
            location: { lat: 51.2, lon: 10 },
          },
        };
      },
    },

    // pools
    {
      route: 'POST pools',
      cells: { own: adminOnly(201) },
      call: () => ({
        path: '/api/v1/pools',
        body: { name: unique('Verbund'), fieldOfAction: 'building-yard' },
      }),
    },
    {
      route: 'GET pools',
      cells: { own: everyone(200) },
      call: () => ({ path: '/api/v1/pools' }),
      ids: items,
    },
    {
      route: 'GET pools/:id',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({ path: `/api/v1/pools/${side(scope).pool}` }),
    },
    {
      route: 'GET pools/:id/members',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({ path: `/api/v1/pools/${side(scope).pool}/members` }),
    },
    {
      route: 'GET pools/:id/resource-types',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({ path: `/api/v1/pools/${side(scope).pool}/resource-types` }),
    },
    {
      route: 'POST pools/:id/members',
      cells: { own: by(201, 201, 403, 403, 403), foreign: by(201, 404, 403, 403, 403) },
      call: async (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/members`,
        body: { municipalityId: await freshMunicipality(), joinedOn: '2027-01-01' },
      }),
    },
    {
      route: 'PUT pools/:id/operating-hours',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/operating-hours`,
        body: { operatingHours: null },
      }),
    },
    {
      route: 'PUT pools/:id/travel-times',
      cells: { own: by(204, 204, 403, 403, 403), foreign: by(204, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/travel-times`,
        body: {
          fromMunicipalityId: side(scope).municipality,
          toMunicipalityId: side(scope).municipality,
          minutes: 5,
        },
      }),
    },

    // resources
    {
      route: 'POST resources',
      cells: { own: by(201, 201, 403, 403, 403), foreign: by(201, 404, 403, 403, 403) },
      call: (scope) => ({
        path: '/api/v1/resources',
        body: {
          poolId: side(scope).pool,
          kind: 'machine',
          name: unique('Maschine'),
          type: 'mulcher',
          homeMunicipalityId: side(scope).municipality,
        },
      }),
    },
    {
      route: 'GET resources',
      cells: { own: everyone(200) },
      call: () => ({ path: '/api/v1/resources' }),
      ids: items,
    },
    {
      route: 'GET resources/:id',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({ path: `/api/v1/resources/${side(scope).resource}` }),
    },
    {
      route: 'POST resources/:id/blackouts',
      cells: { own: by(201, 201, 403, 403, 403), foreign: by(201, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/resources/${side(scope).resource}/blackouts`,
        body: { start: '2028-08-01T06:00:00+02:00', end: '2028-08-02T06:00:00+02:00', reason: 'Wartung' },
      }),
    },
    {
      route: 'GET resources/:id/blackouts',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({
        path: `/api/v1/resources/${side(scope).resource}/blackouts`,
        query: { from: '2028-01-01T00:00:00+01:00', to: '2029-01-01T00:00:00+01:00' },
      }),
    },
    {
      route: 'DELETE resources/:id/blackouts/:blackoutId',
      cells: { own: by(204, 204, 403, 403, 403), foreign: by(204, 404, 403, 403, 403) },
      call: async (scope) => ({
        path: `/api/v1/resources/${side(scope).resource}/blackouts/${await freshBlackout(scope)}`,
      }),
    },
    {
      route: 'PATCH resources/:id',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: async (scope) => ({
        path: `/api/v1/resources/${await freshMachine(scope)}`,
        body: { name: unique('Maschine'), hourlyRateCents: 4200 },
      }),
    },
    {
      route: 'POST resources/:id/inspections',
      cells: { own: by(201, 201, 403, 403, 403), foreign: by(201, 404, 403, 403, 403) },
      call: async (scope) => ({
        path: `/api/v1/resources/${await freshMachine(scope)}/inspections`,
        body: { inspectedOn: '2026-11-20', result: 'passed', nextDue: '2027-11-20' },
      }),
    },
    {
      route: 'GET resources/:id/inspections',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({ path: `/api/v1/resources/${side(scope).resource}/inspections` }),
    },
    {
      route: 'POST resources/:id/retire',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: async (scope) => ({ path: `/api/v1/resources/${await freshMachine(scope)}/retire` }),
    },
    {
      route: 'GET availability',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({
        path: '/api/v1/availability',
        query: {
          poolId: side(scope).pool,
          type: side(scope).type,
          from: '2027-07-05T00:00:00+02:00',
          to: '2027-07-10T00:00:00+02:00',
        },
      }),
    },

    // bookings
    {
      route: 'POST bookings',
      cells: {
        own: by(201, 201, 201, 403, 403),
        neighbour: by(201, 201, 403, 403, 403),
        foreign: by(201, 404, 404, 403, 403),
      },
      call: (scope) => ({
        path: '/api/v1/bookings',
        body: { resourceId: side(scope).resource, municipalityId: side(scope).municipality, ...nextSlot() },
      }),
    },
    {
      route: 'POST bookings/series',
      cells: {
        own: by(201, 201, 201, 403, 403),
        neighbour: by(201, 201, 403, 403, 403),
        foreign: by(201, 404, 404, 403, 403),
      },
      call: (scope) => ({
        path: '/api/v1/bookings/series',
        body: {
          resourceId: side(scope).resource,
          municipalityId: side(scope).municipality,
          ...nextSlot(),
          recurrence: { rrule: 'FREQ=DAILY;COUNT=1' },
        },
      }),
    },
    {
      route: 'GET bookings',
      cells: { own: everyone(200) },
      call: () => ({ path: '/api/v1/bookings' }),
      ids: items,
    },
    {
      route: 'GET bookings/:id',
      cells: { own: everyone(200), neighbour: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({
        path: `/api/v1/bookings/${scope === 'own' ? w.bookings.A : scope === 'neighbour' ? w.bookings.C : w.bookings.B}`,
      }),
    },
    {
      route: 'PATCH bookings/:id',
      cells: {
        own: by(200, 200, 200, 403, 403),
        neighbour: by(200, 200, 403, 403, 403),
        foreign: by(200, 404, 404, 403, 403),
      },
      call: async (scope) => ({
        path: `/api/v1/bookings/${await freshBooking(scope)}`,
        body: { notes: 'Anfahrt über Hof' },
      }),
    },
    {
      route: 'POST bookings/:id/cancel',
      cells: {
        own: by(200, 200, 200, 403, 403),
        neighbour: by(200, 200, 403, 403, 403),
        foreign: by(200, 404, 404, 403, 403),
      },
      call: async (scope) => ({ path: `/api/v1/bookings/${await freshBooking(scope)}/cancel` }),
    },
    {
      route: 'GET bookings/:id/usage',
      cells: {
        own: by(200, 200, 200, 200, 200),
        neighbour: by(200, 200, 404, 404, 404),
        foreign: by(200, 404, 404, 404, 404),
      },
      call: async (scope) => ({ path: `/api/v1/bookings/${await freshBooking(scope, true)}/usage` }),
    },
    {
      route: 'POST bookings/:id/usage',
      cells: {
        own: by(200, 200, 200, 403, 403),
        neighbour: by(200, 200, 403, 403, 403),
        foreign: by(200, 404, 404, 403, 403),
      },
      call: async (scope) => ({
        path: `/api/v1/bookings/${await freshBooking(scope, true)}/usage`,
        body: { operatingHours: 1.5 },
      }),
    },

    // waitlist
    {
      route: 'POST waitlist',
      cells: {
        own: by(201, 201, 201, 403, 403),
        neighbour: by(201, 201, 403, 403, 403),
        foreign: by(201, 404, 404, 403, 403),
      },
      call: (scope) => ({
        path: '/api/v1/waitlist',
        body: {
          poolId: side(scope).pool,
          type: side(scope).type,
          municipalityId: side(scope).municipality,
          ...nextSlot(),
        },
      }),
    },
    {
      route: 'GET waitlist',
      cells: { own: by(200, 200, 200, 403, 403) },
      call: () => ({ path: '/api/v1/waitlist' }),
      ids: items,
    },
    {
      // a waiting entry has no offer to accept: 409 where the caller reaches it
      route: 'POST waitlist/:id/accept',
      cells: {
        own: by(409, 409, 409, 403, 403),
        neighbour: by(409, 409, 404, 403, 403),
        foreign: by(409, 404, 404, 403, 403),
      },
      call: async (scope) => ({ path: `/api/v1/waitlist/${await freshWaitlistEntry(scope)}/accept` }),
    },
    {
      route: 'POST waitlist/:id/withdraw',
      cells: {
        own: by(200, 200, 200, 403, 403),
        neighbour: by(200, 200, 404, 403, 403),
        foreign: by(200, 404, 404, 403, 403),
      },
      call: async (scope) => ({ path: `/api/v1/waitlist/${await freshWaitlistEntry(scope)}/withdraw` }),
    },

    // users and tokens
    {
      route: 'POST users',
      cells: { own: adminOnly(201), foreign: adminOnly(201) },
      call: (scope) => ({
        path: '/api/v1/users',
        body: {
          email: `${unique('new')}@matrix.example`,
          name: 'Neu',
          role: 'viewer',
          municipalityId: side(scope).municipality,
        },
      }),
    },
    {
      route: 'GET users',
      cells: { own: by(200, 200, 403, 403, 403) },
      call: () => ({ path: '/api/v1/users' }),
      ids: items,
    },
    {
      route: 'GET users/:id',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: (scope) => ({ path: `/api/v1/users/${scope === 'foreign' ? w.spare.B.id : w.spare.A.id}` }),
    },
    {
      route: 'POST users/:id/disable',
      cells: { own: adminOnly(200), foreign: adminOnly(200) },
      call: (scope) => ({
        path: `/api/v1/users/${scope === 'foreign' ? w.spare.B.id : w.spare.A.id}/disable`,
      }),
    },
    {
      // own: the caller's own account; foreign: B's yard-manager
      route: 'POST users/:id/tokens',
      cells: { own: everyone(201), foreign: by(201, 404, 404, 404, 404) },
      call: (scope, role) => ({
        path: `/api/v1/users/${scope === 'foreign' ? w.foreign.yardManager.id : w.own[role].id}/tokens`,
        body: { name: unique('token') },
      }),
    },
    {
      route: 'GET users/:id/tokens',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope, role) => ({
        path: `/api/v1/users/${scope === 'foreign' ? w.foreign.yardManager.id : w.own[role].id}/tokens`,
      }),
    },
    {
      route: 'POST tokens/:id/revoke',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: async (scope, role) => {
        const owner = scope === 'foreign' ? w.foreign.yardManager.id : w.own[role].id;
        const res = await http()
          .post(`/api/v1/users/${owner}/tokens`)
          .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
          .send({ name: unique('spare') })
          .expect(201);
        return { path: `/api/v1/tokens/${(res.body as { id: string }).id}/revoke` };
      },
    },
    { route: 'GET me', cells: { own: everyone(200) }, call: () => ({ path: '/api/v1/me' }) },
    // browser sign-in: the same account routes answer a bearer token (no session: logout is a no-op)
    {
      // public; nobody in the world has a password, so every sign-in is refused alike
      route: 'POST auth/login',
      cells: { own: everyone(401) },
      call: (_scope, role) => ({
        path: '/api/v1/auth/login',
        body: { email: w.own[role].email, password: 'not-the-password' },
      }),
    },
    { route: 'GET auth/me', cells: { own: everyone(200) }, call: () => ({ path: '/api/v1/auth/me' }) },
    {
      route: 'PUT auth/me/language',
      cells: { own: everyone(200) },
      call: () => ({ path: '/api/v1/auth/me/language', body: { language: 'de' } }),
    },
    {
      route: 'POST auth/logout',
      cells: { own: everyone(204) },
      call: () => ({ path: '/api/v1/auth/logout' }),
    },
    {
      // 422 (too short) shows the caller got past authorization
      route: 'POST auth/password',
      cells: { own: everyone(422) },
      call: () => ({ path: '/api/v1/auth/password', body: { currentPassword: 'x', newPassword: 'short' } }),
    },
    {
      route: 'PUT users/:id/password',
      cells: { own: adminOnly(204), foreign: adminOnly(204) },
      call: (scope) => ({
        path: `/api/v1/users/${scope === 'foreign' ? w.spare.B.id : w.spare.A.id}/password`,
        body: { password: 'a-password-long-enough' },
      }),
    },
    // notifications: own preferences for everyone, others' for admins; the ledger for admins
    {
      route: 'GET users/me/notification-preferences',
      cells: { own: everyone(200) },
      call: () => ({ path: '/api/v1/users/me/notification-preferences' }),
    },
    {
      route: 'PUT users/me/notification-preferences',
      cells: { own: everyone(200) },
      call: () => ({
        path: '/api/v1/users/me/notification-preferences',
        body: { language: 'de', disabledKinds: ['reminder'], reminderOffsetsMinutes: [60] },
      }),
    },
    {
      route: 'GET users/:id/notification-preferences',
      cells: { own: adminOnly(200), foreign: adminOnly(200) },
      call: (scope) => ({
        path: `/api/v1/users/${scope === 'foreign' ? w.spare.B.id : w.spare.A.id}/notification-preferences`,
      }),
    },
    {
      route: 'PUT users/:id/notification-preferences',
      cells: { own: adminOnly(200), foreign: adminOnly(200) },
      call: (scope) => ({
        path: `/api/v1/users/${scope === 'foreign' ? w.spare.B.id : w.spare.A.id}/notification-preferences`,
        body: { language: 'en', disabledKinds: [], reminderOffsetsMinutes: null },
      }),
    },
    {
      route: 'GET notifications',
      cells: { own: adminOnly(200) },
      call: () => ({ path: '/api/v1/notifications', query: { status: 'failed' } }),
    },
    {
      route: 'POST notifications/:id/retry',
      cells: { own: adminOnly(200) },
      call: async () => {
        const [row] = await sql<{ id: string }>(
          stack,
          `INSERT INTO notifications (dedupe_key, kind, recipient_email, recipient_name, language, facts, status)
           VALUES ($1, 'webhook-disabled', 'spare-a@world.example', 'spare-a', 'de',
                   '{"type":"webhook-disabled","url":"https://x.example","disabledAt":"2027-01-01T00:00:00Z","lastError":null}',
                   'failed') RETURNING id`,
          [unique('matrix')],
        );
        return { path: `/api/v1/notifications/${row.id}/retry` };
      },
    },
    {
      route: 'GET pools/:id/notification-settings',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({ path: `/api/v1/pools/${side(scope).pool}/notification-settings` }),
    },
    {
      route: 'PUT pools/:id/notification-settings',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/notification-settings`,
        body: { reminderOffsetsMinutes: [1440, 120] },
      }),
    },
    // planning: coordinators of the pool (and admin) only
    {
      // 200 when the worker has diagnosed within 20 s, else 202 with the run to poll (both allowed).
      route: 'GET pools/:id/bottlenecks',
      cells: {
        own: by([200, 202], [200, 202], 403, 403, 403),
        foreign: by([200, 202], 404, 403, 403, 403),
      },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/bottlenecks`,
        query: { from: '2027-02-01T00:00:00+01:00', to: '2027-02-08T00:00:00+01:00' },
      }),
    },
    {
      route: 'GET pools/:id/investments',
      cells: {
        own: by([200, 202], [200, 202], 403, 403, 403),
        foreign: by([200, 202], 404, 403, 403, 403),
      },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/investments`,
        query: { from: '2027-02-01T00:00:00+01:00', to: '2027-02-08T00:00:00+01:00' },
      }),
    },
    {
      // The what-if: a municipality that is not a member joins (B for P1, A for P2).
      route: 'POST pools/:id/planning/simulate',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/planning/simulate`,
        body: {
          from: '2027-02-01T00:00:00+01:00',
          to: '2027-02-08T00:00:00+01:00',
          joins: [
            {
              municipalityId: scope === 'foreign' ? w.municipalities.A : w.municipalities.B,
              from: '2027-02-01',
              demandHoursPerWeekByType: { [side(scope).type]: 10 },
            },
          ],
        },
      }),
    },
    {
      route: 'POST pools/:id/proposals',
      cells: { own: by(202, 202, 403, 403, 403), foreign: by(202, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/proposals`,
        body: { from: '2027-02-01T00:00:00+01:00', to: '2027-02-08T00:00:00+01:00', timeLimitSeconds: 1 },
      }),
    },
    {
      route: 'GET solver-runs/:id',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: async (scope) => ({ path: `/api/v1/solver-runs/${await freshSolverRun(scope)}` }),
    },
    {
      // An investment proposal has nothing to apply: 409 shows the caller got past authorization.
      route: 'POST proposals/:id/apply',
      cells: { own: by(409, 409, 403, 403, 403), foreign: by(409, 404, 403, 403, 403) },
      call: async (scope) => ({ path: `/api/v1/proposals/${await freshInvestmentProposal(scope)}/apply` }),
    },
    // cost sharing: finance sees its own municipality's statement, coordinators the pool's
    {
      route: 'GET pools/:id/statements',
      cells: { own: by(200, 200, 403, 200, 403), foreign: by(200, 404, 403, 404, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/statements`,
        query: { period: '2026-06' },
      }),
    },
    {
      // finance of A may not: A is not the pool's lead municipality
      route: 'POST pools/:id/statements/finalize',
      cells: { own: by(201, 201, 403, 403, 403), foreign: by(201, 404, 403, 404, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/statements/finalize`,
        body: { period: nextClosedMonth() },
      }),
    },
    {
      route: 'GET pools/:id/savings',
      cells: { own: by(200, 200, 403, 200, 403), foreign: by(200, 404, 403, 404, 403) },
      call: (scope) => ({ path: `/api/v1/pools/${side(scope).pool}/savings`, query: { period: '2026-06' } }),
    },
    {
      route: 'GET pools/:id/cost-sharing/agreements',
      cells: { own: everyone(200), foreign: by(200, 404, 404, 404, 404) },
      call: (scope) => ({ path: `/api/v1/pools/${side(scope).pool}/cost-sharing/agreements` }),
    },
    {
      route: 'POST pools/:id/cost-sharing/agreements',
      cells: { own: by(201, 201, 403, 403, 403), foreign: by(201, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/cost-sharing/agreements`,
        body: { validFrom: nextAgreementDay(), key: 'population' },
      }),
    },
    {
      route: 'POST pools/:id/cost-sharing/simulate',
      cells: { own: by(200, 200, 403, 403, 403), foreign: by(200, 404, 403, 403, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/cost-sharing/simulate`,
        query: { period: '2026-06' },
        body: {},
      }),
    },

    // calendar feeds: one's own; the feed URL itself is public (the token is the credential)
    {
      route: 'POST users/me/calendar-feeds',
      cells: { own: everyone(201) },
      call: () => ({ path: '/api/v1/users/me/calendar-feeds', body: {} }),
    },
    {
      route: 'GET users/me/calendar-feeds',
      cells: { own: everyone(200) },
      call: () => ({ path: '/api/v1/users/me/calendar-feeds' }),
    },
    {
      route: 'DELETE users/me/calendar-feeds/:id',
      cells: { own: everyone(200), foreign: everyone(404) },
      call: async (scope, role) => ({
        path: `/api/v1/users/me/calendar-feeds/${(await freshFeed(scope, role)).id}`,
      }),
    },
    {
      route: 'GET calendar/:feedToken.ics',
      cells: { own: everyone(200) },
      call: async (scope, role) => ({ path: new URL((await freshFeed(scope, role)).url).pathname }),
    },

    // webhooks: admins anywhere, coordinators for their pools, yard managers and finance for their town
    {
      route: 'POST webhooks',
      cells: { own: by(201, 201, 201, 201, 403), foreign: by(201, 403, 403, 403, 403) },
      call: (scope, role) => ({
        path: '/api/v1/webhooks',
        body: {
          url: MATRIX_HOOK,
          events: ['booking.created'],
          ...(role === 'admin' || role === 'coordinator'
            ? { poolId: side(scope).pool }
            : scope === 'foreign'
              ? { municipalityId: side(scope).municipality }
              : {}),
        },
      }),
    },
    {
      route: 'GET webhooks',
      cells: { own: by(200, 200, 200, 200, 403) },
      call: () => ({ path: '/api/v1/webhooks' }),
    },
    {
      route: 'GET webhooks/:id',
      cells: { own: by(200, 200, 200, 200, 403), foreign: by(200, 404, 404, 404, 403) },
      call: async (scope, role) => ({ path: `/api/v1/webhooks/${await freshEndpoint(scope, role)}` }),
    },
    {
      route: 'PATCH webhooks/:id',
      cells: { own: by(200, 200, 200, 200, 403), foreign: by(200, 404, 404, 404, 403) },
      call: async (scope, role) => ({
        path: `/api/v1/webhooks/${await freshEndpoint(scope, role)}`,
        body: { description: 'geändert', events: ['booking.created', 'booking.cancelled'] },
      }),
    },
    {
      route: 'DELETE webhooks/:id',
      cells: { own: by(204, 204, 204, 204, 403), foreign: by(204, 404, 404, 404, 403) },
      call: async (scope, role) => ({ path: `/api/v1/webhooks/${await freshEndpoint(scope, role)}` }),
    },
    {
      route: 'POST webhooks/:id/enable',
      cells: { own: by(200, 200, 200, 200, 403), foreign: by(200, 404, 404, 404, 403) },
      call: async (scope, role) => ({ path: `/api/v1/webhooks/${await freshEndpoint(scope, role)}/enable` }),
    },
    {
      route: 'GET webhooks/:id/deliveries',
      cells: { own: by(200, 200, 200, 200, 403), foreign: by(200, 404, 404, 404, 403) },
      call: async (scope, role) => ({
        path: `/api/v1/webhooks/${await freshEndpoint(scope, role)}/deliveries`,
      }),
    },
    {
      route: 'POST webhooks/:id/deliveries/:deliveryId/retry',
      cells: { own: by(202, 202, 202, 202, 403), foreign: by(202, 404, 404, 404, 403) },
      call: async (scope, role) => {
        const endpoint = await freshEndpoint(scope, role);
        return {
          path: `/api/v1/webhooks/${endpoint}/deliveries/${await freshFailedDelivery(endpoint)}/retry`,
        };
      },
    },
    // finance reports: finance staff their own municipality, coordinators the pool they coordinate
    ...(['costs', 'utilization', 'unrecorded-usage'] as const).map((report): Row => ({
      route: `GET pools/:id/reports/${report}`,
      cells: { own: by(200, 200, 403, 200, 403), foreign: by(200, 404, 403, 404, 403) },
      call: (scope) => ({
        path: `/api/v1/pools/${side(scope).pool}/reports/${report}`,
        query: { year: 2026 },
      }),
    })),
  ];

  beforeAll(async () => {
    // With the worker: the bottleneck endpoint answers once the worker has diagnosed.
    stack = await startTestStack({
      worker: true,
      clock: new FixedClock(NOW),
      env: { ALLMENDE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    });
    w = await buildWorld(stack);
  });

  afterAll(async () => {
    await stack.close();
  });

  it('covers every registered route, and every route declares a permission or @Public', () => {
    const routes = stack.api.get(RouteDeclarations).routes();
    const registered = routes.map((r) => `${r.method} ${r.path}`);
    expect(routes.filter((r) => !r.public && !r.permission)).toEqual([]);
    const covered = new Set(ROWS.map((r) => r.route));
    expect(registered.filter((r) => !covered.has(r))).toEqual([]);
    expect([...covered].filter((r) => !registered.includes(r))).toEqual([]);
  });

  /** Text a caller of this role (in A) may not read: other municipalities' private fields. */
  function forbiddenText(role: RoleName): string[] {
    if (role === 'admin') return [];
    if (role === 'coordinator') return w.secrets.B;
    return [...w.secrets.B, ...w.secrets.C];
  }

  function foreignIds(): string[] {
    return [
      w.pools.P2,
      w.resources.R2,
      w.bookings.B,
      w.foreign.yardManager.id,
      w.foreign.coordinator.id,
      w.spare.B.id,
    ];
  }

  it.each(ROLE_NAMES.map((r) => [r]))('every endpoint as %s', async (role) => {
    const failures: string[] = [];
    for (const row of ROWS) {
      for (const scope of ['own', 'neighbour', 'foreign'] as const) {
        const expected = row.cells[scope]?.[role];
        if (expected === undefined) continue;
        const call = await row.call(scope, role);
        const [method, ...rest] = row.route.split(' ');
        const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        let req = http()[verb](call.path).set('Authorization', `Bearer ${w.own[role].token}`);
        if (call.query) req = req.query(call.query);
        const res = await (call.body ? req.send(call.body) : req);
        const cell = `${rest.join(' ')} ${method} [${scope}]`;
        const allowed = ([] as number[]).concat(expected);
        if (!allowed.includes(res.status)) {
          failures.push(
            `${cell}: expected ${allowed.join('|')}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
        }
        if (
          res.status >= 400 &&
          !String(res.headers['content-type']).startsWith('application/problem+json')
        ) {
          failures.push(`${cell}: error without problem+json`);
        }
        const text = JSON.stringify(res.body ?? null);
        for (const secret of forbiddenText(role)) {
          if (text.includes(secret)) failures.push(`${cell}: body carries "${secret}"`);
        }
        if (row.ids && role !== 'admin' && res.status === 200) {
          const leaked = row.ids(res.body).filter((id) => foreignIds().includes(id));
          if (leaked.length > 0) failures.push(`${cell}: lists foreign rows ${leaked.join(', ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('without a token, every non-public route is 401', async () => {
    const routes = stack.api
      .get(RouteDeclarations)
      .routes()
      .filter((r) => !r.public);
    for (const r of routes) {
      const path = `/api/v1/${r.path.replace(/:[a-zA-Z]+/g, '5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77')}`;
      const verb = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const res = await http()[verb](path);
      expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 401,
      });
    }
  });
});
