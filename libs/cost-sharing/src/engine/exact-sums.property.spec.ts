import fc from 'fast-check';
import type { AgreementTerms, PeriodInput, UsageGroup } from './facts';
import { computeStatements } from './compute-statements';
import { largestRemainder } from './largest-remainder';
import { parsePeriod } from './period';
import { EXACT_LIMIT, settle } from './settlement';

const PERIODS = ['2026-02', '2026-03', '2026-10', '2026-Q4', '2028-Q1', '2026'];

const terms = (over: Partial<AgreementTerms>): AgreementTerms => ({
  key: 'equal',
  annualOverheadCents: 0,
  unrecordedUsage: 'booked-hours',
  transportRateCentsPerKm: null,
  settlement: 'direct',
  leadMunicipalityId: null,
  coordinationHostMunicipalityId: null,
  standaloneAnnualCostCentsByType: {},
  marketHourlyRateCentsByType: {},
  ...over,
});

const keyArb = (memberIds: string[]) =>
  fc.oneof(
    fc.constant<Partial<AgreementTerms>>({ key: 'population' }),
    fc.constant<Partial<AgreementTerms>>({ key: 'equal' }),
    fc.constant<Partial<AgreementTerms>>({ key: 'usage' }),
    fc
      .array(fc.integer({ min: 0, max: 100 }), { minLength: memberIds.length, maxLength: memberIds.length })
      .map<Partial<AgreementTerms>>((pcts) => ({
        key: 'shares',
        shares: Object.fromEntries(memberIds.map((id, i) => [id, pcts[i]])),
      })),
    fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
      .map<Partial<AgreementTerms>>(([a, b]) => {
        const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
        return { key: 'mixed', mix: { population: lo, equal: hi - lo, usage: 100 - hi } };
      }),
  );

/** A random pool: members joining and leaving inside the period, keys changing, usage, corrections. */
const poolArb = fc
  .record({
    period: fc.constantFrom(...PERIODS),
    memberCount: fc.integer({ min: 1, max: 9 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .chain(({ period, memberCount }) => {
    const p = parsePeriod(period)!;
    const ids = Array.from({ length: memberCount }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    const day = fc.integer({ min: 0, max: p.days });
    const addDays = (n: number) =>
      new Date(Date.parse(`${p.from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    return fc.record({
      p: fc.constant(p),
      ids: fc.constant(ids),
      populations: fc.array(fc.integer({ min: 0, max: 200_000 }), {
        minLength: memberCount,
        maxLength: memberCount,
      }),
      memberships: fc.array(
        fc.tuple(day, day, fc.boolean()).map(([a, b, open]) => {
          const [s, e] = [Math.min(a, b), Math.max(a, b)];
          return { from: addDays(s - 30), to: open ? null : addDays(e === s ? e + 1 : e) };
        }),
        { minLength: memberCount, maxLength: memberCount },
      ),
      split: fc.option(fc.integer({ min: 1, max: p.days - 1 })),
      keys: fc.tuple(keyArb(ids), keyArb(ids)),
      overhead: fc.integer({ min: 0, max: 10_000_000 }),
      host: fc.option(fc.constantFrom(...ids)),
      lead: fc.option(fc.constantFrom(...ids)),
      resources: fc.array(
        fc.record({
          owner: fc.constantFrom(...ids),
          annual: fc.integer({ min: 0, max: 5_000_000 }),
          rate: fc.integer({ min: 0, max: 20_000 }),
        }),
        { minLength: 0, maxLength: 5 },
      ),
      usage: fc.array(
        fc.record({
          booker: fc.constantFrom(...ids),
          resource: fc.nat(),
          bookings: fc.integer({ min: 1, max: 40 }),
          hours: fc.integer({ min: 0, max: 50_000 }),
          cents: fc.integer({ min: 0, max: 2_000_000 }),
          estimated: fc.boolean(),
          late: fc.boolean(),
        }),
        { maxLength: 12 },
      ),
      corrections: fc.array(fc.tuple(fc.constantFrom(...ids), fc.integer({ min: -50_000, max: 50_000 })), {
        maxLength: 3,
      }),
    });
  })
  .map((r): PeriodInput => {
    const { p, ids } = r;
    const boundary =
      r.split === null
        ? null
        : new Date(Date.parse(`${p.from}T00:00:00Z`) + r.split * 86_400_000).toISOString().slice(0, 10);
    const settings = {
      annualOverheadCents: r.overhead,
      coordinationHostMunicipalityId: r.host,
      leadMunicipalityId: r.lead,
      settlement: r.lead ? ('lead' as const) : ('direct' as const),
    };
    const segments = boundary
      ? [
          {
            from: p.from,
            to: boundary,
            days: r.split!,
            validFrom: null,
            terms: terms({ ...r.keys[0], ...settings }),
          },
          {
            from: boundary,
            to: p.to,
            days: p.days - r.split!,
            validFrom: boundary,
            terms: terms({ ...r.keys[1], ...settings }),
          },
        ]
      : [
          {
            from: p.from,
            to: p.to,
            days: p.days,
            validFrom: null,
            terms: terms({ ...r.keys[0], ...settings }),
          },
        ];
    const resources = r.resources.map((x, i) => ({
      id: `r${i}`,
      name: `Maschine ${i}`,
      type: i % 2 ? 'street-sweeper' : 'mulcher',
      kind: 'machine' as const,
      homeMunicipalityId: x.owner,
      annualFixedCostCents: x.annual,
      hourlyRateCents: x.rate,
      perUseCents: 0,
    }));
    const usage: UsageGroup[] =
      resources.length === 0
        ? []
        : r.usage.map((u) => ({
            segment: u.late && segments.length > 1 ? 1 : 0,
            bookerId: u.booker,
            resourceId: resources[u.resource % resources.length].id,
            estimated: u.estimated,
            bookings: u.bookings,
            hoursHundredths: u.hours,
            hoursCents: u.cents,
            perUseCents: 0,
            transportKmTenths: 0,
            transportCents: 0,
            firstDate: p.from,
            lastDate: p.from,
            bookingId: null,
          }));
    // Corrections come in pairs that cancel, as differences of two zero-sum periods do.
    const corrections = r.corrections.flatMap(([id, cents], i) => [
      { period: '2025-12', municipalityId: id, owedCents: cents, creditsCents: 0 },
      { period: '2025-12', municipalityId: ids[(i + 1) % ids.length], owedCents: 0, creditsCents: cents },
    ]);
    return {
      period: p.label,
      periodKind: p.kind,
      from: p.from,
      to: p.to,
      days: p.days,
      yearDays: p.yearDays,
      segments,
      members: ids.map((id, i) => ({
        municipalityId: id,
        name: `Gemeinde ${i}`,
        population: r.populations[i],
        memberships: [r.memberships[i]],
      })),
      municipalityNames: Object.fromEntries(ids.map((id, i) => [id, `Gemeinde ${i}`])),
      resources,
      usage,
      corrections,
    };
  });

describe('cost sharing: exact sums (property)', () => {
  it('largest remainder: the parts add up to the total and differ from the exact share by less than a cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 400_000_000 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = largestRemainder(total, weights);
          const sum = weights.reduce((a, w) => a + w, 0);
          if (sum === 0) return parts.every((x) => x === 0);
          expect(parts.reduce((a, x) => a + x, 0)).toBe(total);
          parts.forEach((x, i) => expect(Math.abs(x - (total * weights[i]) / sum)).toBeLessThan(1.0000001));
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('members’ totals add up to the pool total, nets to zero, and the settlement balances every member', () => {
    fc.assert(
      fc.property(poolArb, (input) => {
        const facts = computeStatements(input);
        const totals = facts.statements.reduce((a, s) => a + s.totalCents, 0);
        expect(totals).toBe(facts.poolTotalCents);
        expect(facts.statements.reduce((a, s) => a + s.netCents, 0)).toBe(0);
        for (const s of facts.statements) {
          const lines = (kind: string) =>
            s.lines.filter((l) => l.kind === kind).reduce((a, l) => a + l.amountCents, 0);
          expect(s.usageCents).toBe(lines('usage'));
          expect(s.fixedCents).toBe(lines('fixed'));
          expect(s.adjustmentsCents).toBe(lines('adjustment'));
          expect(s.creditsCents).toBe(lines('credit'));
          expect(s.totalCents).toBe(s.usageCents + s.fixedCents + s.adjustmentsCents);
          expect(s.netCents).toBe(s.totalCents - s.creditsCents);
          for (const l of s.lines) expect(Number.isInteger(l.amountCents)).toBe(true);
        }
        // Every fixed-cost part is split to the cent among the members present.
        const parts = new Map<string, { part: number; sum: number }>();
        for (const s of facts.statements)
          for (const l of s.lines)
            if (l.kind === 'fixed') {
              const k = `${l.segment}/${l.component}/${l.part}`;
              const e = parts.get(k) ?? { part: l.partCents, sum: 0 };
              e.sum += l.amountCents;
              parts.set(k, e);
            }
        for (const e of parts.values()) expect(e.sum).toBe(e.part);
        // The settlement brings every balance to zero.
        const left = new Map(facts.statements.map((s) => [s.municipalityId, s.netCents]));
        for (const t of facts.settlement.transfers) {
          expect(t.amountCents).toBeGreaterThan(0);
          left.set(t.fromMunicipalityId, (left.get(t.fromMunicipalityId) ?? 0) - t.amountCents);
          left.set(t.toMunicipalityId, (left.get(t.toMunicipalityId) ?? 0) + t.amountCents);
        }
        for (const v of left.values()) expect(v).toBe(0);
        const open = facts.statements.filter((s) => s.netCents !== 0).length;
        if (open > 0) expect(facts.settlement.transfers.length).toBeLessThanOrEqual(open);
      }),
      { numRuns: 400 },
    );
  });

  it('the exact settlement needs no more transfers than any other: brute force on small pools', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 7 }), (raw) => {
        const nets = [...raw, -raw.reduce((a, v) => a + v, 0)];
        const balances = nets.map((n, i) => ({ municipalityId: `m${i}`, netCents: n }));
        const result = settle(balances, { mode: 'direct' });
        expect(result.method).toBe('exact');
        // Fewest transfers = open members - the most zero-sum blocks of a partition (brute force).
        const open = nets.filter((n) => n !== 0);
        const best = mostZeroSumBlocks(open);
        expect(result.transfers.length).toBe(open.length - best);
      }),
      { numRuns: 300 },
    );
    expect(EXACT_LIMIT).toBeGreaterThanOrEqual(20);
  });
});

function mostZeroSumBlocks(values: number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  const memo = new Map<number, number>();
  const sum = (mask: number) => values.reduce((a, v, i) => a + (mask & (1 << i) ? v : 0), 0);
  const go = (mask: number): number => {
    if (mask === 0) return 0;
    if (memo.has(mask)) return memo.get(mask)!;
    const low = mask & -mask;
    let best = -Infinity;
    // Blocks containing the lowest member: every zero-sum subset of mask with it.
    for (let sub = mask; sub; sub = (sub - 1) & mask) {
      if (!(sub & low) || sum(sub) !== 0) continue;
      best = Math.max(best, 1 + go(mask ^ sub));
    }
    memo.set(mask, best);
    return best;
  };
  return go((1 << n) - 1);
}
