import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import {
  COST_SHARING_CLOCK,
  CostSharingModule,
  PoolStatements,
  StatementsService,
} from '@allmende/cost-sharing';
import { DatabaseModule } from '@allmende/database';
import { QueueName } from '@allmende/queue';
import { startTestStack, TestStack } from './support/test-app';
import { createUserViaApi, sql, WorldUser } from './support/world';

/**
 * Cost sharing through the API: a pool of three towns in October 2025 (the month the clocks go
 * back), usage charged to the booker and credited to the owner, fixed costs by population,
 * finalizing, corrections in the next open period, a new agreement, the what-if, the monthly run.
 *
 * Eschwege (A, 19,800) owns the sweeper and hosts the coordination unit; Sontra (B, 7,600) owns
 * the sewer camera; Witzenhausen (C, 25,000) owns nothing. 52,400 inhabitants.
 */
describe('cost-sharing statements (e2e)', () => {
  let stack: TestStack;
  const http = () => request(stack.api.getHttpServer());
  let m: { a: string; b: string; c: string; d: string; e: string };
  let foreignPool: string;
  let users: Record<'financeA' | 'financeB' | 'yard' | 'financeE', WorldUser>;

  const get = (user: WorldUser, path: string) =>
    http().get(`/api/v1${path}`).set('Authorization', `Bearer ${user.token}`);
  const post = (user: WorldUser, path: string, body: object) =>
    http().post(`/api/v1${path}`).set('Authorization', `Bearer ${user.token}`).send(body);

  /** A pool of its own for each test: the three towns, the two machines, October's bookings. */
  interface OstPool {
    pool: string;
    sweeper: string;
    camera: string;
    bookingB: string;
    bookingC: string;
    coordinator: WorldUser;
    statementsOf(user: WorldUser, period: string, lang?: string): Promise<PoolStatements>;
  }
  let pools = 0;
  async function ostPool(): Promise<OstPool> {
    const n = ++pools;
    const [p] = await sql<{ id: string }>(
      stack,
      `INSERT INTO pools (name, field_of_action, cost_sharing)
       VALUES ($1, 'building-yard', '{"key":"population","annualOverheadCents":1200000}') RETURNING id`,
      [`Bauhof-Verbund Ost ${n}`],
    );
    const pool = p.id;
    await sql(
      stack,
      `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES
         ($1, $2, '2025-01-01'), ($1, $3, '2025-01-01'), ($1, $4, '2025-01-01')`,
      [pool, m.a, m.b, m.c],
    );
    // The host of the coordination unit is a pool setting: the agreement from the start of 2025.
    await sql(
      stack,
      `INSERT INTO cost_sharing_agreements (pool_id, valid_from, terms) VALUES ($1, '2025-01-01', $2)`,
      [
        pool,
        JSON.stringify({
          key: 'population',
          annualOverheadCents: 1_200_000,
          coordinationHostMunicipalityId: m.a,
        }),
      ],
    );
    const [r] = await sql<{ sweeper: string; camera: string }>(
      stack,
      `WITH ins AS (
         INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, hourly_rate_cents, per_use_cents,
                                annual_fixed_cost_cents) VALUES
           ($1, 'machine', 'Kehrmaschine Eschwege', 'street-sweeper', $2, 9500, 3000, 2400000),
           ($1, 'machine', 'Kanal-TV-Kamera Sontra', 'sewer-camera', $3, 6000, 0, 1200000)
         RETURNING id, type)
       SELECT (SELECT id FROM ins WHERE type = 'street-sweeper') sweeper, (SELECT id FROM ins WHERE type = 'sewer-camera') camera`,
      [pool, m.a, m.b],
    );
    const booking = async (resource: string, by: string, start: string, end: string, hours?: number) => {
      const [row] = await sql<{ id: string }>(
        stack,
        `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                               blocked_start, blocked_end)
         VALUES ($1, $2, $3, $3, $4, $5, $4, $5) RETURNING id`,
        [pool, resource, by, start, end],
      );
      if (hours !== undefined)
        await sql(stack, `INSERT INTO booking_usages (booking_id, operating_hours) VALUES ($1, $2)`, [
          row.id,
          hours,
        ]);
      return row.id;
    };
    // October 2025: the clocks go back on the 26th, the month has 745 hours.
    const bookingB = await booking(
      r.sweeper,
      m.b,
      '2025-10-06T08:00:00+02:00',
      '2025-10-06T12:00:00+02:00',
      3.5,
    );
    await booking(r.sweeper, m.a, '2025-10-07T08:00:00+02:00', '2025-10-07T10:00:00+02:00', 2);
    // Unrecorded: charged at the booked 1.5 hours. It starts on the last local evening of October.
    const bookingC = await booking(r.camera, m.c, '2025-10-31T22:00:00+01:00', '2025-10-31T23:30:00+01:00');
    // Local 1 November, 00:30 (still 31 October in UTC): November's.
    await booking(r.camera, m.c, '2025-11-01T00:30:00+01:00', '2025-11-01T02:00:00+01:00', 1);
    // Local 30 September, 23:30 (21:30 UTC): September's.
    await booking(r.camera, m.c, '2025-09-30T23:30:00+02:00', '2025-10-01T00:30:00+02:00', 1);
    const coordinator = await createUserViaApi(stack, {
      email: `koordination-${n}@ost.example`,
      name: `Koordination ${n}`,
      role: 'coordinator',
      municipalityId: m.a,
      poolIds: [pool],
    });
    return {
      pool,
      sweeper: r.sweeper,
      camera: r.camera,
      bookingB,
      bookingC,
      coordinator,
      async statementsOf(user, period, lang = 'de') {
        const res = await get(user, `/pools/${pool}/statements?period=${period}&lang=${lang}`);
        expect(res.status).toBe(200);
        return res.body as PoolStatements;
      },
    };
  }

  beforeAll(async () => {
    stack = await startTestStack({ worker: true });
    const [row] = await sql<{ a: string; b: string; c: string; d: string; e: string }>(
      stack,
      `WITH ins AS (
         INSERT INTO municipalities (name, ags, population, lat, lon) VALUES
           ('Eschwege', '06636003', 19800, 51.185, 10.056), ('Sontra', '06636011', 7600, 51.066, 9.935),
           ('Witzenhausen', '06636016', 25000, 51.341, 9.857), ('Wehretal', '06636015', 5200, 51.15, 10.0),
           ('Ringgau', '06636010', 3000, 51.08, 10.1)
         RETURNING id, ags)
       SELECT (SELECT id FROM ins WHERE ags = '06636003') a, (SELECT id FROM ins WHERE ags = '06636011') b,
              (SELECT id FROM ins WHERE ags = '06636016') c, (SELECT id FROM ins WHERE ags = '06636015') d,
              (SELECT id FROM ins WHERE ags = '06636010') e`,
    );
    m = row;
    const [fp] = await sql<{ id: string }>(
      stack,
      `INSERT INTO pools (name, field_of_action) VALUES ('Winterdienst Süd', 'winter-service') RETURNING id`,
    );
    foreignPool = fp.id;
    await sql(
      stack,
      `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES ($1, $2, '2025-01-01')`,
      [foreignPool, m.e],
    );
    users = {
      financeA: await createUserViaApi(stack, {
        email: 'kasse@eschwege.example',
        name: 'Kasse A',
        role: 'finance',
        municipalityId: m.a,
      }),
      financeB: await createUserViaApi(stack, {
        email: 'kasse@sontra.example',
        name: 'Kasse B',
        role: 'finance',
        municipalityId: m.b,
      }),
      yard: await createUserViaApi(stack, {
        email: 'bauhof@sontra.example',
        name: 'Bauhof B',
        role: 'yard-manager',
        municipalityId: m.b,
      }),
      financeE: await createUserViaApi(stack, {
        email: 'kasse@ringgau.example',
        name: 'Kasse E',
        role: 'finance',
        municipalityId: m.e,
      }),
    };
  });

  afterAll(async () => {
    await stack.close();
  });

  it('October (a DST month): usage to the booker, credits to the owner, population shares in words, exact sums', async () => {
    const o = await ostPool();
    const doc = await o.statementsOf(o.coordinator, '2025-10');
    expect(doc).toMatchObject({
      period: '2025-10',
      periodKind: 'month',
      from: '2025-10-01',
      to: '2025-11-01',
      finalized: false,
    });
    expect(doc.statements.map((s) => s.municipalityName)).toEqual(['Eschwege', 'Sontra', 'Witzenhausen']);
    const [a, b, c] = doc.statements;
    // Sontra: 3.5 h × 95.00 € + 30.00 € per use, owed to Eschwege.
    expect(b.usageCents).toBe(33_250 + 3_000);
    expect(b.lines.find((l) => l.kind === 'usage')).toMatchObject({
      amountCents: 36_250,
      bookingId: o.bookingB,
      resourceName: 'Kehrmaschine Eschwege',
      date: '2025-10-06',
      hours: 3.5,
      rateCents: 9_500,
      usageEstimated: false,
    });
    // Witzenhausen: the unrecorded evening booking at booked hours, marked; not November's, not September's.
    const cUsage = c.lines.filter((l) => l.kind === 'usage');
    expect(cUsage).toHaveLength(1);
    expect(cUsage[0]).toMatchObject({
      amountCents: 9_000,
      hours: 1.5,
      usageEstimated: true,
      bookingId: o.bookingC,
    });
    expect(cUsage[0].description).toContain('gebuchte Stunden');
    // Eschwege's own use of its own sweeper is shown, not charged.
    expect(a.lines.find((l) => l.kind === 'usage')).toMatchObject({ amountCents: 0, hours: 2 });
    // Fixed costs: 2,400,000 × 31/365 → 203,836 and 1,200,000 × 31/365 → 101,918; overhead 101,918.
    const fixedTotal = doc.statements.reduce((s, x) => s + x.fixedCents, 0);
    expect(fixedTotal).toBe(203_836 + 101_918 + 101_918);
    const share = a.lines.find((l) => l.kind === 'fixed' && l.description.includes('Maschinen'))!;
    expect(share.basis).toContain('19.800 von 52.400 Einwohnern = 37,79 %');
    // Credits: Eschwege owns the sweeper (its fixed costs and Sontra's use) and hosts the unit.
    expect(a.creditsCents).toBe(203_836 + 36_250 + 101_918);
    expect(b.creditsCents).toBe(101_918 + 9_000);
    expect(c.creditsCents).toBe(0);
    expect(doc.statements.reduce((s, x) => s + x.totalCents, 0)).toBe(doc.poolTotalCents);
    expect(doc.statements.reduce((s, x) => s + x.netCents, 0)).toBe(0);
    for (const s of doc.statements) expect(s.netCents).toBe(s.totalCents - s.creditsCents);
    // Settlement: the debtors pay the creditors, and every net is balanced.
    const left = new Map(doc.statements.map((s) => [s.municipalityId, s.netCents]));
    for (const t of doc.settlement) {
      left.set(t.fromMunicipalityId, left.get(t.fromMunicipalityId)! - t.amountCents);
      left.set(t.toMunicipalityId, left.get(t.toMunicipalityId)! + t.amountCents);
      expect(t.fromMunicipalityName).toBeTruthy();
    }
    expect([...left.values()].every((v) => v === 0)).toBe(true);
    expect(doc.settlement.length).toBeLessThanOrEqual(2);
    expect(doc.keyDescription).toBe('Einwohnerzahl');
    // Savings: Sontra used a sweeper; alone it would have owned one.
    expect(b.savings).toMatchObject({ paidNetCents: b.netCents, earnedFromOthersCents: 9_000 });
    expect(b.savings!.standaloneCostCents).toBeGreaterThan(0);
  });

  it('English by lang or Accept-Language', async () => {
    const o = await ostPool();
    const doc = await o.statementsOf(o.coordinator, '2025-10', 'en');
    expect(doc.language).toBe('en');
    expect(doc.statements[0].lines.find((l) => l.kind === 'fixed')!.basis).toContain(
      '19,800 of 52,400 inhabitants = 37.79%',
    );
    const res = await http()
      .get(`/api/v1/pools/${o.pool}/statements?period=2025-10`)
      .set('Authorization', `Bearer ${o.coordinator.token}`)
      .set('Accept-Language', 'en-GB,en;q=0.9,de;q=0.5');
    expect(res.body.keyDescription).toBe('population');
  });

  it('quarter and year: the same arithmetic over longer periods, members by days', async () => {
    const o = await ostPool();
    const q = await o.statementsOf(o.coordinator, '2025-Q4');
    expect(q).toMatchObject({ periodKind: 'quarter', from: '2025-10-01', to: '2026-01-01' });
    expect(q.statements.reduce((s, x) => s + x.netCents, 0)).toBe(0);
    const y = await o.statementsOf(o.coordinator, '2025');
    expect(y).toMatchObject({ periodKind: 'year', from: '2025-01-01', to: '2026-01-01' });
    // A line per booking: Witzenhausen's two recorded camera bookings of the year (30 September, 1 November).
    const c = y.statements.find((x) => x.municipalityName === 'Witzenhausen')!;
    const recorded = c.lines.filter((l) => l.kind === 'usage' && !l.usageEstimated);
    expect(recorded.map((l) => [l.date, l.hours, l.amountCents])).toEqual([
      ['2025-09-30', 1, 6_000],
      ['2025-11-01', 1, 6_000],
    ]);
    for (const l of recorded) expect(l.bookingId).toMatch(/^[0-9a-f-]{36}$/);
    // A whole year of membership: the annual fixed costs exactly.
    expect(y.statements.reduce((s, x) => s + x.fixedCents, 0)).toBe(2_400_000 + 1_200_000 + 1_200_000);
  });

  it('finance sees its own municipality only; others are refused; bad input is a problem', async () => {
    const o = await ostPool();
    const doc = await o.statementsOf(users.financeB, '2025-10');
    expect(doc.statements.map((s) => s.municipalityName)).toEqual(['Sontra']);
    for (const t of doc.settlement) expect([t.fromMunicipalityId, t.toMunicipalityId]).toContain(m.b);
    expect((await get(users.yard, `/pools/${o.pool}/statements?period=2025-10`)).status).toBe(403);
    expect((await get(users.financeE, `/pools/${o.pool}/statements?period=2025-10`)).status).toBe(404);
    const bad = await get(o.coordinator, `/pools/${o.pool}/statements?period=2025-13`);
    expect(bad.status).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors[0].field).toBe('period');
    const missing = await get(o.coordinator, `/pools/${o.pool}/statements`);
    expect(missing.status).toBe(422);
  });

  it('CSV, XLSX and PDF through the renderer; other media types 406 problem+json', async () => {
    const o = await ostPool();
    const pdf = await get(o.coordinator, `/pools/${o.pool}/statements?period=2025-10&format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/attachment; filename=".+\.pdf"/);
    const csv = await get(o.coordinator, `/pools/${o.pool}/statements?period=2025-10`).set(
      'Accept',
      'text/csv',
    );
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const xlsx = await get(o.coordinator, `/pools/${o.pool}/statements?period=2025-10&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const image = await get(o.coordinator, `/pools/${o.pool}/statements?period=2025-10`).set(
      'Accept',
      'image/png',
    );
    expect(image.status).toBe(406);
    expect(image.body.code).toBe('NOT_ACCEPTABLE');
    const json = await get(o.coordinator, `/pools/${o.pool}/statements?period=2025-10`).set(
      'Accept',
      'application/json, */*;q=0.1',
    );
    expect(json.status).toBe(200);
  });

  it('finalizing: numbered, checksummed, immutable; one statement.issued event per member; once', async () => {
    const o = await ostPool();
    expect(
      (await post(users.financeB, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' })).status,
    ).toBe(403);
    const future = await post(o.coordinator, `/pools/${o.pool}/statements/finalize`, { period: '2099-01' });
    expect(future.status).toBe(409);
    const res = await post(o.coordinator, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' });
    expect(res.status).toBe(201);
    const doc = res.body as PoolStatements;
    expect(doc.finalized).toBe(true);
    expect(doc.statements.map((s) => s.number)).toEqual(['2025-0001', '2025-0002', '2025-0003']);
    for (const s of doc.statements) expect(s.checksum).toMatch(/^[0-9a-f]{64}$/);
    const again = await post(o.coordinator, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PERIOD_FINALIZED');
    const overlapping = await post(o.coordinator, `/pools/${o.pool}/statements/finalize`, {
      period: '2025-Q4',
    });
    expect(overlapping.status).toBe(409);

    const events = await sql<{
      municipality_id: string;
      booking_id: string | null;
      payload: Record<string, unknown>;
    }>(
      stack,
      `SELECT municipality_id, booking_id, payload FROM booking_events
        WHERE kind = 'statement.issued' AND payload->>'poolId' = $1 ORDER BY id`,
      [o.pool],
    );
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.booking_id === null)).toBe(true);
    expect(events.map((e) => e.payload)).toContainEqual({
      poolId: o.pool,
      municipalityId: m.b,
      period: '2025-10',
      statementNumber: '2025-0002',
    });
    const audit = await sql(
      stack,
      `SELECT 1 FROM audit_log WHERE action = 'statements.finalize' AND entity_id = $1`,
      [o.pool],
    );
    expect(audit).toHaveLength(1);
    await expect(
      sql(stack, `UPDATE statements SET net_cents = 0 WHERE pool_id = $1`, [o.pool]),
    ).rejects.toThrow(/immutable/);
    await expect(sql(stack, `DELETE FROM statement_periods WHERE pool_id = $1`, [o.pool])).rejects.toThrow(
      /immutable/,
    );
    // The finalized statement reads the same afterwards, in either language.
    const read = await o.statementsOf(o.coordinator, '2025-10', 'en');
    expect(read.statements.map((s) => [s.number, s.netCents])).toEqual(
      doc.statements.map((s) => [s.number, s.netCents]),
    );
  });

  it('a correction after finalizing lands in the next open period as adjustments; the closed one stays', async () => {
    const o = await ostPool();
    expect(
      (await post(o.coordinator, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' })).status,
    ).toBe(201);
    const before = await o.statementsOf(o.coordinator, '2025-10');
    // Witzenhausen records 2.0 h on the evening booking (1.5 h were charged); Sontra's sweeper booking is cancelled.
    await sql(stack, `INSERT INTO booking_usages (booking_id, operating_hours) VALUES ($1, 2.0)`, [
      o.bookingC,
    ]);
    await sql(stack, `UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [o.bookingB]);
    const closed = await o.statementsOf(o.coordinator, '2025-10');
    expect(closed.statements.map((s) => s.netCents)).toEqual(before.statements.map((s) => s.netCents));
    const nov = await o.statementsOf(o.coordinator, '2025-11');
    const byName = Object.fromEntries(nov.statements.map((s) => [s.municipalityName, s]));
    expect(byName.Witzenhausen.adjustmentsCents).toBe(3_000);
    expect(byName.Sontra.adjustmentsCents).toBe(-36_250);
    const credit = (name: string) =>
      byName[name].lines
        .filter((l) => l.kind === 'credit' && l.description.includes('2025-10'))
        .reduce((s, l) => s + l.amountCents, 0);
    expect(credit('Sontra')).toBe(3_000);
    expect(credit('Eschwege')).toBe(-36_250);
    expect(byName.Sontra.lines.find((l) => l.kind === 'adjustment')!.description).toContain('2025-10');
    expect(nov.statements.reduce((s, x) => s + x.netCents, 0)).toBe(0);
    expect(nov.statements.reduce((s, x) => s + x.totalCents, 0)).toBe(nov.poolTotalCents);
  });

  it('a new agreement takes effect from its date, never inside a finalized period', async () => {
    const o = await ostPool();
    expect(
      (await post(o.coordinator, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' })).status,
    ).toBe(201);
    const inside = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/agreements`, {
      validFrom: '2025-10-15',
      key: 'equal',
    });
    expect(inside.status).toBe(409);
    expect(inside.body.code).toBe('PERIOD_FINALIZED');
    const badMix = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/agreements`, {
      validFrom: '2025-11-16',
      key: 'mixed',
      mix: { population: 50, usage: 40 },
    });
    expect(badMix.status).toBe(422);
    const ok = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/agreements`, {
      validFrom: '2025-11-16',
      key: 'mixed',
      mix: { population: 50, equal: 0, usage: 50 },
      annualOverheadCents: 1_200_000,
      coordinationHostMunicipalityId: m.a,
    });
    expect(ok.status).toBe(201);
    expect(
      (
        await post(users.financeB, `/pools/${o.pool}/cost-sharing/agreements`, {
          validFrom: '2026-01-01',
          key: 'equal',
        })
      ).status,
    ).toBe(403);
    const list = await get(users.financeB, `/pools/${o.pool}/cost-sharing/agreements`);
    expect(list.body.items.map((i: { validFrom: string | null }) => i.validFrom)).toEqual([
      null,
      '2025-01-01',
      '2025-11-16',
    ]);
    const nov = await o.statementsOf(o.coordinator, '2025-11');
    expect(nov.keyDescription).toBe(
      'ab 01.11.2025: Einwohnerzahl; ab 16.11.2025: 50 % Einwohnerzahl, 50 % Nutzungsstunden',
    );
    expect(nov.statements.reduce((s, x) => s + x.netCents, 0)).toBe(0);
    // The fixed costs of November do not depend on how many agreements it spans.
    expect(nov.statements.reduce((s, x) => s + x.fixedCents, 0)).toBe(197_260 + 98_630 + 98_630);
  });

  it('what-if: Wehretal joining mid-month lowers the others’ shares; nothing is stored', async () => {
    const o = await ostPool();
    const res = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/simulate?period=2025-12`, {
      joins: [{ municipalityId: m.d, from: '2025-12-16', demandHoursPerWeekByType: { 'street-sweeper': 4 } }],
    });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      (
        res.body.members as {
          municipalityName: string;
          before: { fixedCents: number; member: boolean; usageCents: number };
          after: { fixedCents: number; member: boolean; usageCents: number };
        }[]
      ).map((x) => [x.municipalityName, x]),
    );
    expect(byName.Wehretal.before.member).toBe(false);
    expect(byName.Wehretal.after.member).toBe(true);
    expect(byName.Wehretal.after.fixedCents).toBeGreaterThan(0);
    expect(byName.Wehretal.after.usageCents).toBeGreaterThan(0);
    expect(byName.Eschwege.after.fixedCents).toBeLessThan(byName.Eschwege.before.fixedCents);
    expect(res.body.poolFixedCentsAfter).toBe(res.body.poolFixedCentsBefore);
    const members = await sql(stack, `SELECT 1 FROM pool_members WHERE pool_id = $1`, [o.pool]);
    expect(members).toHaveLength(3);
    const leaving = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/simulate?period=2025-12`, {
      leaves: [{ municipalityId: m.d, from: '2025-12-16' }],
    });
    expect(leaving.status).toBe(422);
    const twice = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/simulate`, {
      joins: [{ municipalityId: m.b, from: '2025-12-16' }],
    });
    expect(twice.status).toBe(409);
    expect((await post(users.financeA, `/pools/${o.pool}/cost-sharing/simulate`, {})).status).toBe(403);
    const unknownField = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/simulate`, { join: [] });
    expect(unknownField.status).toBe(422);
  });

  it('finalizing by finance of the lead municipality (a pool setting): allowed, audit-logged; other finance 403', async () => {
    const o = await ostPool();
    // Eschwege leads the pool from the start of 2025 (a new version of the agreement).
    await sql(
      stack,
      `INSERT INTO cost_sharing_agreements (pool_id, valid_from, terms) VALUES ($1, '2025-02-01', $2)`,
      [
        o.pool,
        JSON.stringify({
          key: 'population',
          annualOverheadCents: 1_200_000,
          coordinationHostMunicipalityId: m.a,
          leadMunicipalityId: m.a,
        }),
      ],
    );
    const refused = await post(users.financeB, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(await sql(stack, `SELECT 1 FROM statement_periods WHERE pool_id = $1`, [o.pool])).toHaveLength(0);
    const done = await post(users.financeA, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' });
    expect(done.status).toBe(201);
    const doc = done.body as PoolStatements;
    expect(doc.finalized).toBe(true);
    // Finance sees its own municipality's statement in the answer, numbered like any other.
    expect(doc.statements.map((s) => s.municipalityId)).toEqual([m.a]);
    expect(doc.statements[0].number).toMatch(/^2025-\d{4}$/);
    const audit = await sql<{ actor_user_id: string; after: { period: string } }>(
      stack,
      `SELECT actor_user_id, after FROM audit_log WHERE action = 'statements.finalize' AND entity_id = $1`,
      [o.pool],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_user_id).toBe(users.financeA.id);
    expect(audit[0].after.period).toBe('2025-10');
  });

  it('what-if: a joiner without stated demand is estimated from its own bookings of the year before', async () => {
    const o = await ostPool();
    // Wehretal booked a street sweeper of the foreign pool 4 h a week for the 52 weeks before it
    // joins on 2025-12-16 (no operating hours needed: booked hours are its demand).
    const [sweeper] = await sql<{ id: string }>(
      stack,
      `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, hourly_rate_cents)
       VALUES ($1, 'machine', 'Kehrmaschine Ringgau', 'street-sweeper', $2, 8000) RETURNING id`,
      [foreignPool, m.e],
    );
    await sql(
      stack,
      `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                             blocked_start, blocked_end)
       SELECT $1, $2, $3, $3, s, s + interval '4 hours', s, s + interval '4 hours'
         FROM generate_series(timestamptz '2024-12-18T08:00:00+01:00', timestamptz '2025-12-10T08:00:00+01:00',
                              interval '7 days') AS s`,
      [foreignPool, sweeper.id, m.d],
    );
    const res = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/simulate?period=2025-12`, {
      joins: [{ municipalityId: m.d, from: '2025-12-16' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.joins).toEqual([
      {
        municipalityId: m.d,
        municipalityName: 'Wehretal',
        from: '2025-12-16',
        demand: [{ type: 'street-sweeper', hoursPerWeek: 4, source: 'history', bookings: 52, requests: 0 }],
        basis: { from: '2024-12-17', to: '2025-12-16' },
      },
    ]);
    const wehretal = (res.body.members as { municipalityId: string; after: { usageCents: number } }[]).find(
      (x) => x.municipalityId === m.d,
    )!;
    // 4 h a week for the 16 days from the 16th: 9.14 h on the pool's sweeper at 95 €/h.
    expect(wehretal.after.usageCents).toBe(Math.round((914 * 9500) / 100));
    // The same estimate as the planning what-if's (one model): 4 h a week of street sweeping.
    const planning = await post(o.coordinator, `/pools/${o.pool}/planning/simulate`, {
      from: '2025-12-16T00:00:00+01:00',
      to: '2026-01-01T00:00:00+01:00',
      joins: [{ municipalityId: m.d, from: '2025-12-16' }],
    });
    expect(planning.status).toBe(200);
    expect(planning.body.joins[0].demand).toMatchObject(res.body.joins[0].demand);
    // Demand given as a negative number is refused on both routes alike.
    const bad = {
      municipalityId: m.d,
      from: '2025-12-16',
      demandHoursPerWeekByType: { 'street-sweeper': -1 },
    };
    const badCost = await post(o.coordinator, `/pools/${o.pool}/cost-sharing/simulate`, { joins: [bad] });
    expect(badCost.status).toBe(422);
    expect(JSON.stringify(badCost.body)).toContain('joins[0].demandHoursPerWeekByType.street-sweeper');
  });

  it('savings report: what pooling saved each member', async () => {
    const o = await ostPool();
    const res = await get(o.coordinator, `/pools/${o.pool}/savings?period=2025-10`);
    expect(res.status).toBe(200);
    expect(res.body.members).toHaveLength(3);
    const byName = Object.fromEntries(
      (res.body.members as { municipalityName: string; [k: string]: unknown }[]).map((x) => [
        x.municipalityName,
        x,
      ]),
    );
    // Sontra's use of the sweeper earned Eschwege, Witzenhausen's of the camera Sontra.
    expect(byName.Eschwege.earnedFromOthersCents).toBe(36_250);
    expect(byName.Sontra.earnedFromOthersCents).toBe(9_000);
    for (const x of res.body.members as {
      standaloneCostCents: number;
      savingCents: number;
      savingPercent: number;
      basis: string;
    }[]) {
      if (x.standaloneCostCents > 0)
        expect(x.savingPercent).toBeCloseTo((x.savingCents / x.standaloneCostCents) * 100, 2);
      expect(x.basis).toMatch(/Allein: .* im Verbund: Saldo/);
      // Types by their German names, never the API's keys.
      expect(x.basis).not.toMatch(/street-sweeper|sewer-camera/);
    }
    const finance = await get(users.financeA, `/pools/${o.pool}/savings?period=2025-10`);
    expect(finance.body.members.map((x: { municipalityName: string }) => x.municipalityName)).toEqual([
      'Eschwege',
    ]);
  });

  it('the monthly run issues last month once, and the worker schedules it for the 1st at 06:00 Berlin time', async () => {
    const o = await ostPool();
    expect(
      (await post(o.coordinator, `/pools/${o.pool}/statements/finalize`, { period: '2025-10' })).status,
    ).toBe(201);
    const moduleRef = await Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot({ url: stack.db.url, poolSize: 2, applicationName: 'statements-spec' }),
        CostSharingModule,
      ],
    })
      .overrideProvider(COST_SHARING_CLOCK)
      .useValue(() => new Date('2025-12-01T05:00:00Z'))
      .compile();
    const app = await moduleRef.init();
    try {
      const service = app.get(StatementsService);
      const first = await service.issueLastMonth();
      expect(first.period).toBe('2025-11');
      expect(first.issued).toContainEqual({ poolId: o.pool, statements: 3 });
      const second = await service.issueLastMonth();
      expect(second.issued).toEqual([]);
      expect(second.alreadyIssued).toContain(o.pool);
      const events = await sql<{ n: number }>(
        stack,
        `SELECT count(*)::int AS n FROM booking_events WHERE kind = 'statement.issued' AND payload->>'period' = '2025-11'
            AND payload->>'poolId' = $1`,
        [o.pool],
      );
      expect(events[0].n).toBe(3);
      // November's numbers continue the year's sequence; its corrections are now frozen in it.
      const nov = await o.statementsOf(o.coordinator, '2025-11');
      expect(nov.statements.map((s) => s.number)).toEqual(['2025-0004', '2025-0005', '2025-0006']);
      const dec = await o.statementsOf(o.coordinator, '2025-12');
      expect(dec.statements.every((s) => s.adjustmentsCents === 0)).toBe(true);
    } finally {
      await app.close();
    }
    const queue = stack.worker!.get<Queue>(getQueueToken(QueueName.Statements), { strict: false });
    const scheduler = await queue.getJobScheduler('issue-monthly-statements');
    expect(scheduler).toMatchObject({ pattern: '0 6 1 * *', tz: 'Europe/Berlin' });
  });
});
