import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/**
 * A country-sized data set (issue #14), deterministic by seed: municipalities with German-looking
 * names, AGS and populations spread over the 16 states in their real proportions, pools of
 * neighbouring members, machines of the common types, and a year of bookings with seasonal peaks
 * (mowing and sweeping in summer, winter service in January). Everything is computed inside
 * PostgreSQL (INSERT … SELECT over generate_series, pseudo-random values from
 * hashint8extended(i, seed)), so the same seed gives the same rows on any server and the load
 * runs at the server's speed. Bookings never overlap: booking k of a resource takes the k-th
 * quantile day of its type's season and the (k mod 6)-th two-hour slot of that day, and a run of
 * at most six consecutive k fall on one day; the exclusion constraint is checked all the same.
 */
export interface CountryOptions {
  municipalities: number;
  resources: number;
  bookings: number;
  seed: number;
  /** The calendar year of the bookings (local Europe/Berlin days). */
  year: number;
  /** Members per pool (neighbouring municipalities of one state). */
  membersPerPool?: number;
  /**
   * From this many bookings (100,000) into an empty table, the load drops the table's keys,
   * indexes and constraints and restores them after it.
   */
  rebuildFrom?: number;
}

/**
 * Drops what makes a bulk load of bookings slow and returns the statements that restore it, in
 * order: the primary key, then the other indexes, the exclusion constraint, and last the foreign
 * keys of bookings and those of other tables onto bookings (which need the primary key).
 */
async function dropBookingConstraints(client: Client): Promise<{ what: string; sql: string }[]> {
  const { rows } = await client.query<{ tbl: string; name: string; def: string; kind: string }>(`
    SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def,
           CASE WHEN c.contype = 'f' AND c.conrelid <> 'bookings'::regclass THEN 'foreign key onto bookings'
                WHEN c.contype = 'f' THEN 'foreign key' WHEN c.contype = 'p' THEN 'primary key'
                ELSE 'exclusion constraint' END AS kind
      FROM pg_constraint c
     WHERE (c.conrelid = 'bookings'::regclass AND c.contype IN ('p', 'x', 'f'))
        OR (c.confrelid = 'bookings'::regclass AND c.contype = 'f' AND c.conrelid <> 'bookings'::regclass)
    UNION ALL
    SELECT 'bookings', i.relname, pg_get_indexdef(i.oid), 'index'
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = 'bookings'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`);
  const order = ['primary key', 'index', 'exclusion constraint', 'foreign key', 'foreign key onto bookings'];
  const restore = [...rows]
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.name.localeCompare(b.name))
    .map((r) => ({
      what: `${r.kind} ${r.name}`,
      sql: r.kind === 'index' ? r.def : `ALTER TABLE ${r.tbl} ADD CONSTRAINT "${r.name}" ${r.def}`,
    }));
  for (const r of [...rows].sort((a, b) => order.indexOf(b.kind) - order.indexOf(a.kind)))
    await client.query(
      r.kind === 'index' ? `DROP INDEX "${r.name}"` : `ALTER TABLE ${r.tbl} DROP CONSTRAINT "${r.name}"`,
    );
  return restore;
}

export interface CountrySummary {
  municipalities: number;
  pools: number;
  resources: number;
  bookings: number;
  seconds: { municipalities: number; resources: number; bookings: number; indexes: number; analyze: number };
}

export const COUNTRY_LIMITS = { municipalities: 10_800, resources: 100_000, bookings: 10_000_000 };
/** Six two-hour slots a day; the season's peak day takes at most this share of a resource's year. */
const SLOTS_PER_DAY = 6;
const MAX_BOOKINGS_PER_RESOURCE = 1300;

export const COUNTRY_TYPES = [
  'street-sweeper',
  'excavator',
  'sewer-camera',
  'aerial-lift',
  'mulcher',
  'snow-plough',
  'gritter',
  'wheel-loader',
] as const;

/** States with their share of Germany's ~10,800 municipalities and a rough centre and extent. */
const STATES: { code: string; ags: string; count: number; lat: number; lon: number; span: number }[] = [
  { code: 'SH', ags: '01', count: 1106, lat: 54.2, lon: 9.8, span: 1.2 },
  { code: 'HH', ags: '02', count: 1, lat: 53.55, lon: 10.0, span: 0.1 },
  { code: 'NI', ags: '03', count: 941, lat: 52.8, lon: 9.2, span: 2.0 },
  { code: 'HB', ags: '04', count: 2, lat: 53.08, lon: 8.8, span: 0.2 },
  { code: 'NW', ags: '05', count: 396, lat: 51.5, lon: 7.5, span: 1.6 },
  { code: 'HE', ags: '06', count: 421, lat: 50.6, lon: 9.0, span: 1.4 },
  { code: 'RP', ags: '07', count: 2301, lat: 49.9, lon: 7.4, span: 1.4 },
  { code: 'BW', ags: '08', count: 1101, lat: 48.6, lon: 9.0, span: 1.6 },
  { code: 'BY', ags: '09', count: 2056, lat: 48.9, lon: 11.4, span: 2.4 },
  { code: 'SL', ags: '10', count: 52, lat: 49.4, lon: 6.95, span: 0.4 },
  { code: 'BE', ags: '11', count: 1, lat: 52.52, lon: 13.4, span: 0.1 },
  { code: 'BB', ags: '12', count: 413, lat: 52.4, lon: 13.4, span: 1.6 },
  { code: 'MV', ags: '13', count: 726, lat: 53.7, lon: 12.4, span: 1.4 },
  { code: 'SN', ags: '14', count: 418, lat: 51.0, lon: 13.3, span: 1.0 },
  { code: 'ST', ags: '15', count: 218, lat: 51.9, lon: 11.7, span: 1.2 },
  { code: 'TH', ags: '16', count: 605, lat: 50.9, lon: 11.0, span: 1.0 },
];

const PREFIXES = ['', '', '', '', 'Alt', 'Neu', 'Ober', 'Nieder', 'Groß', 'Klein', 'Hohen', 'Bad '];
const STEMS = [
  'Lind', 'Eich', 'Buch', 'Ros', 'Wald', 'Stein', 'Kirch', 'Mühl', 'Hasel', 'Birk', 'Tann', 'Fels',
  'Sand', 'Wies', 'Erl', 'Roth', 'Hain', 'Weiß', 'Schön', 'Fried', 'Marien', 'Ebers', 'Horn', 'Kron',
  'Apfel', 'Lauter', 'Rein', 'Esch', 'Wolfs', 'Hirsch',
]; // prettier-ignore
const SUFFIXES = [
  'bach', 'berg', 'dorf', 'feld', 'hausen', 'heim', 'ingen', 'stadt', 'au', 'brück', 'rode',
  'wald', 'hagen', 'burg', 'stedt', 'furt', 'born', 'kirchen', 'leben', 'weiler',
]; // prettier-ignore

const sqlArray = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

/** Seasonal weight of a day (0–364) for a type: summer work, winter service, or all year. */
function seasonWeight(type: string, day: number, year: number): number {
  const weekday = new Date(Date.UTC(year, 0, 1 + day)).getUTCDay();
  const workday = weekday === 0 || weekday === 6 ? 0.15 : 1;
  const summer = 1 + 0.8 * Math.cos((2 * Math.PI * (day - 190)) / 365);
  const winter = Math.max(0.05, 1.2 * Math.cos((2 * Math.PI * (day - 15)) / 365));
  const season =
    type === 'snow-plough' || type === 'gritter'
      ? winter
      : type === 'mulcher' || type === 'street-sweeper' || type === 'aerial-lift'
        ? summer
        : 1 + 0.3 * Math.cos((2 * Math.PI * (day - 140)) / 365);
  return workday * season;
}

/**
 * For each type, 1,000 quantiles of its season: the day on which the q-th thousandth of a
 * resource's bookings falls. No day may carry more than SLOTS_PER_DAY bookings of one resource.
 */
function seasonQuantiles(year: number, perResource: number): number[][] {
  return COUNTRY_TYPES.map((type) => {
    const weights = Array.from({ length: 365 }, (_, d) => seasonWeight(type, d, year));
    const total = weights.reduce((a, b) => a + b, 0);
    const peak = Math.max(...weights) / total;
    if (peak * perResource > SLOTS_PER_DAY - 1)
      throw new Error(
        `${perResource} bookings per resource do not fit into ${SLOTS_PER_DAY} slots on the season's peak day of ${type}: add resources`,
      );
    const cumulative: number[] = [];
    let sum = 0;
    for (const w of weights) cumulative.push((sum += w) / total);
    return Array.from({ length: 1000 }, (_, q) => {
      const target = (q + 0.5) / 1000;
      return cumulative.findIndex((c) => c >= target);
    });
  });
}

/**
 * What the data set of these options depends on: the options and this module's own code, so that
 * a data set kept between benchmark runs is reloaded whenever the generator changes.
 */
export function countryFingerprint(o: CountryOptions): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...o, membersPerPool: o.membersPerPool ?? 8, rebuildFrom: undefined }))
    .update(readFileSync(__filename))
    .digest('hex')
    .slice(0, 16);
}

export function checkCountryOptions(o: CountryOptions): void {
  const whole = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new Error(
        `--${name} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')} (got ${v})`,
      );
  };
  whole('municipalities', o.municipalities, 1, COUNTRY_LIMITS.municipalities);
  whole('resources', o.resources, 1, COUNTRY_LIMITS.resources);
  whole('bookings', o.bookings, 0, COUNTRY_LIMITS.bookings);
  whole('seed', o.seed, 0, 2 ** 31 - 1);
  whole('year', o.year, 2000, 2100);
  if (o.bookings > o.resources * MAX_BOOKINGS_PER_RESOURCE)
    throw new Error(
      `${o.bookings} bookings on ${o.resources} resources is more than ${MAX_BOOKINGS_PER_RESOURCE} per resource and year: add resources`,
    );
}

/**
 * Writes the data set into a database that holds no municipalities yet (as the connecting user,
 * who must own the tables: row-level security does not apply to the owner of a fresh database).
 * `progress` hears one line per step.
 */
export async function generateCountry(
  client: Client,
  o: CountryOptions,
  progress: (line: string) => void = () => undefined,
): Promise<CountrySummary> {
  checkCountryOptions(o);
  const membersPerPool = o.membersPerPool ?? 8;
  const { rows: existing } = await client.query<{ n: string }>('SELECT count(*) AS n FROM municipalities');
  if (Number(existing[0].n) > 0)
    throw new Error('generate writes into an empty database: this one already has municipalities');
  const perResource = Math.ceil(o.bookings / o.resources);
  const quantiles = seasonQuantiles(o.year, Math.max(1, perResource));
  const seconds = { municipalities: 0, resources: 0, bookings: 0, indexes: 0, analyze: 0 };
  const timed = async (key: keyof typeof seconds, work: () => Promise<unknown>) => {
    const t0 = Date.now();
    await work();
    seconds[key] += (Date.now() - t0) / 1000;
  };
  // A pseudo-random number in [0, 1) from (i, salt), the same for the same seed everywhere.
  const rnd = (i: string, salt: number) =>
    `((hashint8extended((${i})::bigint, ${o.seed * 64 + salt}) & 2147483647)::double precision / 2147483648)`;

  // Ids too are the seed's: the same command twice gives the same rows.
  // (version 4 and variant nibbles set, so that they are well-formed UUIDs to any validator)
  const uuid = (kind: string, i: string) =>
    `overlay(overlay(md5(${kind} || ':' || ${o.seed} || ':' || (${i})) placing '4' from 13) placing '8' from 17)::uuid`;

  // States get municipalities in their real proportions (at least one each while there are enough).
  const total = STATES.reduce((a, s) => a + s.count, 0);
  let left = o.municipalities;
  const perState = STATES.map((s, k) => {
    const n =
      k === STATES.length - 1
        ? left
        : Math.min(
            left,
            Math.max(o.municipalities >= 16 ? 1 : 0, Math.round((s.count * o.municipalities) / total)),
          );
    left -= n;
    return n;
  });
  const stateRows = STATES.map(
    (s, k) => `('${s.code}', '${s.ags}', ${perState[k]}, ${s.lat}, ${s.lon}, ${s.span}, ${k})`,
  ).join(',');

  await client.query('BEGIN');
  try {
    await timed('municipalities', async () => {
      progress(`municipalities: ${o.municipalities.toLocaleString('en')} over 16 states`);
      await client.query(`
        CREATE TEMP TABLE gen_municipalities ON COMMIT DROP AS
        WITH states(code, ags, n, lat, lon, span, ord) AS (VALUES ${stateRows}),
             numbered AS (
               SELECT s.*, j, sum(s.n) OVER (ORDER BY s.ord) - s.n + j AS i
                 FROM states s CROSS JOIN LATERAL generate_series(0, s.n - 1) j)
        SELECT i, code AS state,
               ags || '0' || lpad((1 + j / 100)::text, 2, '0') || lpad((1 + j % 100)::text, 3, '0') AS ags,
               (${sqlArray(PREFIXES)})[1 + floor(${rnd('i', 1)} * ${PREFIXES.length})::int]
                 || CASE WHEN floor(${rnd('i', 1)} * ${PREFIXES.length}) BETWEEN 4 AND ${PREFIXES.length - 2}
                         THEN lower((${sqlArray(STEMS)})[1 + floor(${rnd('i', 2)} * ${STEMS.length})::int])
                         ELSE (${sqlArray(STEMS)})[1 + floor(${rnd('i', 2)} * ${STEMS.length})::int] END
                 || (${sqlArray(SUFFIXES)})[1 + floor(${rnd('i', 3)} * ${SUFFIXES.length})::int]
                 || CASE WHEN ${rnd('i', 8)} < 0.15 THEN ' (' || code || ')' ELSE '' END AS name,
               CASE WHEN n = 1 THEN 1500000 + floor(${rnd('i', 4)} * 2000000)::int
                    ELSE round(exp(5.3 + 5.0 * power(${rnd('i', 4)}, 1.6)) * CASE WHEN ${rnd('i', 5)} > 0.995 THEN 12 ELSE 1 END)::int
               END AS population,
               lat + (${rnd('i', 6)} - 0.5) * span AS lat,
               lon + (${rnd('i', 7)} - 0.5) * span * 1.5 AS lon,
               ord, j
          FROM numbered`);
      await client.query(`
        INSERT INTO municipalities (id, name, ags, population, lat, lon, state)
        SELECT ${uuid("'m'", 'i')}, name, ags, population, lat, lon, state FROM gen_municipalities ORDER BY i`);
      // Pools of neighbours: members of one state, in order of longitude bands and latitude.
      await client.query(`
        CREATE TEMP TABLE gen_members ON COMMIT DROP AS
        SELECT m.id AS municipality_id, g.i,
               dense_rank() OVER (ORDER BY g.ord, g.grp) AS pool_no
          FROM (SELECT i, ags, ord,
                       (row_number() OVER (PARTITION BY ord ORDER BY floor(lon * 4), lat) - 1) / ${membersPerPool} AS grp
                  FROM gen_municipalities) g
          JOIN municipalities m ON m.ags = g.ags`);
      await client.query(`
        CREATE TEMP TABLE gen_pools ON COMMIT DROP AS
        SELECT pool_no, ${uuid("'p'", 'pool_no')} AS id FROM (SELECT DISTINCT pool_no FROM gen_members) p`);
      await client.query(`
        INSERT INTO pools (id, name, field_of_action)
        SELECT p.id, 'Bauhof-Verbund ' || m.name, 'building-yard'
          FROM gen_pools p
          JOIN LATERAL (SELECT g.name FROM gen_members x JOIN gen_municipalities g ON g.i = x.i
                         WHERE x.pool_no = p.pool_no ORDER BY g.population DESC, g.i LIMIT 1) m ON true`);
      await client.query(`
        INSERT INTO pool_members (pool_id, municipality_id, joined_on)
        SELECT p.id, x.municipality_id, make_date(${o.year - 1}, 1, 1)
          FROM gen_members x JOIN gen_pools p USING (pool_no)`);
    });

    await timed('resources', async () => {
      progress(`resources: ${o.resources.toLocaleString('en')} machines over the pools`);
      await client.query(`
        CREATE TEMP TABLE gen_resources ON COMMIT DROP AS
        WITH pools AS (SELECT p.id, p.pool_no, row_number() OVER (ORDER BY p.pool_no) - 1 AS k,
                              array_agg(x.municipality_id ORDER BY x.i) AS members
                         FROM gen_pools p JOIN gen_members x USING (pool_no) GROUP BY p.id, p.pool_no),
             n AS (SELECT count(*) AS pools FROM pools)
        SELECT r AS i, ${uuid("'r'", 'r')} AS id, p.id AS pool_id,
               (r / n.pools) % ${COUNTRY_TYPES.length} AS type_no,
               p.members[1 + floor(${rnd('r', 10)} * array_length(p.members, 1))::int] AS home
          FROM generate_series(0, ${o.resources - 1}) r
          CROSS JOIN n
          JOIN pools p ON p.k = r % n.pools`);
      await client.query(`
        INSERT INTO resources (id, pool_id, kind, name, type, home_municipality_id, hourly_rate_cents, transport_speed_kmh)
        SELECT id, pool_id, 'machine',
               initcap(replace((${sqlArray(COUNTRY_TYPES)})[1 + type_no], '-', ' ')) || ' ' || (i + 1),
               (${sqlArray(COUNTRY_TYPES)})[1 + type_no], home,
               3000 + floor(${rnd('i', 11)} * 9000)::int, 25
          FROM gen_resources ORDER BY i`);
    });

    if (o.bookings > 0) {
      const { rows: before } = await client.query<{ n: string }>('SELECT count(*) AS n FROM bookings');
      const rebuild = Number(before[0].n) === 0 && o.bookings >= (o.rebuildFrom ?? 100_000);
      // A large load goes into a bare table: the primary key, the secondary indexes, the exclusion
      // constraint and the foreign keys (of bookings and onto bookings) are dropped and restored
      // afterwards from their exact catalog definitions, each built or checked once over all rows
      // instead of row by row (a foreign key is four lookups per row, the exclusion constraint a
      // GiST insert and search). Restoring them validates every row all the same.
      const restore = rebuild ? await dropBookingConstraints(client) : [];
      // The start of every (type, season quantile, slot of the day) as a table joined by key: an
      // int[] of 1,000 days in a row is detoasted on every access, which cost more than the rest.
      await client.query(
        `
        CREATE TEMP TABLE gen_starts ON COMMIT DROP AS
        SELECT (tq.n - 1) * ${SLOTS_PER_DAY} + s.slot AS key,
               ((make_date(${o.year}, 1, 1) + tq.day) + time '06:00' + s.slot * interval '2 hours') AT TIME ZONE 'Europe/Berlin' AS st
          FROM unnest($1::int[]) WITH ORDINALITY tq(day, n)
          CROSS JOIN generate_series(0, ${SLOTS_PER_DAY - 1}) s(slot)`,
        [quantiles.flat()],
      );
      await client.query('ALTER TABLE gen_starts ADD PRIMARY KEY (key)');
      await client.query('ANALYZE gen_starts');
      // Resource r carries bookings k = 0 … its share - 1 (the first resources one more).
      const base = Math.floor(o.bookings / o.resources);
      const extra = o.bookings % o.resources;
      const chunk = Math.max(1, Math.floor(1_000_000 / Math.max(1, perResource)));
      await client.query(`SET LOCAL work_mem = '256MB'`);
      await timed('bookings', async () => {
        for (let from = 0; from < o.resources; from += chunk) {
          const to = Math.min(o.resources, from + chunk) - 1;
          await client.query(
            `
            INSERT INTO bookings (id, pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                                  blocked_start, blocked_end, status, priority)
            SELECT ${uuid("'b'", 'x.n')}, x.pool_id, x.id, x.home, x.home, s.st, s.st + x.dur, s.st, s.st + x.dur,
                   x.status, 'normal'
              FROM (
                SELECT r.pool_id, r.id, r.home, r.i * 2000 + k AS n,
                       (r.type_no * 1000 + floor((k + ${rnd('r.i * 2000 + k', 14)} * 0.999) * 1000.0
                          / ($1 + CASE WHEN r.i < $2 THEN 1 ELSE 0 END))::int) * ${SLOTS_PER_DAY} + k % ${SLOTS_PER_DAY} AS key,
                       (60 + 15 * floor(${rnd('r.i * 2000 + k', 15)} * 5)) * interval '1 minute' AS dur,
                       CASE WHEN ${rnd('r.i * 2000 + k', 13)} < 0.03 THEN 'cancelled' ELSE 'active' END AS status
                  FROM gen_resources r
                  CROSS JOIN LATERAL generate_series(0, $1 + CASE WHEN r.i < $2 THEN 1 ELSE 0 END - 1) k
                 WHERE r.i BETWEEN $3 AND $4
              ) x
              JOIN gen_starts s USING (key)
             ORDER BY x.n`,
            [base, extra, from, to],
          );
          progress(`bookings: resources ${from + 1}–${to + 1} of ${o.resources.toLocaleString('en')} loaded`);
        }
      });
      if (rebuild) {
        await timed('indexes', async () => {
          await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
          for (const r of restore) {
            const t0 = Date.now();
            await client.query(r.sql);
            progress(`bookings: ${r.what} restored in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          }
        });
      }
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  await timed('analyze', async () => {
    progress('VACUUM ANALYZE');
    await client.query('VACUUM (ANALYZE) municipalities, pools, pool_members, resources, bookings');
  });
  const { rows } = await client.query<{ m: string; p: string; r: string; b: string }>(
    `SELECT (SELECT count(*) FROM municipalities) AS m, (SELECT count(*) FROM pools) AS p,
            (SELECT count(*) FROM resources) AS r, (SELECT count(*) FROM bookings) AS b`,
  );
  return {
    municipalities: Number(rows[0].m),
    pools: Number(rows[0].p),
    resources: Number(rows[0].r),
    bookings: Number(rows[0].b),
    seconds,
  };
}
