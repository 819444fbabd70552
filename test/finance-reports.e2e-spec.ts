import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { assertBuilt, runCli } from './support/processes';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { createUserViaApi, sql, WorldUser } from './support/world';

/**
 * Finance reports over a small pool with known figures (2025, well in the past):
 * Eschwege (A) and Sontra (C) share "Bauhof-Verbund Test"; Witzenhausen (B) is in another pool.
 *
 *  1. A: sweeper R1 (95,00 €/h + 25,00 € per use), 2025-03-03 4 h, 3.5 h recorded   →  357,50 €
 *  2. A: camera R2 (120,75 €/h), 2025-03-04 2 h, nothing recorded (estimated)         →  241,50 €
 *  3. C: sweeper R1, 2025-04-01 00:30–05:00 local (31 March in UTC), 4.25 h recorded  →  428,75 €
 *  4. C: camera R2, 2025-04-02, cancelled                                             →    0
 *  5. A: sweeper R1 2025-10-27 1.5 h, 1.25 h recorded, with operator S1 (45,50 €/h)   →  143,75 € + 68,25 €
 *  6. C: camera R2 2025-11-05 3 h, nothing recorded (estimated)                       →  362,25 €
 */
describe('finance reports', () => {
  let stack: TestStack;
  const ids = {} as Record<'A' | 'B' | 'C' | 'P' | 'P2' | 'R1' | 'R2' | 'S1' | 'b2' | 'b6', string>;
  const users = {} as Record<'coordinator' | 'financeA' | 'financeC' | 'financeB' | 'yardA', WorldUser>;
  const http = () => request(stack.api.getHttpServer());
  const get = (path: string, user: WorldUser | 'admin', query: Record<string, string | number> = {}) =>
    http()
      .get(`/api/v1${path}`)
      .set('Authorization', `Bearer ${user === 'admin' ? ADMIN_TOKEN : user.token}`)
      .query(query);

  beforeAll(async () => {
    stack = await startTestStack();
    const one = async (text: string, params: unknown[] = []) =>
      (await sql<{ id: string }>(stack, text, params))[0].id;
    const municipality = (name: string, ags: string) =>
      one(
        `INSERT INTO municipalities (name, ags, population, lat, lon) VALUES ($1, $2, 10000, 51.2, 10.0) RETURNING id`,
        [name, ags],
      );
    ids.A = await municipality('Eschwege', '06636003');
    ids.B = await municipality('Witzenhausen', '06636016');
    ids.C = await municipality('Sontra', '06636011');
    ids.P = await one(
      `INSERT INTO pools (name, field_of_action) VALUES ('Bauhof-Verbund Test', 'building-yard') RETURNING id`,
    );
    ids.P2 = await one(
      `INSERT INTO pools (name, field_of_action) VALUES ('Winterdienst Nord', 'winter-service') RETURNING id`,
    );
    await sql(
      stack,
      `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES ($1, $2, '2024-01-01'), ($1, $3, '2024-01-01'),
         ($4, $5, '2024-01-01')`,
      [ids.P, ids.A, ids.C, ids.P2, ids.B],
    );
    const resource = (kind: string, name: string, type: string, home: string, rate: number, perUse: number) =>
      one(
        `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, hourly_rate_cents, per_use_cents)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [ids.P, kind, name, type, home, rate, perUse],
      );
    ids.R1 = await resource('machine', 'Kehrmaschine Eschwege', 'street-sweeper', ids.A, 9500, 2500);
    ids.R2 = await resource('machine', 'Kanal-TV-Kamera Sontra', 'sewer-camera', ids.C, 12075, 0);
    ids.S1 = await resource('staff', 'Max Bediener', 'operator', ids.A, 4550, 0);
    // Monday 08:00 to Tuesday 08:00 local: 7.5 + 1 working hours off
    await sql(
      stack,
      `INSERT INTO blackouts (resource_id, start_at, end_at, reason) VALUES ($1, $2, $3, 'Wartung')`,
      [ids.R1, '2025-05-05T06:00:00Z', '2025-05-06T06:00:00Z'],
    );
    const booking = (
      resourceId: string,
      municipalityId: string,
      start: string,
      end: string,
      extra: { status?: string; operatorFor?: string; hours?: number } = {},
    ) =>
      one(
        `WITH b AS (
           INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                                 blocked_start, blocked_end, status, operator_for_booking_id)
           VALUES ($1, $2, $3, $3, $4, $5, $4, $5, $6, $7) RETURNING id),
         u AS (INSERT INTO booking_usages (booking_id, operating_hours) SELECT id, $8 FROM b WHERE $8::numeric IS NOT NULL)
         SELECT id FROM b`,
        [
          ids.P,
          resourceId,
          municipalityId,
          start,
          end,
          extra.status ?? 'active',
          extra.operatorFor ?? null,
          extra.hours ?? null,
        ],
      );
    await booking(ids.R1, ids.A, '2025-03-03T08:00:00+01:00', '2025-03-03T12:00:00+01:00', { hours: 3.5 });
    ids.b2 = await booking(ids.R2, ids.A, '2025-03-04T08:00:00+01:00', '2025-03-04T10:00:00+01:00');
    await booking(ids.R1, ids.C, '2025-04-01T00:30:00+02:00', '2025-04-01T05:00:00+02:00', { hours: 4.25 });
    await booking(ids.R2, ids.C, '2025-04-02T08:00:00+02:00', '2025-04-02T10:00:00+02:00', {
      status: 'cancelled',
    });
    const b5 = await booking(ids.R1, ids.A, '2025-10-27T08:00:00+01:00', '2025-10-27T09:30:00+01:00', {
      hours: 1.25,
    });
    await booking(ids.S1, ids.A, '2025-10-27T08:00:00+01:00', '2025-10-27T09:30:00+01:00', {
      operatorFor: b5,
    });
    ids.b6 = await booking(ids.R2, ids.C, '2025-11-05T08:00:00+01:00', '2025-11-05T11:00:00+01:00');

    users.coordinator = await createUserViaApi(stack, {
      email: 'koordination@test.example',
      name: 'Koordination',
      role: 'coordinator',
      municipalityId: ids.A,
      poolIds: [ids.P],
    });
    users.financeA = await createUserViaApi(stack, {
      email: 'kasse-a@test.example',
      name: 'Kasse A',
      role: 'finance',
      municipalityId: ids.A,
    });
    users.financeC = await createUserViaApi(stack, {
      email: 'kasse-c@test.example',
      name: 'Kasse C',
      role: 'finance',
      municipalityId: ids.C,
    });
    users.financeB = await createUserViaApi(stack, {
      email: 'kasse-b@test.example',
      name: 'Kasse B',
      role: 'finance',
      municipalityId: ids.B,
    });
    users.yardA = await createUserViaApi(stack, {
      email: 'bauhof-a@test.example',
      name: 'Bauhof A',
      role: 'yard-manager',
      municipalityId: ids.A,
    });
  });

  afterAll(async () => {
    await stack.close();
  });

  const costs = (body: unknown) =>
    (body as { rows: { key: string; name: string; totalCents: number; estimatedCents: number }[] }).rows.map(
      (r) => [r.name, r.totalCents, r.estimatedCents],
    );

  it('sums the costs per municipality at the resources’ rates, estimated where usage is missing', async () => {
    const res = await get(`/pools/${ids.P}/reports/costs`, users.coordinator, { year: 2025 }).expect(200);
    expect(res.body).toMatchObject({
      report: 'costs',
      poolName: 'Bauhof-Verbund Test',
      from: '2025-01-01',
      to: '2026-01-01',
      groupBy: 'municipality',
      municipalityId: null,
    });
    expect(res.body.rows).toEqual([
      expect.objectContaining({
        key: ids.A,
        name: 'Eschwege',
        bookings: 4,
        estimatedBookings: 1,
        recordedHours: 6.25,
        estimatedHours: 2,
        recordedCents: 35750 + 14375 + 6825,
        estimatedCents: 24150,
        totalCents: 81100,
        estimated: true,
      }),
      expect.objectContaining({
        key: ids.C,
        name: 'Sontra',
        bookings: 2,
        recordedHours: 4.25,
        estimatedHours: 3,
        recordedCents: 42875,
        estimatedCents: 36225,
        totalCents: 79100,
      }),
    ]);
    expect(res.body.totals).toMatchObject({ bookings: 6, totalCents: 160200, estimatedCents: 60375 });
  });

  it('groups by resource, type and local month (a night in April stays in April)', async () => {
    const q = (groupBy: string) =>
      get(`/pools/${ids.P}/reports/costs`, users.coordinator, { year: 2025, groupBy });
    expect(costs((await q('month').expect(200)).body)).toEqual([
      ['März 2025', 59900, 24150],
      ['April 2025', 42875, 0],
      ['Oktober 2025', 21200, 0],
      ['November 2025', 36225, 36225],
    ]);
    expect((await q('month')).body.rows.map((r: { key: string }) => r.key)).toEqual([
      '2025-03',
      '2025-04',
      '2025-10',
      '2025-11',
    ]);
    expect(costs((await q('type').expect(200)).body)).toEqual([
      ['operator', 6825, 0],
      ['sewer-camera', 60375, 60375],
      ['street-sweeper', 93000, 0],
    ]);
    const byResource = (await q('resource').expect(200)).body.rows;
    expect(
      byResource.map((r: { name: string; homeMunicipalityName: string; totalCents: number }) => [
        r.name,
        r.homeMunicipalityName,
        r.totalCents,
      ]),
    ).toEqual([
      ['Kanal-TV-Kamera Sontra', 'Sontra', 60375],
      ['Kehrmaschine Eschwege', 'Eschwege', 93000],
      ['Max Bediener', 'Eschwege', 6825],
    ]);
    const en = await get(`/pools/${ids.P}/reports/costs`, users.coordinator, { year: 2025, groupBy: 'month' })
      .set('Accept-Language', 'en')
      .expect(200);
    expect(en.body.rows.map((r: { name: string }) => r.name)).toContain('March 2025');
  });

  it('shows finance staff only their own municipality, and nothing of a pool they are not in', async () => {
    const a = await get(`/pools/${ids.P}/reports/costs`, users.financeA, { year: 2025 }).expect(200);
    expect(a.body.municipalityName).toBe('Eschwege');
    expect(costs(a.body)).toEqual([['Eschwege', 81100, 24150]]);
    const c = await get(`/pools/${ids.P}/reports/costs`, users.financeC, {
      year: 2025,
      groupBy: 'type',
    }).expect(200);
    expect(costs(c.body)).toEqual([
      ['sewer-camera', 36225, 36225],
      ['street-sweeper', 42875, 0],
    ]);
    const other = await get(`/pools/${ids.P}/reports/costs`, users.financeA, {
      year: 2025,
      municipalityId: ids.C,
    }).expect(403);
    expect(other.body.code).toBe('FORBIDDEN');
    expect((await get(`/pools/${ids.P}/reports/costs`, users.financeB, { year: 2025 })).status).toBe(404);
    expect((await get(`/pools/${ids.P}/reports/costs`, users.yardA, { year: 2025 })).status).toBe(403);
    const narrowed = await get(`/pools/${ids.P}/reports/costs`, users.coordinator, {
      year: 2025,
      municipalityId: ids.C,
    }).expect(200);
    expect(costs(narrowed.body)).toEqual([['Sontra', 79100, 36225]]);
  });

  it('sets booked hours against working hours without holidays and blackouts', async () => {
    const res = await get(`/pools/${ids.P}/reports/utilization`, users.coordinator, { year: 2025 }).expect(
      200,
    );
    // 2025: 261 weekdays, 10 of them Hessian public holidays; 8.5 h a day
    const year = 251 * 8.5;
    expect(
      res.body.rows.map(
        (r: {
          name: string;
          bookings: number;
          bookedHours: number;
          availableHours: number;
          utilizationPercent: number;
        }) => [r.name, r.bookings, r.bookedHours, r.availableHours, r.utilizationPercent],
      ),
    ).toEqual([
      ['Kanal-TV-Kamera Sontra', 2, 5, year, Math.round((100 * 5 * 100) / year) / 100],
      ['Kehrmaschine Eschwege', 3, 10, year - 8.5, Math.round((100 * 10 * 100) / (year - 8.5)) / 100],
      ['Max Bediener', 1, 1.5, year, Math.round((100 * 1.5 * 100) / year) / 100],
    ]);
    const byMonth = await get(`/pools/${ids.P}/reports/utilization`, users.coordinator, {
      from: '2025-03-01',
      to: '2025-05-01',
      groupBy: 'month',
    }).expect(200);
    expect(
      byMonth.body.rows.map((r: { key: string; bookedHours: number; resources: number }) => [
        r.key,
        r.bookedHours,
        r.resources,
      ]),
    ).toEqual([
      ['2025-03', 6, 3],
      ['2025-04', 4.5, 3],
    ]);
    const own = await get(`/pools/${ids.P}/reports/utilization`, users.financeC, { year: 2025 }).expect(200);
    expect(own.body.rows.map((r: { name: string }) => r.name)).toEqual(['Kanal-TV-Kamera Sontra']);
  });

  it('lists past bookings without recorded usage, page by page', async () => {
    const first = await get(`/pools/${ids.P}/reports/unrecorded-usage`, users.coordinator, {
      year: 2025,
      limit: 1,
    }).expect(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({
        bookingId: ids.b2,
        date: '2025-03-04',
        start: '2025-03-04T07:00:00.000Z',
        startLocal: '2025-03-04T08:00:00+01:00',
        municipalityName: 'Eschwege',
        resourceName: 'Kanal-TV-Kamera Sontra',
        bookedHours: 2,
        estimatedCents: 24150,
      }),
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`/pools/${ids.P}/reports/unrecorded-usage`, users.coordinator, {
      year: 2025,
      limit: 1,
      cursor: first.body.nextCursor,
    }).expect(200);
    expect(second.body.items.map((i: { bookingId: string }) => i.bookingId)).toEqual([ids.b6]);
    expect(second.body.nextCursor).toBeNull();
    const a = await get(`/pools/${ids.P}/reports/unrecorded-usage`, users.financeA, { year: 2025 }).expect(
      200,
    );
    expect(a.body.items.map((i: { bookingId: string }) => i.bookingId)).toEqual([ids.b2]);
  });

  it('leaves out what has not happened yet', async () => {
    const now = Date.now();
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
    await sql(
      stack,
      `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at, blocked_start, blocked_end)
       VALUES ($1, $2, $3, $3, $4, $5, $4, $5)`,
      [ids.P, ids.R2, ids.C, new Date(now - 3_600_000), new Date(now + 3_600_000)],
    );
    const window = { from: day(-2), to: day(3) };
    const c = await get(`/pools/${ids.P}/reports/costs`, users.coordinator, window).expect(200);
    expect(c.body.rows).toEqual([]);
    const u = await get(`/pools/${ids.P}/reports/unrecorded-usage`, users.coordinator, window).expect(200);
    expect(u.body.items).toEqual([]);
    const util = await get(`/pools/${ids.P}/reports/utilization`, users.coordinator, window).expect(200);
    expect(util.body.totals.bookings).toBe(1);
  });

  it('downloads CSV as German Excel opens it, and XLSX with euro numbers that sum', async () => {
    const csv = await get(`/pools/${ids.P}/reports/costs`, users.coordinator, { year: 2025, format: 'csv' })
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="Kosten-nach-Gemeinde-Bauhof-Verbund-Test-2025.csv"',
    );
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toContain('Zeitraum: 01.01.2025 – 31.12.2025');
    expect(lines).toContain('Eschwege;4;1;6,25;2;569,50;241,50;811,00');
    expect(lines).toContain('Sontra;2;1;4,25;3;428,75;362,25;791,00');
    expect(lines).toContain('Summe;6;2;10,5;5;998,25;603,75;1602,00');

    const xlsx = await get(`/pools/${ids.P}/reports/costs`, users.financeA, { year: 2025, groupBy: 'month' })
      .set('Accept', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(xlsx.headers['content-disposition']).toBe(
      'attachment; filename="Kosten-nach-Monat-Bauhof-Verbund-Test-Eschwege-2025.xlsx"',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.worksheets[0];
    const rows: ExcelJS.CellValue[][] = [];
    let marchRow = 0;
    sheet.eachRow((r, n) => {
      rows.push((r.values as ExcelJS.CellValue[]).slice(1));
      if (r.getCell(1).value === 'März 2025') marchRow = n;
    });
    const march = rows.find((r) => r[0] === 'März 2025')!;
    expect(march[7]).toBe(599);
    expect(sheet.getRow(marchRow).getCell(8).numFmt).toContain('€');
    const total = rows.find((r) => r[0] === 'Summe')!;
    expect(total[7]).toMatchObject({ formula: expect.stringMatching(/^SUM\(H\d+:H\d+\)$/), result: 811 });

    const list = await get(`/pools/${ids.P}/reports/unrecorded-usage`, users.coordinator, {
      year: 2025,
      format: 'csv',
    }).expect(200);
    const listLines = list.text.split('\r\n').filter((l) => /^\d\d\.\d\d\.\d{4};/.test(l));
    expect(listLines).toHaveLength(2);
    expect(listLines[0]).toMatch(
      /^04\.03\.2025;04\.03\.2025 08:00;04\.03\.2025 10:00;Eschwege;Kanal-TV-Kamera Sontra;sewer-camera;2;241,50;;/,
    );
  });

  it('writes the list as XLSX with local times Excel shows as they are', async () => {
    const res = await get(`/pools/${ids.P}/reports/unrecorded-usage`, users.coordinator, {
      year: 2025,
      format: 'xlsx',
    })
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    const rows: ExcelJS.Row[] = [];
    book.worksheets[0].eachRow((r) => {
      if (r.getCell(1).value instanceof Date) rows.push(r);
    });
    expect(rows).toHaveLength(2);
    expect((rows[0].getCell(2).value as Date).toISOString()).toBe('2025-03-04T08:00:00.000Z');
    expect(rows[0].getCell(2).numFmt).toBe('dd.mm.yyyy hh:mm');
    expect(rows[0].getCell(8).value).toBe(241.5);
    expect(rows[1].getCell(10).value).toBe(ids.b6);
  });

  it('answers bad input with a problem, never a 500', async () => {
    const problem = async (query: Record<string, string | number>, field: string, path = 'costs') => {
      const res = await get(`/pools/${ids.P}/reports/${path}`, users.coordinator, query);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await problem({}, 'from');
    await problem({ from: '2025-02-01', to: '2025-01-01' }, 'to');
    await problem({ from: '2025-02-30', to: '2025-03-01' }, 'from');
    await problem({ from: '2020-01-01', to: '2030-01-01' }, 'to');
    await problem({ year: 2025, from: '2025-01-01' }, 'year');
    await problem({ year: 2025, groupBy: 'weather' }, 'groupBy');
    await problem({ year: 2025, groupBy: 'municipality' }, 'groupBy', 'utilization');
    await problem({ year: 2025, format: 'pdf' }, 'format');
    await problem({ year: 2025, cursor: 'bm9wZQ' }, 'cursor', 'unrecorded-usage');
    expect(
      (await get(`/pools/5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77/reports/costs`, 'admin', { year: 2025 }))
        .status,
    ).toBe(404);
  });

  describe('the CLI export of a year', () => {
    const out = mkdtempSync(join(tmpdir(), 'allmende-reports-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('writes every report as CSV and XLSX, with a progress bar on stderr', async () => {
      assertBuilt();
      const folder = join(out, 'Berichte 2025');
      const run = runCli(['export-reports', '--pool', ids.P, '--year', '2025', '--out', folder], {
        DATABASE_URL: stack.db.url,
      });
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('export-reports [########################################] 14/14');
      const files = readdirSync(folder).sort();
      expect(files).toHaveLength(14);
      expect(files.filter((f) => f.endsWith('.csv'))).toHaveLength(7);
      expect(files).toContain('Kosten-nach-Typ-Bauhof-Verbund-Test-2025.xlsx');
      expect(files).toContain('Nutzung-nicht-erfasst-Bauhof-Verbund-Test-2025.csv');
      const csv = readFileSync(join(folder, 'Kosten-nach-Gemeinde-Bauhof-Verbund-Test-2025.csv'), 'utf8');
      expect(csv.split('\r\n')).toContain('Summe;6;2;10,5;5;998,25;603,75;1602,00');
    });

    it('says in one line what is wrong with the arguments, and writes nothing', async () => {
      const cases: [string[], RegExp][] = [
        [['--year', '2025', '--out', out], /--pool <id> is required/],
        [['--pool', 'Bauhof', '--year', '2025', '--out', out], /--pool must be a pool id/],
        [['--pool', ids.P, '--year', 'zwanzig', '--out', out], /--year must be a year/],
        [['--pool', ids.P, '--year', '2025'], /--out <dir> is required/],
        [
          ['--pool', '5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77', '--year', '2025', '--out', join(out, 'nie')],
          /Pool .* was not found/,
        ],
      ];
      const runs = cases.map(([args]) => runCli(['export-reports', ...args], { DATABASE_URL: stack.db.url }));
      const codes = await Promise.all(runs.map((r) => r.exited));
      cases.forEach(([, message], i) => {
        expect(codes[i]).toBe(1);
        expect(runs[i].output()).toMatch(message);
        expect(runs[i].output()).not.toMatch(/\n\s+at /);
      });
      expect(existsSync(join(out, 'nie'))).toBe(false);
    });
  });
});
