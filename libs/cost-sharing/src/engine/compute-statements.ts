import type {
  AgreementSegment,
  AgreementTerms,
  KeyPart,
  LineFact,
  MemberFacts,
  MemberInput,
  PeriodFacts,
  PeriodInput,
  ShareWeight,
  UsageGroup,
} from './facts';
import { largestRemainder } from './largest-remainder';
import { overlapDays } from './period';
import { germanCollator } from './collation';
import { computeSavings } from './savings';
import { settle } from './settlement';

/**
 * The statements of one pool and period, to the cent. Pure: everything it needs comes in.
 *
 * Owed: usage (charged by SQL per resource and booker; own machines are not charged), a share of
 * the fixed costs (each resource's annual fixed cost and the overhead, prorated to the segment's
 * days, split by the key in force and the members' days of membership), and corrections of
 * finalized periods. Owed to it: its resources' fixed costs, the others' usage of them, and the
 * overhead if it hosts the coordination unit. Every split is by largest remainder, so the members'
 * totals add up to the pool's total and the nets to zero, exactly.
 */
export function computeStatements(input: PeriodInput): PeriodFacts {
  const lines = new Map<string, LineFact[]>();
  const add = (municipalityId: string, line: LineFact) => {
    if (line.amountCents === 0 && line.kind !== 'usage') return;
    let list = lines.get(municipalityId);
    if (!list) lines.set(municipalityId, (list = []));
    list.push(line);
  };
  for (const m of input.members) lines.set(m.municipalityId, []);
  const resources = new Map(input.resources.map((r) => [r.id, r]));

  usageLines(input, resources, add);
  input.segments.forEach((segment, index) => fixedLines(input, segment, index, add));
  for (const c of input.corrections) {
    add(c.municipalityId, { kind: 'adjustment', amountCents: c.owedCents, period: c.period });
    add(c.municipalityId, {
      kind: 'credit',
      reason: 'correction',
      amountCents: c.creditsCents,
      period: c.period,
    });
  }

  const memberDays = new Map(input.members.map((m) => [m.municipalityId, daysOf(m, input.from, input.to)]));
  const lastTerms = input.segments[input.segments.length - 1].terms;
  const statements: MemberFacts[] = [...lines.entries()]
    .map(([municipalityId, list]) => {
      const sum = (pick: (l: LineFact) => boolean) =>
        list.filter(pick).reduce((a, l) => a + l.amountCents, 0);
      const usageCents = sum((l) => l.kind === 'usage');
      const fixedCents = sum((l) => l.kind === 'fixed');
      const adjustmentsCents = sum((l) => l.kind === 'adjustment');
      const creditsCents = sum((l) => l.kind === 'credit');
      const totalCents = usageCents + fixedCents + adjustmentsCents;
      const facts: Omit<MemberFacts, 'savings'> = {
        municipalityId,
        usageCents,
        fixedCents,
        adjustmentsCents,
        totalCents,
        creditsCents,
        netCents: totalCents - creditsCents,
        lines: list,
      };
      return {
        ...facts,
        savings: computeSavings(facts, {
          terms: lastTerms,
          resources: input.resources,
          usage: input.usage.filter((u) => u.bookerId === municipalityId),
          memberDays: memberDays.get(municipalityId) ?? 0,
          yearDays: input.yearDays,
        }),
      };
    })
    .sort((a, b) => byName(input.municipalityNames, a.municipalityId, b.municipalityId));

  const settlement = settle(
    statements.map((s) => ({ municipalityId: s.municipalityId, netCents: s.netCents })),
    { mode: lastTerms.settlement, leadMunicipalityId: lastTerms.leadMunicipalityId },
  );
  const resourceNames: PeriodFacts['resources'] = {};
  for (const r of input.resources) resourceNames[r.id] = { name: r.name, type: r.type, kind: r.kind };
  return {
    period: input.period,
    periodKind: input.periodKind,
    from: input.from,
    to: input.to,
    segments: input.segments.map((s) => ({ from: s.from, to: s.to, validFrom: s.validFrom, terms: s.terms })),
    municipalityNames: input.municipalityNames,
    resources: resourceNames,
    poolTotalCents: statements.reduce((a, s) => a + s.totalCents, 0),
    statements,
    settlement,
  };
}

function byName(names: Record<string, string>, a: string, b: string): number {
  return germanCollator.compare(names[a] ?? a, names[b] ?? b) || (a < b ? -1 : a > b ? 1 : 0);
}

function daysOf(m: MemberInput, from: string, to: string): number {
  return m.memberships.reduce((a, s) => a + overlapDays(from, to, s.from, s.to), 0);
}

type Add = (municipalityId: string, line: LineFact) => void;

/** Usage lines for the booker; the owner is credited what others' use of its resource cost. */
function usageLines(input: PeriodInput, resources: Map<string, PeriodInput['resources'][number]>, add: Add) {
  const ownerCredits = new Map<string, { owner: string; cents: number; bookings: number; hours: number }>();
  const groups = [...input.usage].sort(
    (a, b) =>
      a.segment - b.segment ||
      germanCollator.compare(
        resources.get(a.resourceId)?.name ?? '',
        resources.get(b.resourceId)?.name ?? '',
      ) ||
      cmp(a.resourceId, b.resourceId) ||
      Number(a.estimated) - Number(b.estimated) ||
      cmp(a.bookerId, b.bookerId) ||
      cmp(a.firstDate, b.firstDate) ||
      cmp(a.bookingId ?? '', b.bookingId ?? ''),
  );
  for (const g of groups) {
    const r = resources.get(g.resourceId);
    if (!r) throw new Error(`usage of unknown resource ${g.resourceId}`);
    // Staff without a rate cost nothing: their time is in the machine's line.
    if (r.kind === 'staff' && r.hourlyRateCents === 0 && r.perUseCents === 0) continue;
    const own = r.homeMunicipalityId === g.bookerId;
    const terms = input.segments[g.segment].terms;
    const perUseTotalCents = g.perUseCents;
    const chargeCents = g.hoursCents + perUseTotalCents + g.transportCents;
    add(g.bookerId, {
      kind: 'usage',
      amountCents: own ? 0 : chargeCents,
      segment: g.segment,
      resourceId: g.resourceId,
      bookings: g.bookings,
      hoursHundredths: g.hoursHundredths,
      rateCents: r.hourlyRateCents,
      hoursCents: g.hoursCents,
      perUseCents: r.perUseCents,
      perUseTotalCents,
      transportKmTenths: g.transportKmTenths,
      transportRateCentsPerKm: terms.transportRateCentsPerKm,
      transportCents: g.transportCents,
      estimated: g.estimated,
      ownResource: own,
      firstDate: g.firstDate,
      lastDate: g.lastDate,
      bookingId: g.bookingId,
    });
    if (own) continue;
    const credit = ownerCredits.get(r.id) ?? { owner: r.homeMunicipalityId, cents: 0, bookings: 0, hours: 0 };
    credit.cents += chargeCents;
    credit.bookings += g.bookings;
    credit.hours += g.hoursHundredths;
    ownerCredits.set(r.id, credit);
  }
  for (const [resourceId, c] of ownerCredits) {
    add(c.owner, {
      kind: 'credit',
      reason: 'owner-usage',
      amountCents: c.cents,
      resourceId,
      bookings: c.bookings,
      hoursHundredths: c.hours,
    });
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Half-up rounding of a × b / c for non-negative integers, exactly. */
function prorate(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b) * 2n + BigInt(c)) / (2n * BigInt(c)));
}

/** The segment's fixed costs, split among the members present, and credited to who carries them. */
function fixedLines(input: PeriodInput, segment: AgreementSegment, index: number, add: Add) {
  const { terms } = segment;
  // Each resource's fixed cost for the period, split over the segments by days, so that the
  // period's figure does not depend on how many agreements it spans.
  const resourceCents: { id: string; owner: string; cents: number }[] = [];
  for (const r of input.resources) {
    if (r.annualFixedCostCents <= 0) continue;
    const periodCents = prorate(r.annualFixedCostCents, input.days, input.yearDays);
    const bySegment = largestRemainder(
      periodCents,
      input.segments.map((s) => s.days),
    );
    resourceCents.push({ id: r.id, owner: r.homeMunicipalityId, cents: bySegment[index] });
  }
  const host = terms.coordinationHostMunicipalityId ?? terms.leadMunicipalityId;
  const overheadCents =
    host && terms.annualOverheadCents > 0
      ? largestRemainder(
          prorate(terms.annualOverheadCents, input.days, input.yearDays),
          input.segments.map((s) => s.days),
        )[index]
      : 0;

  const present = input.members
    .map((m) => ({ member: m, days: daysOf(m, segment.from, segment.to) }))
    .filter((p) => p.days > 0);
  const components: { component: 'resources' | 'overhead'; cents: number }[] = [
    { component: 'resources', cents: resourceCents.reduce((a, r) => a + r.cents, 0) },
    { component: 'overhead', cents: overheadCents },
  ];
  if (present.length === 0) {
    // Nobody to share with this segment: the owners and the host keep their own costs.
    return;
  }
  for (const r of resourceCents) {
    add(r.owner, {
      kind: 'credit',
      reason: 'owner-fixed',
      amountCents: r.cents,
      segment: index,
      resourceId: r.id,
    });
  }
  if (host && overheadCents > 0)
    add(host, { kind: 'credit', reason: 'host-overhead', amountCents: overheadCents, segment: index });

  const parts = keyParts(terms);
  // The usage key weighs machine hours: an operator's hours are the same work once more.
  const machines = new Set(input.resources.filter((r) => r.kind === 'machine').map((r) => r.id));
  const machineUsage = input.usage.filter((u) => machines.has(u.resourceId));
  for (const { component, cents } of components) {
    if (cents === 0) continue;
    const partCents = largestRemainder(
      cents,
      parts.map((p) => p.percent),
    );
    parts.forEach((p, i) => {
      const weights = partWeights(p.part, present, terms, machineUsage, index, segment.days);
      const amounts = largestRemainder(
        partCents[i],
        weights.map((w) => w.memberWeight),
      );
      present.forEach((pm, j) => {
        add(pm.member.municipalityId, {
          kind: 'fixed',
          amountCents: amounts[j],
          segment: index,
          component,
          part: p.part,
          partPercent: p.percent,
          partCents: partCents[i],
          weight: weights[j],
        });
      });
    });
  }
}

/** The parts a key splits fixed costs into, with their percent of the whole. */
export function keyParts(terms: AgreementTerms): { part: KeyPart; percent: number }[] {
  switch (terms.key) {
    case 'population':
    case 'equal':
    case 'usage':
    case 'shares':
      return [{ part: terms.key, percent: 100 }];
    case 'mixed': {
      const mix = terms.mix ?? {};
      return (['population', 'equal', 'usage'] as const)
        .map((part) => ({ part, percent: mix[part] ?? 0 }))
        .filter((p) => p.percent > 0);
    }
  }
}

function partWeights(
  part: KeyPart,
  present: { member: MemberInput; days: number }[],
  terms: AgreementTerms,
  usage: UsageGroup[],
  segment: number,
  segmentDays: number,
): ShareWeight[] {
  const byDays = present.some((p) => p.days !== segmentDays);
  const weighted = (value: (p: { member: MemberInput; days: number }) => number, timesDays: boolean) => {
    const values = present.map(value);
    const memberWeights = present.map((p, i) => values[i] * (timesDays ? p.days : 1));
    const totalValue = values.reduce((a, v) => a + v, 0);
    const totalWeight = memberWeights.reduce((a, v) => a + v, 0);
    return present.map<ShareWeight>((p, i) => ({
      memberValue: values[i],
      totalValue,
      memberDays: p.days,
      segmentDays,
      byDays: timesDays && byDays,
      memberWeight: memberWeights[i],
      totalWeight,
      fallbackEqual: false,
    }));
  };
  const equal = () => weighted(() => 1, true);
  switch (part) {
    case 'population': {
      const w = weighted((p) => p.member.population, true);
      return w[0].totalWeight > 0 ? w : equal().map((x) => ({ ...x, fallbackEqual: true }));
    }
    case 'equal':
      return equal();
    case 'shares': {
      const shares = terms.shares ?? {};
      const w = weighted((p) => Math.round((shares[p.member.municipalityId] ?? 0) * 100), true);
      return w[0].totalWeight > 0 ? w : equal().map((x) => ({ ...x, fallbackEqual: true }));
    }
    case 'usage': {
      const hours = new Map<string, number>();
      for (const g of usage) {
        if (g.segment !== segment) continue;
        hours.set(g.bookerId, (hours.get(g.bookerId) ?? 0) + g.hoursHundredths);
      }
      const w = weighted((p) => hours.get(p.member.municipalityId) ?? 0, false);
      return w[0].totalWeight > 0 ? w : equal().map((x) => ({ ...x, fallbackEqual: true }));
    }
  }
}
