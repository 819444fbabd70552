import type {
  AgreementTerms,
  KeyPart,
  LineFact,
  MemberFacts,
  PeriodFacts,
  SavingsFacts,
  ShareWeight,
} from '../engine/facts';
import type { MemberSavings, MemberStatement, PoolStatements, StatementLine } from '../statement-document';
import { date, dateRange, dayBefore, decimal, integer, Language, money, percent } from './format';
import { typeLabel } from '@allmende/core';

/** What a statement has beyond its facts once finalized. */
export interface IssueInfo {
  finalizedAt: Date | null;
  /** municipalityId → number and checksum. */
  numbers: Record<string, { number: string; checksum: string }>;
}

const T = {
  de: {
    part: {
      population: 'Einwohnerzahl',
      equal: 'gleiche Teile',
      usage: 'Nutzungsstunden',
      shares: 'vereinbarte Anteile',
    },
    component: {
      resources: 'Fixkosten der Maschinen und des Personals',
      overhead: 'Kosten der Koordinationseinheit',
    },
    from: 'ab',
    bookings: (n: number) => (n === 1 ? '1 Buchung' : `${n} Buchungen`),
    perUse: 'Einsatzpauschale',
    estimated: 'Nutzung nicht erfasst: gebuchte Stunden berechnet',
    estimatedNone: 'Nutzung nicht erfasst: nicht berechnet',
    own: 'eigene Maschine: nicht berechnet',
    ownStaff: 'eigenes Personal: nicht berechnet',
    ownerFixed: (r: string) => `Fixkosten eigener Ressource: ${r}`,
    ownerUsage: (r: string, n: string, h: string) => `Nutzung durch andere Mitglieder: ${r}, ${n}, ${h} h`,
    hostOverhead: 'Kosten der Koordinationseinheit (Träger)',
    correctionCredit: (p: string) => `Korrektur der Gutschriften aus dem abgeschlossenen Zeitraum ${p}`,
    adjustment: (p: string) =>
      `Korrektur aus dem abgeschlossenen Zeitraum ${p} (nachträglich erfasste Nutzung, Stornierung oder geänderte Kosten)`,
    share: (component: string, part: string, pct: number) =>
      pct === 100 ? `Anteil ${component} (${part})` : `Anteil ${component} – ${pct} % nach ${part}`,
    fallback: 'keine Nutzung erfasst, daher zu gleichen Teilen',
    of: 'von',
    members: 'Mitgliedern',
    memberDays: 'Mitgliedstagen',
    inhabitants: 'Einwohnern',
    inhabitantDays: 'Einwohnertagen',
    hours: 'Nutzungsstunden',
    points: 'vereinbarten Prozentpunkten',
    pointDays: 'Prozentpunkt-Tagen',
    days: 'Tagen',
    of100: 'Anteil an',
    settlementLead: 'über die federführende Kommune',
    savings: (s: SavingsFacts, lang: Language, types: string) =>
      `Allein: ${types || 'keine Maschinen genutzt'} = ${money(s.standaloneCostCents, lang)}; im Verbund: Saldo ${money(
        s.paidNetCents,
        lang,
      )} + selbst getragene Kosten ${money(s.carriedCents, lang)} = ${money(s.costInPoolCents, lang)}`,
    own_: 'besitzen',
    rent: 'mieten',
  },
  en: {
    part: { population: 'population', equal: 'equal shares', usage: 'usage hours', shares: 'agreed shares' },
    component: { resources: 'fixed costs of machines and staff', overhead: 'costs of the coordination unit' },
    from: 'from',
    bookings: (n: number) => (n === 1 ? '1 booking' : `${n} bookings`),
    perUse: 'per-use fee',
    estimated: 'usage not recorded: booked hours charged',
    estimatedNone: 'usage not recorded: not charged',
    own: 'own machine: not charged',
    ownStaff: 'own staff: not charged',
    ownerFixed: (r: string) => `Fixed costs of own resource: ${r}`,
    ownerUsage: (r: string, n: string, h: string) => `Use by other members: ${r}, ${n}, ${h} h`,
    hostOverhead: 'Costs of the coordination unit (host)',
    correctionCredit: (p: string) => `Correction of credits from the closed period ${p}`,
    adjustment: (p: string) =>
      `Correction from the closed period ${p} (usage recorded later, a cancellation or changed costs)`,
    share: (component: string, part: string, pct: number) =>
      pct === 100 ? `Share of ${component} (${part})` : `Share of ${component} – ${pct} % by ${part}`,
    fallback: 'no usage recorded, so in equal shares',
    of: 'of',
    members: 'members',
    memberDays: 'member days',
    inhabitants: 'inhabitants',
    inhabitantDays: 'inhabitant days',
    hours: 'usage hours',
    points: 'agreed percentage points',
    pointDays: 'percentage-point days',
    days: 'days',
    of100: 'share of',
    settlementLead: 'through the lead municipality',
    savings: (s: SavingsFacts, lang: Language, types: string) =>
      `Alone: ${types || 'no machines used'} = ${money(s.standaloneCostCents, lang)}; in the pool: net ${money(
        s.paidNetCents,
        lang,
      )} + own costs carried ${money(s.carriedCents, lang)} = ${money(s.costInPoolCents, lang)}`,
    own_: 'own',
    rent: 'rent',
  },
};

/** The key in words, e.g. "Einwohnerzahl" or "50 % Einwohnerzahl, 50 % Nutzungsstunden". */
export function describeKey(terms: AgreementTerms, lang: Language): string {
  const t = T[lang];
  if (terms.key !== 'mixed') return t.part[terms.key];
  const mix = terms.mix ?? {};
  return (['population', 'equal', 'usage'] as const)
    .filter((p) => (mix[p] ?? 0) > 0)
    .map((p) => (lang === 'de' ? `${mix[p]} % ${t.part[p]}` : `${mix[p]}% ${t.part[p]}`))
    .join(', ');
}

/** The facts of a period as the document every format renders: texts with names, in one language. */
export function renderPoolStatements(
  facts: PeriodFacts,
  pool: { id: string; name: string },
  lang: Language,
  issue: IssueInfo,
  only?: (municipalityId: string) => boolean,
): PoolStatements {
  const t = T[lang];
  const name = (id: string) => facts.municipalityNames[id] ?? id;
  const segmentNote = (i: number) => {
    if (facts.segments.length < 2) return '';
    const s = facts.segments[i];
    return ` (${dateRange(s.from, dayBefore(s.to), lang)})`;
  };
  const keyDescription =
    facts.segments.length === 1
      ? describeKey(facts.segments[0].terms, lang)
      : facts.segments
          .map((s) => `${t.from} ${date(s.from, lang)}: ${describeKey(s.terms, lang)}`)
          .join('; ');
  const statements = facts.statements
    .filter((s) => !only || only(s.municipalityId))
    .map<MemberStatement>((s) => ({
      municipalityId: s.municipalityId,
      municipalityName: name(s.municipalityId),
      number: issue.numbers[s.municipalityId]?.number ?? null,
      checksum: issue.numbers[s.municipalityId]?.checksum ?? null,
      usageCents: s.usageCents,
      fixedCents: s.fixedCents,
      adjustmentsCents: s.adjustmentsCents,
      totalCents: s.totalCents,
      creditsCents: s.creditsCents,
      netCents: s.netCents,
      lines: s.lines.map((l) => renderLine(l, facts, lang, segmentNote)),
      savings: renderSavings(s, lang),
    }));
  return {
    poolId: pool.id,
    poolName: pool.name,
    period: facts.period,
    periodKind: facts.periodKind,
    from: facts.from,
    to: facts.to,
    language: lang,
    finalized: issue.finalizedAt !== null,
    finalizedAt: issue.finalizedAt?.toISOString() ?? null,
    poolTotalCents: facts.poolTotalCents,
    keyDescription,
    statements,
    settlement: facts.settlement.transfers
      .filter((tr) => !only || only(tr.fromMunicipalityId) || only(tr.toMunicipalityId))
      .map((tr) => ({
        fromMunicipalityId: tr.fromMunicipalityId,
        fromMunicipalityName: name(tr.fromMunicipalityId),
        toMunicipalityId: tr.toMunicipalityId,
        toMunicipalityName: name(tr.toMunicipalityId),
        amountCents: tr.amountCents,
      })),
    settlementMode: facts.settlement.mode,
    settlementMethod: facts.settlement.method,
  };
}

function renderLine(
  l: LineFact,
  facts: PeriodFacts,
  lang: Language,
  segmentNote: (i: number) => string,
): StatementLine {
  const t = T[lang];
  const resource = (id: string) => facts.resources[id]?.name ?? id;
  switch (l.kind) {
    case 'usage': {
      const hours = decimal(l.hoursHundredths / 100, 2, lang);
      const when =
        l.bookings === 1
          ? date(l.firstDate, lang)
          : `${t.bookings(l.bookings)}, ${dateRange(l.firstDate, l.lastDate, lang)}`;
      const parts = [`${hours} h × ${money(l.rateCents, lang)} = ${money(l.hoursCents, lang)}`];
      if (l.perUseTotalCents > 0)
        parts.push(
          `${l.bookings} × ${money(l.perUseCents, lang)} ${t.perUse} = ${money(l.perUseTotalCents, lang)}`,
        );
      if (l.transportCents > 0 && l.transportRateCentsPerKm !== null)
        parts.push(
          `${decimal(l.transportKmTenths / 10, 1, lang)} km × ${money(l.transportRateCentsPerKm, lang)} = ${money(l.transportCents, lang)}`,
        );
      const notes = [
        ...(l.estimated ? [l.hoursHundredths > 0 ? t.estimated : t.estimatedNone] : []),
        ...(l.ownResource ? [facts.resources[l.resourceId]?.kind === 'staff' ? t.ownStaff : t.own] : []),
      ];
      return {
        kind: 'usage',
        description: `${resource(l.resourceId)}, ${when}${segmentNote(l.segment)}${notes.length ? ` – ${notes.join('; ')}` : ''}`,
        amountCents: l.amountCents,
        ...(l.bookingId ? { bookingId: l.bookingId } : {}),
        resourceId: l.resourceId,
        resourceName: resource(l.resourceId),
        date: l.firstDate,
        hours: l.hoursHundredths / 100,
        rateCents: l.rateCents,
        basis: parts.join('; '),
        usageEstimated: l.estimated,
      };
    }
    case 'fixed':
      return {
        kind: 'fixed',
        description: `${t.share(t.component[l.component], t.part[l.part], l.partPercent)}${segmentNote(l.segment)}`,
        amountCents: l.amountCents,
        basis: `${shareBasis(l.part, l.weight, lang)} ${t.of} ${money(l.partCents, lang)}`,
      };
    case 'adjustment':
      return { kind: 'adjustment', description: t.adjustment(l.period), amountCents: l.amountCents };
    case 'credit':
      switch (l.reason) {
        case 'owner-fixed':
          return {
            kind: 'credit',
            description: `${t.ownerFixed(resource(l.resourceId))}${segmentNote(l.segment)}`,
            amountCents: l.amountCents,
            resourceId: l.resourceId,
            resourceName: resource(l.resourceId),
          };
        case 'owner-usage':
          return {
            kind: 'credit',
            description: t.ownerUsage(
              resource(l.resourceId),
              t.bookings(l.bookings),
              decimal(l.hoursHundredths / 100, 2, lang),
            ),
            amountCents: l.amountCents,
            resourceId: l.resourceId,
            resourceName: resource(l.resourceId),
            hours: l.hoursHundredths / 100,
          };
        case 'host-overhead':
          return {
            kind: 'credit',
            description: `${t.hostOverhead}${segmentNote(l.segment)}`,
            amountCents: l.amountCents,
          };
        case 'correction':
          return { kind: 'credit', description: t.correctionCredit(l.period), amountCents: l.amountCents };
      }
  }
}

/** "19.800 von 52.400 Einwohnern = 37,79 %", with days where membership did not cover the segment. */
export function shareBasis(part: KeyPart, w: ShareWeight, lang: Language): string {
  const t = T[lang];
  const pct = percent(w.memberWeight, w.totalWeight, lang);
  const fallback = w.fallbackEqual ? ` (${t.fallback})` : '';
  if (w.fallbackEqual || part === 'equal') {
    return w.byDays
      ? `${integer(w.memberDays, lang)} ${t.of} ${integer(w.totalWeight, lang)} ${t.memberDays} = ${pct}${fallback}`
      : `1 ${t.of} ${integer(w.totalValue, lang)} ${t.members} = ${pct}${fallback}`;
  }
  switch (part) {
    case 'population':
      return w.byDays
        ? `${integer(w.memberValue, lang)} × ${w.memberDays} ${t.of} ${w.segmentDays} ${t.days} = ${integer(w.memberWeight, lang)} ${t.of} ${integer(w.totalWeight, lang)} ${t.inhabitantDays} = ${pct}`
        : `${integer(w.memberValue, lang)} ${t.of} ${integer(w.totalValue, lang)} ${t.inhabitants} = ${pct}`;
    case 'usage':
      return `${decimal(w.memberValue / 100, 2, lang)} ${t.of} ${decimal(w.totalValue / 100, 2, lang)} ${t.hours} = ${pct}`;
    case 'shares':
      return w.byDays
        ? `${decimal(w.memberValue / 100, 2, lang)} × ${w.memberDays} ${t.of} ${w.segmentDays} ${t.days} = ${pct}`
        : `${decimal(w.memberValue / 100, 2, lang)} ${t.of} ${decimal(w.totalValue / 100, 2, lang)} ${t.points} = ${pct}`;
  }
}

function renderSavings(s: MemberFacts, lang: Language): MemberSavings {
  const t = T[lang];
  const types = s.savings.types
    .map((ty) => {
      const own = `${t.own_} ${money(ty.ownCents, lang)}`;
      const rent = ty.rentCents === null ? '' : ` / ${t.rent} ${money(ty.rentCents, lang)}`;
      return `${typeLabel(ty.type, lang)} (${decimal(ty.hoursHundredths / 100, 2, lang)} h: ${own}${rent})`;
    })
    .join(', ');
  return {
    paidNetCents: s.savings.paidNetCents,
    standaloneCostCents: s.savings.standaloneCostCents,
    savingCents: s.savings.savingCents,
    savingPercent: s.savings.savingPercent,
    earnedFromOthersCents: s.savings.earnedFromOthersCents,
    basis: t.savings(s.savings, lang, types),
  };
}
