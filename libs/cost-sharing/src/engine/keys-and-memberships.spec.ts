import { renderPoolStatements } from '../render/render-statements';
import type { AgreementTerms, PeriodFacts, PeriodInput, UsageGroup } from './facts';
import { computeStatements } from './compute-statements';
import { parsePeriod } from './period';
import { settle } from './settlement';

/**
 * Scenarios of the cost-sharing arithmetic, one per key and membership case, with figures worked
 * out by hand. Eschwege (19,800), Sontra (7,600) and Witzenhausen (25,000): 52,400 inhabitants.
 * November 2026 has 30 days; a machine costing 3,650,000 cents a year costs 300,000 in it.
 */
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';
const NAMES = { [A]: 'Eschwege', [B]: 'Sontra', [C]: 'Witzenhausen' };

function terms(over: Partial<AgreementTerms> = {}): AgreementTerms {
  return {
    key: 'population',
    annualOverheadCents: 0,
    unrecordedUsage: 'booked-hours',
    transportRateCentsPerKm: null,
    settlement: 'direct',
    leadMunicipalityId: null,
    coordinationHostMunicipalityId: null,
    standaloneAnnualCostCentsByType: {},
    marketHourlyRateCentsByType: {},
    ...over,
  };
}

function november(
  over: Partial<AgreementTerms> = {},
  options: {
    memberships?: Partial<Record<string, { from: string; to: string | null }[]>>;
    usage?: Partial<UsageGroup>[];
    change?: { from: string; terms: Partial<AgreementTerms> };
  } = {},
): PeriodInput {
  const p = parsePeriod('2026-11')!;
  const first = terms(over);
  const segments = options.change
    ? [
        { from: p.from, to: options.change.from, days: 15, validFrom: null, terms: first },
        {
          from: options.change.from,
          to: p.to,
          days: 15,
          validFrom: options.change.from,
          terms: terms(options.change.terms),
        },
      ]
    : [{ from: p.from, to: p.to, days: 30, validFrom: null, terms: first }];
  const membership = (id: string) => options.memberships?.[id] ?? [{ from: '2026-01-01', to: null }];
  return {
    period: p.label,
    periodKind: p.kind,
    from: p.from,
    to: p.to,
    days: p.days,
    yearDays: p.yearDays,
    segments,
    members: [
      { municipalityId: A, name: 'Eschwege', population: 19_800, memberships: membership(A) },
      { municipalityId: B, name: 'Sontra', population: 7_600, memberships: membership(B) },
      { municipalityId: C, name: 'Witzenhausen', population: 25_000, memberships: membership(C) },
    ],
    municipalityNames: NAMES,
    resources: [
      {
        id: 'sweeper',
        name: 'Kehrmaschine Eschwege',
        type: 'street-sweeper',
        kind: 'machine',
        homeMunicipalityId: A,
        annualFixedCostCents: 3_650_000,
        hourlyRateCents: 9_500,
        perUseCents: 3_000,
      },
    ],
    usage: (options.usage ?? []).map((u) => ({
      segment: 0,
      bookerId: B,
      resourceId: 'sweeper',
      estimated: false,
      bookings: 1,
      hoursHundredths: 400,
      hoursCents: 38_000,
      perUseCents: 3_000,
      transportKmTenths: 0,
      transportCents: 0,
      firstDate: '2026-11-10',
      lastDate: '2026-11-10',
      bookingId: null,
      ...u,
    })),
    corrections: [],
  };
}

const fixedOf = (facts: PeriodFacts) =>
  Object.fromEntries(
    facts.statements.map((s) => [NAMES[s.municipalityId as keyof typeof NAMES], s.fixedCents]),
  );

describe('cost sharing: keys', () => {
  it('population: 19,800 of 52,400 inhabitants = 37.79 %, in words', () => {
    const facts = computeStatements(november());
    // 300,000 × 19,800 / 52,400 = 113,358.78…; 43,511.45…; 143,129.77… → largest remainder.
    expect(fixedOf(facts)).toEqual({ Eschwege: 113_359, Sontra: 43_511, Witzenhausen: 143_130 });
    const de = renderPoolStatements(facts, { id: 'p', name: 'Verbund' }, 'de', {
      finalizedAt: null,
      numbers: {},
    });
    expect(de.statements[0].lines.find((l) => l.kind === 'fixed')!.basis).toBe(
      '19.800 von 52.400 Einwohnern = 37,79 % von 3.000,00 €',
    );
    const en = renderPoolStatements(facts, { id: 'p', name: 'Pool' }, 'en', {
      finalizedAt: null,
      numbers: {},
    });
    expect(en.statements[0].lines.find((l) => l.kind === 'fixed')!.basis).toBe(
      '19,800 of 52,400 inhabitants = 37.79% of €3,000.00',
    );
    // Eschwege owns the sweeper: credited its 300,000, it nets the others' shares.
    const a = facts.statements[0];
    expect(a.creditsCents).toBe(300_000);
    expect(a.netCents).toBe(113_359 - 300_000);
  });

  it('equal: a third each, the odd cent by largest remainder', () => {
    const facts = computeStatements(november({ key: 'equal' }));
    expect(fixedOf(facts)).toEqual({ Eschwege: 100_000, Sontra: 100_000, Witzenhausen: 100_000 });
    const odd = november({ key: 'equal' });
    odd.resources[0].annualFixedCostCents = 3_650_012; // 300,001 cents in November
    expect(fixedOf(computeStatements(odd))).toEqual({
      Eschwege: 100_001,
      Sontra: 100_000,
      Witzenhausen: 100_000,
    });
  });

  it('agreed shares: 40 / 60, a member without a share pays nothing', () => {
    const facts = computeStatements(november({ key: 'shares', shares: { [A]: 40, [C]: 60 } }));
    expect(fixedOf(facts)).toEqual({ Eschwege: 120_000, Sontra: 0, Witzenhausen: 180_000 });
  });

  it('usage hours: by the hours each booked; with no usage at all, equal shares (and it says so)', () => {
    const facts = computeStatements(
      november(
        { key: 'usage' },
        {
          usage: [
            { bookerId: B, hoursHundredths: 300 },
            { bookerId: C, hoursHundredths: 100 },
          ],
        },
      ),
    );
    expect(fixedOf(facts)).toEqual({ Eschwege: 0, Sontra: 225_000, Witzenhausen: 75_000 });
    const none = computeStatements(november({ key: 'usage' }));
    expect(fixedOf(none)).toEqual({ Eschwege: 100_000, Sontra: 100_000, Witzenhausen: 100_000 });
    const doc = renderPoolStatements(none, { id: 'p', name: 'V' }, 'de', { finalizedAt: null, numbers: {} });
    expect(doc.statements[0].lines.find((l) => l.kind === 'fixed')!.basis).toContain('keine Nutzung erfasst');
  });

  it('mixed 50 % population / 50 % usage: each half split by its own key', () => {
    const facts = computeStatements(
      november(
        { key: 'mixed', mix: { population: 50, equal: 0, usage: 50 } },
        { usage: [{ bookerId: B, hoursHundredths: 400 }] },
      ),
    );
    // Population half 150,000: 56,679.39 / 21,755.73 / 71,564.89; the two cents left go to the
    // largest remainders (.89, .73): 56,679 / 21,756 / 71,565. The usage half goes to Sontra.
    expect(fixedOf(facts)).toEqual({ Eschwege: 56_679, Sontra: 21_756 + 150_000, Witzenhausen: 71_565 });
    const b = facts.statements.find((s) => s.municipalityId === B)!;
    expect(b.lines.filter((l) => l.kind === 'fixed').map((l) => (l.kind === 'fixed' ? l.part : ''))).toEqual([
      'population',
      'usage',
    ]);
    const doc = renderPoolStatements(facts, { id: 'p', name: 'V' }, 'de', { finalizedAt: null, numbers: {} });
    expect(doc.keyDescription).toBe('50 % Einwohnerzahl, 50 % Nutzungsstunden');
  });
});

describe('cost sharing: memberships and agreements in a period', () => {
  it('joining on the 16th: population × 15 of 30 days', () => {
    const facts = computeStatements(
      november({}, { memberships: { [C]: [{ from: '2026-11-16', to: null }] } }),
    );
    // Weights: 19,800 × 30 = 594,000; 7,600 × 30 = 228,000; 25,000 × 15 = 375,000 (of 1,197,000).
    expect(fixedOf(facts)).toEqual({ Eschwege: 148_872, Sontra: 57_143, Witzenhausen: 93_985 });
    const doc = renderPoolStatements(facts, { id: 'p', name: 'V' }, 'de', { finalizedAt: null, numbers: {} });
    const c = doc.statements.find((s) => s.municipalityName === 'Witzenhausen')!;
    expect(c.lines.find((l) => l.kind === 'fixed')!.basis).toBe(
      '25.000 × 15 von 30 Tagen = 375.000 von 1.197.000 Einwohnertagen = 31,33 % von 3.000,00 €',
    );
  });

  it('leaving on the 11th: 10 days of membership, and no share after', () => {
    const facts = computeStatements(
      november({ key: 'equal' }, { memberships: { [B]: [{ from: '2025-01-01', to: '2026-11-11' }] } }),
    );
    // Member days 30 + 10 + 30 = 70: 128,571.43 / 42,857.14 / 128,571.43; the cent left goes to the
    // first of the equal remainders.
    expect(fixedOf(facts)).toEqual({ Eschwege: 128_572, Sontra: 42_857, Witzenhausen: 128_571 });
    expect(facts.statements.reduce((s, x) => s + x.fixedCents, 0)).toBe(300_000);
  });

  it('a new key from the 16th: each half of the month by its own key, the month’s cost unchanged', () => {
    const facts = computeStatements(
      november({ key: 'population' }, { change: { from: '2026-11-16', terms: { key: 'equal' } } }),
    );
    expect(facts.statements.reduce((s, x) => s + x.fixedCents, 0)).toBe(300_000);
    // First half 150,000 by population (56,679 / 21,756 / 71,565), second half 50,000 each.
    expect(fixedOf(facts)).toEqual({
      Eschwege: 56_679 + 50_000,
      Sontra: 21_756 + 50_000,
      Witzenhausen: 71_565 + 50_000,
    });
    const doc = renderPoolStatements(facts, { id: 'p', name: 'V' }, 'de', { finalizedAt: null, numbers: {} });
    expect(doc.keyDescription).toBe('ab 01.11.2026: Einwohnerzahl; ab 16.11.2026: gleiche Teile');
    expect(doc.statements[0].lines.find((l) => l.kind === 'fixed')!.description).toContain(
      '(01.11.2026 – 15.11.2026)',
    );
  });

  it('usage is charged to the booker and credited to the owner; unrecorded usage is marked', () => {
    const facts = computeStatements(
      november(
        {},
        {
          usage: [
            { bookerId: C, estimated: true, hoursHundredths: 250, hoursCents: 23_750 },
            { bookerId: A },
          ],
        },
      ),
    );
    const c = facts.statements.find((s) => s.municipalityId === C)!;
    expect(c.usageCents).toBe(23_750 + 3_000);
    const a = facts.statements.find((s) => s.municipalityId === A)!;
    expect(a.usageCents).toBe(0); // its own machine
    expect(a.creditsCents).toBe(300_000 + 26_750);
    const doc = renderPoolStatements(facts, { id: 'p', name: 'V' }, 'de', { finalizedAt: null, numbers: {} });
    const line = doc.statements.find((s) => s.municipalityId === C)!.lines.find((l) => l.kind === 'usage')!;
    expect(line).toMatchObject({ usageEstimated: true, hours: 2.5, rateCents: 9_500 });
    expect(line.description).toBe(
      'Kehrmaschine Eschwege, 10.11.2026 – Nutzung nicht erfasst: gebuchte Stunden berechnet',
    );
    expect(line.basis).toBe('2,50 h × 95,00 € = 237,50 €; 1 × 30,00 € Einsatzpauschale = 30,00 €');
  });

  it('the overhead is credited to the host of the coordination unit', () => {
    const facts = computeStatements(
      november({ annualOverheadCents: 365_000, coordinationHostMunicipalityId: B }),
    );
    const b = facts.statements.find((s) => s.municipalityId === B)!;
    expect(b.lines.find((l) => l.kind === 'credit' && l.reason === 'host-overhead')!.amountCents).toBe(
      30_000,
    );
    expect(facts.statements.reduce((s, x) => s + x.fixedCents, 0)).toBe(330_000);
    expect(facts.statements.reduce((s, x) => s + x.netCents, 0)).toBe(0);
  });
});

describe('cost sharing: settlement and savings', () => {
  it('through the lead municipality: every debtor pays the lead, the lead pays every creditor', () => {
    const facts = computeStatements(november({ settlement: 'lead', leadMunicipalityId: C }));
    expect(facts.settlement.method).toBe('lead');
    // Eschwege is owed 186,641 (300,000 − 113,359); Sontra owes 43,511; Witzenhausen, the lead, 143,130.
    expect(facts.settlement.transfers).toEqual([
      { fromMunicipalityId: B, toMunicipalityId: C, amountCents: 43_511 },
      { fromMunicipalityId: C, toMunicipalityId: A, amountCents: 186_641 },
    ]);
  });

  it('direct: the fewest transfers, found exactly (two zero-sum pairs need two transfers, not three)', () => {
    const s = settle(
      [
        { municipalityId: 'a', netCents: 500 },
        { municipalityId: 'b', netCents: -500 },
        { municipalityId: 'c', netCents: 300 },
        { municipalityId: 'd', netCents: -300 },
      ],
      { mode: 'direct' },
    );
    expect(s.method).toBe('exact');
    expect(s.transfers).toHaveLength(2);
    const many = Array.from({ length: 30 }, (_, i) => ({
      municipalityId: `m${i}`,
      netCents: i % 2 ? 100 + i : -(100 + i - 1),
    }));
    many.push({ municipalityId: 'rest', netCents: -many.reduce((a, b) => a + b.netCents, 0) });
    const greedy = settle(many, { mode: 'direct' });
    expect(greedy.method).toBe('greedy');
    expect(greedy.transfers.length).toBeLessThan(31);
  });

  it('savings: alone Sontra would rent the sweeper for its hours when that is cheaper than owning one', () => {
    const input = november(
      { marketHourlyRateCentsByType: { 'street-sweeper': 15_000 } },
      { usage: [{ bookerId: B, hoursHundredths: 400 }] },
    );
    const facts = computeStatements(input);
    const b = facts.statements.find((s) => s.municipalityId === B)!;
    // Owning: 300,000 (a month of the annual cost) + 4 h × 95.00 € = 338,000; renting: 4 h × 150.00 € = 60,000.
    expect(b.savings.types).toEqual([
      { type: 'street-sweeper', hoursHundredths: 400, ownCents: 338_000, rentCents: 60_000, chosen: 'rent' },
    ]);
    expect(b.savings.standaloneCostCents).toBe(60_000);
    expect(b.savings.costInPoolCents).toBe(b.netCents);
    expect(b.savings.savingCents).toBe(60_000 - b.netCents);
    const a = facts.statements.find((s) => s.municipalityId === A)!;
    expect(a.savings.earnedFromOthersCents).toBe(41_000);
    expect(a.savings.carriedCents).toBe(300_000);
  });
});

describe('periods in Europe/Berlin', () => {
  it('October has 745 hours and March 743: boundaries are local midnight', () => {
    const oct = parsePeriod('2026-10')!;
    expect(oct.fromInstant.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(oct.toInstant.toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect((oct.toInstant.getTime() - oct.fromInstant.getTime()) / 3_600_000).toBe(745);
    const march = parsePeriod('2026-03')!;
    expect((march.toInstant.getTime() - march.fromInstant.getTime()) / 3_600_000).toBe(743);
    expect(parsePeriod('2026-Q4')).toMatchObject({ from: '2026-10-01', to: '2027-01-01', days: 92 });
    expect(parsePeriod('2028')).toMatchObject({ days: 366, yearDays: 366 });
    for (const bad of ['2026-13', '2026-Q5', '26', '2026-1', '1999', 'x'])
      expect(parsePeriod(bad)).toBeNull();
  });
});
