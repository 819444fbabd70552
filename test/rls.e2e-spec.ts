import { Client } from 'pg';
import { APP_ROLE } from '@allmende/database';
import { startTestStack, TestStack } from './support/test-app';
import { buildWorld, sql, World } from './support/world';

/** Reference data everybody reads, and bookkeeping that is not a tenant's. */
const NOT_TENANT_TABLES = ['municipalities', 'idempotency_keys', 'schema_migrations'];

interface Tenant {
  role: string;
  municipalityId?: string;
  poolIds?: string[];
  userId?: string;
}

/**
 * Row-level security on its own, beneath the API: queries run exactly as a request transaction
 * does (SET LOCAL ROLE to the application role, tenant in SET LOCAL settings), without any WHERE.
 */
describe('row-level security', () => {
  let stack: TestStack;
  let world: World;
  let tenantTables: string[];

  /** Runs `work` as the application role inside a transaction, with `tenant` set (or nothing). */
  async function asApp<T>(tenant: Tenant | null, work: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      if (tenant) {
        await client.query(
          `SELECT set_config('allmende.role', $1, true), set_config('allmende.municipality_id', $2, true),
                  set_config('allmende.pool_ids', $3, true), set_config('allmende.user_id', $4, true)`,
          [tenant.role, tenant.municipalityId ?? '', (tenant.poolIds ?? []).join(','), tenant.userId ?? ''],
        );
      }
      await client.query(`SET LOCAL ROLE ${APP_ROLE}`);
      if (tenant?.municipalityId) {
        await client.query(
          `SELECT set_config('allmende.member_pool_ids', coalesce((SELECT string_agg(pool_id::text, ',')
             FROM pool_members WHERE municipality_id = $1), ''), true)`,
          [tenant.municipalityId],
        );
      }
      return await work(client);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  }

  async function count(c: Client, table: string): Promise<number> {
    return Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  }

  async function ids(c: Client, table: string, column = 'id'): Promise<string[]> {
    return (await c.query(`SELECT ${column} AS id FROM ${table}`)).rows.map((r: { id: string }) => r.id);
  }

  beforeAll(async () => {
    stack = await startTestStack();
    world = await buildWorld(stack);
    const rows = await sql<{ table_name: string }>(
      stack,
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    tenantTables = rows.map((r) => r.table_name).filter((t) => !NOT_TENANT_TABLES.includes(t));
  });

  afterAll(async () => {
    await stack.close();
  });

  it('the application role owns nothing and cannot bypass RLS', async () => {
    const [role] = await sql<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
      stack,
      `SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1`,
      [APP_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const owned = await sql(stack, `SELECT tablename FROM pg_tables WHERE tableowner = $1`, [APP_ROLE]);
    expect(owned).toEqual([]);
  });

  it('every table holding a municipality’s or a pool’s rows has forced row-level security', async () => {
    const rows = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      stack,
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'`,
    );
    const withTenantColumn = await sql<{ table_name: string }>(
      stack,
      `SELECT DISTINCT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name IN ('pool_id', 'municipality_id', 'user_id', 'booking_id')`,
    );
    const unprotected = rows
      .filter((r) => tenantTables.includes(r.relname) && !(r.relrowsecurity && r.relforcerowsecurity))
      .map((r) => r.relname);
    expect(unprotected).toEqual([]);
    for (const { table_name } of withTenantColumn) {
      if (table_name !== 'municipalities') expect(tenantTables).toContain(table_name);
    }
    expect(tenantTables.length).toBeGreaterThanOrEqual(13);
  });

  it('with no tenant set, every tenant table answers 0 rows to the application role', async () => {
    await asApp(null, async (c) => {
      for (const table of tenantTables) {
        expect({ table, rows: await count(c, table) }).toEqual({ table, rows: 0 });
      }
      // the reference data stays readable
      expect(await count(c, 'municipalities')).toBe(3);
    });
    // … and the same with an empty tenant (settings present but blank), and a bogus role.
    await asApp({ role: '' }, async (c) => {
      for (const table of tenantTables)
        expect({ table, rows: await count(c, table) }).toEqual({ table, rows: 0 });
    });
    await asApp({ role: 'superuser' }, async (c) => {
      for (const table of tenantTables)
        expect({ table, rows: await count(c, table) }).toEqual({ table, rows: 0 });
    });
  });

  it('the data is there: the admin setting sees every row', async () => {
    await asApp({ role: 'admin' }, async (c) => {
      expect(await count(c, 'bookings')).toBe(3);
      expect(await count(c, 'pools')).toBe(2);
      expect(await count(c, 'users')).toBeGreaterThanOrEqual(9);
      expect(await count(c, 'api_tokens')).toBeGreaterThanOrEqual(9);
    });
  });

  it('a yard-manager sees its pools’ rows, never those of a pool its municipality is not in', async () => {
    const tenant = {
      role: 'yard-manager',
      municipalityId: world.municipalities.A,
      userId: world.own['yard-manager'].id,
    };
    await asApp(tenant, async (c) => {
      expect(await ids(c, 'pools')).toEqual([world.pools.P1]);
      expect(await ids(c, 'resources')).toEqual([world.resources.R1]);
      expect((await ids(c, 'bookings')).sort()).toEqual([world.bookings.A, world.bookings.C].sort());
      expect(await count(c, 'blackouts')).toBe(1);
      expect(await count(c, 'booking_usages')).toBe(2);
      expect(await count(c, 'booking_events')).toBe(2);
      expect(await count(c, 'waitlist_entries')).toBe(2);
      expect(await count(c, 'pool_travel_times')).toBe(1);
      const bookingMunicipalities = await ids(c, 'bookings', 'municipality_id');
      expect(bookingMunicipalities).not.toContain(world.municipalities.B);
      // users and tokens: own municipality's users, own tokens only
      const users = await ids(c, 'users', 'municipality_id');
      expect(new Set(users)).toEqual(new Set([world.municipalities.A]));
      const tokens = await ids(c, 'api_tokens', 'user_id');
      expect(new Set(tokens)).toEqual(new Set([world.own['yard-manager'].id]));
      // a filter naming B's rows finds nothing either
      const forged = await c.query(`SELECT * FROM bookings WHERE id = $1`, [world.bookings.B]);
      expect(forged.rowCount).toBe(0);
      // and writes cannot reach them
      const updated = await c.query(`UPDATE bookings SET notes = 'x' WHERE id = $1`, [world.bookings.B]);
      expect(updated.rowCount).toBe(0);
      const deleted = await c.query(`DELETE FROM api_tokens WHERE user_id = $1`, [
        world.foreign.yardManager.id,
      ]);
      expect(deleted.rowCount).toBe(0);
    });
  });

  it('a yard-manager cannot insert into a pool its municipality is not in', async () => {
    const tenant = {
      role: 'yard-manager',
      municipalityId: world.municipalities.A,
      userId: world.own['yard-manager'].id,
    };
    await asApp(tenant, async (c) => {
      await expect(
        c.query(
          `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                                 blocked_start, blocked_end)
           VALUES ($1, $2, $3, $3, '2026-09-01T06:00Z', '2026-09-01T08:00Z', '2026-09-01T06:00Z', '2026-09-01T08:00Z')`,
          [world.pools.P2, world.resources.R2, world.municipalities.A],
        ),
      ).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('a coordinator sees its pools and their members’ users; not the other pool', async () => {
    const tenant = {
      role: 'coordinator',
      municipalityId: world.municipalities.A,
      poolIds: [world.pools.P1],
      userId: world.own.coordinator.id,
    };
    await asApp(tenant, async (c) => {
      expect(await ids(c, 'pools')).toEqual([world.pools.P1]);
      expect(await count(c, 'bookings')).toBe(2);
      const users = new Set(await ids(c, 'users', 'municipality_id'));
      expect(users.has(world.municipalities.B)).toBe(false);
      // a resource of P2 cannot be written into its pool, and nothing of P2 can be touched
      const moved = await c.query(`UPDATE resources SET name = 'x' WHERE pool_id = $1`, [world.pools.P2]);
      expect(moved.rowCount).toBe(0);
    });
  });

  it('a non-coordinator’s pool_ids setting grants nothing', async () => {
    const tenant = { role: 'viewer', municipalityId: world.municipalities.A, poolIds: [world.pools.P2] };
    await asApp(tenant, async (c) => {
      expect(await ids(c, 'pools')).toEqual([world.pools.P1]);
    });
  });

  it('the audit log is append-only for the application role', async () => {
    await asApp({ role: 'admin' }, async (c) => {
      await expect(c.query(`DELETE FROM audit_log`)).rejects.toMatchObject({ code: '42501' });
    });
    await asApp({ role: 'admin' }, async (c) => {
      await expect(c.query(`UPDATE audit_log SET action = 'x'`)).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('the bookings policy is evaluated once per query (an InitPlan), not once per row', async () => {
    const tenant = { role: 'yard-manager', municipalityId: world.municipalities.A };
    await asApp(tenant, async (c) => {
      const plan = (await c.query(`EXPLAIN SELECT id FROM bookings WHERE start_at > now()`)).rows
        .map((r: Record<string, string>) => r['QUERY PLAN'])
        .join('\n');
      expect(plan).toMatch(/InitPlan/);
    });
  });
});
