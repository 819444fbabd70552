import type { AgreementTerms, MemberFacts, ResourceInput, SavingsFacts, UsageGroup } from './facts';

/**
 * What pooling saved a member (Nutzen der Kooperation): what the same work would have cost it
 * alone, against what it cost in the pool.
 *
 * - In the pool: its net balance plus what it carries in its own budget (the fixed costs of its
 *   own machines and, as host, the overhead; the pool credits those back, so they are part of
 *   its real cost).
 * - Alone, per machine type it used: owning one (the pool's stand-alone annual cost for the type,
 *   or the mean fixed cost of the pool's machines of the type, prorated to its days of membership,
 *   plus the hours at the pool's mean hourly rate for the type as running costs), or renting one
 *   (the hours at the market rate the pool sets for the type), whichever is cheaper.
 */
export function computeSavings(
  member: Omit<MemberFacts, 'savings'>,
  context: {
    terms: AgreementTerms;
    resources: ResourceInput[];
    usage: UsageGroup[];
    memberDays: number;
    yearDays: number;
  },
): SavingsFacts {
  const { terms, resources } = context;
  const byId = new Map(resources.map((r) => [r.id, r]));
  const hoursByType = new Map<string, number>();
  for (const g of context.usage) {
    const r = byId.get(g.resourceId);
    if (!r || r.kind !== 'machine') continue;
    hoursByType.set(r.type, (hoursByType.get(r.type) ?? 0) + g.hoursHundredths);
  }
  const types: SavingsFacts['types'] = [...hoursByType.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([type, hoursHundredths]) => {
      const machines = resources.filter((r) => r.kind === 'machine' && r.type === type);
      const mean = (pick: (r: ResourceInput) => number) =>
        machines.length === 0 ? 0 : machines.reduce((a, r) => a + pick(r), 0) / machines.length;
      const annual = terms.standaloneAnnualCostCentsByType[type] ?? mean((r) => r.annualFixedCostCents);
      const ownCents = Math.round(
        (annual * context.memberDays) / context.yearDays +
          (hoursHundredths * mean((r) => r.hourlyRateCents)) / 100,
      );
      const market = terms.marketHourlyRateCentsByType[type];
      const rentCents = market === undefined ? null : Math.round((hoursHundredths * market) / 100);
      const chosen: 'own' | 'rent' = rentCents !== null && rentCents < ownCents ? 'rent' : 'own';
      return { type, hoursHundredths, ownCents, rentCents, chosen };
    });
  const standaloneCostCents = types.reduce(
    (a, t) => a + (t.chosen === 'rent' ? t.rentCents! : t.ownCents),
    0,
  );
  const carriedCents = member.lines.reduce(
    (a, l) =>
      a +
      (l.kind === 'credit' && (l.reason === 'owner-fixed' || l.reason === 'host-overhead')
        ? l.amountCents
        : 0),
    0,
  );
  const earnedFromOthersCents = member.lines.reduce(
    (a, l) => a + (l.kind === 'credit' && l.reason === 'owner-usage' ? l.amountCents : 0),
    0,
  );
  const costInPoolCents = member.netCents + carriedCents;
  const savingCents = standaloneCostCents - costInPoolCents;
  return {
    paidNetCents: member.netCents,
    carriedCents,
    costInPoolCents,
    standaloneCostCents,
    savingCents,
    savingPercent:
      standaloneCostCents > 0 ? Math.round((savingCents / standaloneCostCents) * 10_000) / 100 : 0,
    earnedFromOthersCents,
    types,
  };
}
