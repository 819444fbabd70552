/**
 * The bench's region and data: 20 building-yard pools of 5 member municipalities each, 5 machine
 * types × 10 machines per pool (1,000 machines), Hessian working days, and bulk-loaded bookings.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { Client } from 'pg';
import { ApiClient, HttpResponse, runConcurrent } from './bookings-support';

export const POOLS = 20;
export const MEMBERS_PER_POOL = 5;
export const TYPES = ['street-sweeper', 'excavator', 'sewer-camera', 'aerial-lift', 'mulcher'] as const;
export const MACHINES_PER_TYPE = 10;
const ZONE = 'Europe/Berlin';

export interface Machine {
  id: string;
  poolId: string;
  type: string;
  homeId: string;
}

export interface Region {
  poolIds: string[];
  /** Member municipality ids per pool id. */
  members: Map<string, string[]>;
  machines: Machine[];
}

/** Seeds the region through the API, as a municipality's IT would (8 requests in flight). */
export async function seedRegion(api: ApiClient): Promise<Region> {
  const municipalityIds = new Array<string>(POOLS * MEMBERS_PER_POOL);
  await must(
    runConcurrent(POOLS * MEMBERS_PER_POOL, 8, async (i) => {
      const pool = Math.floor(i / MEMBERS_PER_POOL);
      const k = i % MEMBERS_PER_POOL;
      // Pools are clusters of neighbouring towns in Hesse, members within ~10 km of each other.
      municipalityIds[i] = await api.create('/municipalities', {
        name: `Gemeinde ${String(i + 1).padStart(3, '0')}`,
        ags: `06${String(900000 + i)}`,
        population: 2000 + ((i * 7919) % 18000),
        location: {
          lat: 50.3 + (pool % 5) * 0.3 + (k % 3) * 0.03,
          lon: 8.6 + Math.floor(pool / 5) * 0.4 + Math.floor(k / 3) * 0.05,
        },
        state: 'HE',
      });
    }),
  );
  const poolIds = new Array<string>(POOLS);
  await must(
    runConcurrent(POOLS, 8, async (p) => {
      poolIds[p] = await api.create('/pools', {
        name: `Bauhof-Verbund ${p + 1}`,
        fieldOfAction: 'building-yard',
      });
    }),
  );
  const members = new Map<string, string[]>();
  for (let p = 0; p < POOLS; p++) {
    members.set(poolIds[p], municipalityIds.slice(p * MEMBERS_PER_POOL, (p + 1) * MEMBERS_PER_POOL));
  }
  await must(
    runConcurrent(POOLS * MEMBERS_PER_POOL, 8, async (i) => {
      const poolId = poolIds[Math.floor(i / MEMBERS_PER_POOL)];
      await api.create(`/pools/${poolId}/members`, {
        municipalityId: municipalityIds[i],
        joinedOn: '2026-01-01',
      });
    }),
  );
  const perPool = TYPES.length * MACHINES_PER_TYPE;
  const machines = new Array<Machine>(POOLS * perPool);
  await must(
    runConcurrent(POOLS * perPool, 8, async (i) => {
      const p = Math.floor(i / perPool);
      const type = TYPES[Math.floor((i % perPool) / MACHINES_PER_TYPE)];
      const n = i % MACHINES_PER_TYPE;
      const poolId = poolIds[p];
      const homeId = members.get(poolId)![n % MEMBERS_PER_POOL];
      const id = await api.create('/resources', {
        poolId,
        kind: 'machine',
        name: `${type} ${n + 1}`,
        type,
        homeMunicipalityId: homeId,
        transportSpeedKmh: 25,
        hourlyRateCents: 6500,
      });
      machines[i] = { id, poolId, type, homeId };
    }),
  );
  return { poolIds, members, machines };
}

async function must(run: ReturnType<typeof runConcurrent>): Promise<void> {
  const r = await run;
  if (r.failures.length) throw new Error(`seeding failed: ${r.failures[0].message}`);
}

/** Mon–Fri that are no public holiday in Hesse, in [from, to). */
export function workingDays(from: string, to: string): string[] {
  const hd = new Holidays('DE', 'HE', { types: ['public'] });
  const days: string[] = [];
  for (
    let d = DateTime.fromISO(from, { zone: ZONE });
    d < DateTime.fromISO(to, { zone: ZONE });
    d = d.plus({ days: 1 })
  ) {
    if (d.weekday > 5) continue;
    const found = hd.isHoliday(d.set({ hour: 12 }).toJSDate());
    if (found && found.some((h) => h.type === 'public')) continue;
    days.push(d.toISODate()!);
  }
  return days;
}

/** An instant on a local Berlin day, with its offset (`2027-03-01T17:30:00+01:00`). */
export function localInstant(day: string, hour: number, minute = 0): string {
  return DateTime.fromISO(day, { zone: ZONE }).set({ hour, minute }).toISO({ suppressMilliseconds: true })!;
}

/** A small deterministic PRNG (mulberry32), so every run draws the same requests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The bulk bookings' candidate slots: one per machine and working day, in a seeded random order
 * (`rank`), so that loading ranks (a, b] grows the table evenly over machines and years.
 */
export async function prepareBulkSlots(db: Client, days: string[]): Promise<number> {
  await db.query('CREATE UNLOGGED TABLE bench_days (day date PRIMARY KEY)');
  await db.query('INSERT INTO bench_days SELECT unnest($1::date[])', [days]);
  await db.query('SELECT setseed(0.42)');
  await db.query(`
    CREATE UNLOGGED TABLE bench_slots AS
    SELECT row_number() OVER (ORDER BY random()) AS rank, r.id AS resource_id, r.pool_id,
           r.home_municipality_id AS home_id, d.day
      FROM resources r CROSS JOIN bench_days d
     WHERE r.kind = 'machine'`);
  await db.query('CREATE INDEX ON bench_slots (rank)');
  await db.query(`
    CREATE UNLOGGED TABLE bench_pool_members AS
    SELECT pool_id, array_agg(municipality_id ORDER BY municipality_id) AS ids FROM pool_members GROUP BY pool_id`);
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM bench_slots');
  return Number(rows[0].n);
}

/**
 * Bookings for slots ranked (after, upTo]: a machine works once that day, 2–8 h starting 07:00,
 * 07:30 or 08:00 (so it is free again by 16:00), for a random member municipality at its site;
 * away from the depot the transport half-hour before is blocked too; 5 % are cancelled.
 */
export async function loadBulk(db: Client, after: number, upTo: number): Promise<void> {
  await db.query(
    `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                           blocked_start, blocked_end, status, priority)
     SELECT s.pool_id, s.resource_id, x.site, x.site, x.st, x.st + x.dur,
            CASE WHEN x.site = s.home_id THEN x.st ELSE x.st - interval '30 minutes' END, x.st + x.dur,
            CASE WHEN x.cancel THEN 'cancelled' ELSE 'active' END, 'normal'
       FROM bench_slots s
       JOIN bench_pool_members m ON m.pool_id = s.pool_id
       CROSS JOIN LATERAL (
         SELECT m.ids[1 + floor(random() * array_length(m.ids, 1))::int] AS site,
                ((s.day + time '07:00') AT TIME ZONE '${ZONE}') + floor(random() * 3) * interval '30 minutes' AS st,
                (2 + floor(random() * 7)) * interval '1 hour' AS dur,
                random() < 0.05 AS cancel
         OFFSET 0 -- evaluated once per slot, not pulled up into the outer query
       ) x
      WHERE s.rank > $1 AND s.rank <= $2
      ORDER BY s.resource_id, s.day`,
    [after, upTo],
  );
  // A table that grew over years has been vacuumed by autovacuum along the way; a bulk-loaded one
  // has not, and autovacuum would otherwise start on it in the middle of the measurements.
  await db.query('VACUUM (ANALYZE) bookings');
  // Likewise the checkpoint: a load of up to a million rows in one statement leaves its dirty pages
  // and its log behind it, and the checkpoint that follows would write them out (spread over
  // minutes) under the measured creates. A table that grew over a year was checkpointed as it grew.
  await db.query('CHECKPOINT');
}

/**
 * Books `machine` at its depot on the local `day`, 08:00–10:00. The benches' calendar is fixed so
 * that runs compare; the admin's `backdated` flag keeps its past days bookable.
 */
export function bookMorning(api: ApiClient, machine: Machine, day: string): Promise<HttpResponse> {
  return api.request('POST', '/bookings', {
    resourceId: machine.id,
    municipalityId: machine.homeId,
    start: localInstant(day, 8),
    end: localInstant(day, 10),
    backdated: true,
  });
}
