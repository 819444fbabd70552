import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { CountryOptions, generateCountry } from './country-generator';

/** The country-sized data set, small: deterministic by seed, well-formed, seasonal, never overlapping. */
describe('generateCountry', () => {
  const dbs: TestDatabase[] = [];
  const clients: Client[] = [];

  const fresh = async (): Promise<Client> => {
    const db = await createTestDatabase();
    dbs.push(db);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    clients.push(c);
    return c;
  };

  afterAll(async () => {
    for (const c of clients) await c.end();
    for (const db of dbs) await db.drop();
  });

  const options: CountryOptions = {
    municipalities: 400,
    resources: 400,
    bookings: 16_000,
    seed: 5,
    year: 2027,
  };

  /** A digest of every generated row, ids included, in a fixed order. */
  const digest = async (c: Client) =>
    (
      await c.query<{ m: string; r: string; b: string }>(`
        SELECT (SELECT md5(string_agg(id::text || name || ags || population || state || lat || lon, ',' ORDER BY ags)) FROM municipalities) AS m,
               (SELECT md5(string_agg(id::text || pool_id::text || type || home_municipality_id::text, ',' ORDER BY id)) FROM resources) AS r,
               (SELECT md5(string_agg(resource_id::text || start_at::text || end_at::text || status, ',' ORDER BY resource_id, start_at)) FROM bookings) AS b`)
    ).rows[0];

  it('gives the same rows for the same seed and other rows for another seed', async () => {
    const [a, b, other] = [await fresh(), await fresh(), await fresh()];
    const summary = await generateCountry(a, options);
    await generateCountry(b, options);
    await generateCountry(other, { ...options, seed: 6 });
    expect(summary).toMatchObject({ municipalities: 400, resources: 400, bookings: 16_000 });
    expect(summary.pools).toBe(Number((await a.query('SELECT count(*) AS n FROM pools')).rows[0].n));
    const [da, db, dother] = [await digest(a), await digest(b), await digest(other)];
    expect(db).toEqual(da);
    expect(dother.m).not.toBe(da.m);
    expect(dother.b).not.toBe(da.b);

    // Well-formed: 8-digit AGS of the 16 states, every municipality in exactly one pool.
    const checks = (
      await a.query<{ states: string; badAgs: string; unpooled: string; overlaps: string }>(`
        SELECT (SELECT count(DISTINCT state) FROM municipalities) AS states,
               (SELECT count(*) FROM municipalities WHERE ags !~ '^(0[1-9]|1[0-6])[0-9]{6}$') AS "badAgs",
               (SELECT count(*) FROM municipalities m WHERE (SELECT count(*) FROM pool_members p WHERE p.municipality_id = m.id) <> 1) AS unpooled,
               (SELECT count(*) FROM bookings x JOIN bookings y ON x.resource_id = y.resource_id AND x.id < y.id
                   AND x.status = 'active' AND y.status = 'active'
                   AND tstzrange(x.blocked_start, x.blocked_end) && tstzrange(y.blocked_start, y.blocked_end)) AS overlaps`)
    ).rows[0];
    expect(checks).toEqual({ states: '16', badAgs: '0', unpooled: '0', overlaps: '0' });

    // Seasonal: mowing in July, winter service in January.
    const season = (
      await a.query<{ type: string; jan: string; jul: string }>(`
        SELECT r.type,
               count(*) FILTER (WHERE extract(month FROM b.start_at AT TIME ZONE 'Europe/Berlin') = 1) AS jan,
               count(*) FILTER (WHERE extract(month FROM b.start_at AT TIME ZONE 'Europe/Berlin') = 7) AS jul
          FROM bookings b JOIN resources r ON r.id = b.resource_id GROUP BY r.type`)
    ).rows;
    const of = (t: string) => season.find((s) => s.type === t)!;
    expect(Number(of('mulcher').jul)).toBeGreaterThan(2 * Number(of('mulcher').jan));
    expect(Number(of('snow-plough').jan)).toBeGreaterThan(2 * Number(of('snow-plough').jul));
  });

  it('loads into a bare table and restores every key, index and constraint exactly, with the same rows', async () => {
    /** Every constraint and index of the schema, as the catalog states it. */
    const schema = async (c: Client) =>
      (
        await c.query<{ defs: string }>(`
          SELECT string_agg(x, E'\n' ORDER BY x) AS defs FROM (
            SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                   || ' ' || convalidated || condeferrable || condeferred AS x
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT indexdef FROM pg_indexes WHERE schemaname = 'public') d`)
      ).rows[0].defs;
    const [plain, bulk] = [await fresh(), await fresh()];
    const before = await schema(bulk);
    await generateCountry(plain, options);
    const lines: string[] = [];
    await generateCountry(bulk, { ...options, rebuildFrom: 1 }, (l) => lines.push(l));
    expect(lines.filter((l) => / restored in /.test(l)).length).toBeGreaterThanOrEqual(8);
    expect(await schema(bulk)).toBe(before);
    expect(await digest(bulk)).toEqual(await digest(plain));
    const ids = async (c: Client) =>
      (await c.query<{ d: string }>(`SELECT md5(string_agg(id::text, ',' ORDER BY id)) AS d FROM bookings`))
        .rows[0].d;
    expect(await ids(bulk)).toBe(await ids(plain));
    // The restored exclusion constraint is in force: an overlapping active booking is refused.
    await expect(
      bulk.query(`
        INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                              blocked_start, blocked_end)
        SELECT pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at, blocked_start, blocked_end
          FROM bookings WHERE status = 'active' LIMIT 1`),
    ).rejects.toThrow(/bookings_no_overlap/);
  });

  it('refuses sizes beyond the country and a database that is not empty', async () => {
    const c = await fresh();
    await expect(generateCountry(c, { ...options, municipalities: 10_801 })).rejects.toThrow(
      /--municipalities/,
    );
    await expect(generateCountry(c, { ...options, resources: 1, bookings: 5000 })).rejects.toThrow(
      /add resources/,
    );
    await generateCountry(c, { ...options, bookings: 0 });
    await expect(generateCountry(c, options)).rejects.toThrow(/empty database/);
  });
});
