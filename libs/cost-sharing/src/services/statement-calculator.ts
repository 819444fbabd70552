import { Injectable } from '@nestjs/common';
import {
  CostInputsQuery,
  CostSharing,
  CostSharingAgreementRepository,
  PoolEntity,
  StatementRepository,
  StatementUsageQuery,
} from '@allmende/database';
import { AgreementVersion, CostSettings, segmentsOf, termsOf } from '../engine/agreement';
import { computeStatements } from '../engine/compute-statements';
import type { Correction, MemberInput, PeriodFacts, PeriodInput, UsageGroup } from '../engine/facts';
import { localMidnight, parsePeriod, Period, periodStartingOn } from '../engine/period';

/** How far back finalized periods are checked for corrections (late usage, cancellations). */
export const CORRECTION_HORIZON_YEARS = 2;

/** Changes to the pool for a what-if: other memberships, another agreement. */
export interface PoolOverrides {
  members?: (members: MemberInput[]) => MemberInput[];
  versions?: (versions: AgreementVersion[]) => AgreementVersion[];
  /** Usage to add (a joiner's stated demand). */
  usage?: (usage: UsageGroup[]) => UsageGroup[];
}

/**
 * Gathers a pool's period from the database (members, resources, the agreement's versions, and
 * the usage aggregated in SQL) and hands it to the pure arithmetic. Runs inside a unit of work.
 */
@Injectable()
export class StatementCalculator {
  constructor(
    private readonly agreements: CostSharingAgreementRepository,
    private readonly inputs: CostInputsQuery,
    private readonly usage: StatementUsageQuery,
    private readonly statements: StatementRepository,
  ) {}

  async versions(pool: PoolEntity): Promise<AgreementVersion[]> {
    const stored = await this.agreements.list(pool.id);
    return [
      { validFrom: null, terms: termsOf(pool.costSharing) },
      ...stored.map((a) => ({
        validFrom: a.validFrom,
        terms: termsOf(a.terms as unknown as CostSharing & Partial<CostSettings>),
      })),
    ];
  }

  /** The period's facts as of now; with corrections of finalized periods that land in it. */
  async compute(
    pool: PoolEntity,
    period: Period,
    options: { corrections: boolean; overrides?: PoolOverrides } = { corrections: true },
  ): Promise<PeriodFacts> {
    const input = await this.input(pool, period, options.overrides);
    if (options.corrections) {
      input.corrections = await this.corrections(pool, period);
      const unnamed = input.corrections
        .map((c) => c.municipalityId)
        .filter((id) => !input.municipalityNames[id]);
      for (const m of await this.inputs.municipalities([...new Set(unnamed)]))
        input.municipalityNames[m.id] = m.name;
    }
    return computeStatements(input);
  }

  async input(pool: PoolEntity, period: Period, overrides: PoolOverrides = {}): Promise<PeriodInput> {
    let versions = await this.versions(pool);
    if (overrides.versions) versions = overrides.versions(versions);
    const segments = segmentsOf(period, versions);
    const memberRows = await this.inputs.members(pool.id, period.from, period.to);
    const byId = new Map<string, MemberInput>();
    for (const r of memberRows) {
      const m = byId.get(r.municipalityId) ?? {
        municipalityId: r.municipalityId,
        name: r.name,
        population: r.population,
        memberships: [],
      };
      m.memberships.push({ from: r.joinedOn, to: r.leftOn });
      byId.set(r.municipalityId, m);
    }
    let members = [...byId.values()];
    if (overrides.members) members = overrides.members(members);
    const resources = await this.inputs.resources(pool.id);
    const recorded = await this.usage.groups(
      pool.id,
      segments.map((s) => ({
        from: localMidnight(s.from),
        to: localMidnight(s.to),
        chargeBookedHours: s.terms.unrecordedUsage === 'booked-hours',
        transportRateCentsPerKm: s.terms.transportRateCentsPerKm,
      })),
    );
    const usage = overrides.usage ? overrides.usage(recorded) : recorded;
    const named = new Set<string>([
      ...members.map((m) => m.municipalityId),
      ...resources.map((r) => r.homeMunicipalityId),
      ...usage.map((u) => u.bookerId),
      ...segments.flatMap((s) =>
        [s.terms.leadMunicipalityId, s.terms.coordinationHostMunicipalityId].filter((x): x is string => !!x),
      ),
    ]);
    const names: Record<string, string> = {};
    for (const m of await this.inputs.municipalities([...named])) names[m.id] = m.name;
    for (const m of members) names[m.municipalityId] ??= m.name;
    return {
      period: period.label,
      periodKind: period.kind,
      from: period.from,
      to: period.to,
      days: period.days,
      yearDays: period.yearDays,
      segments,
      members,
      municipalityNames: names,
      resources,
      usage,
      corrections: [],
    };
  }

  /**
   * Differences between finalized periods as they were issued and as they compute now (usage
   * recorded late, a booking cancelled), less what earlier corrections already booked, for
   * every finalized period whose next open period of its kind starts inside `period`.
   */
  async corrections(pool: PoolEntity, period: Period): Promise<Correction[]> {
    const finalized = await this.statements.finalizedPeriods(pool.id);
    const horizon = `${period.year - CORRECTION_HORIZON_YEARS}${period.from.slice(4)}`;
    const isFinalized = (p: Period) => finalized.some((f) => f.from < p.to && p.from < f.to);
    const landing = finalized.filter((f) => {
      if (f.to > period.from || f.from < horizon) return false;
      let next = periodStartingOn(f.periodKind, f.to);
      while (isFinalized(next)) next = periodStartingOn(next.kind, next.to);
      return next.from >= period.from && next.from < period.to;
    });
    if (landing.length === 0) return [];
    const booked = await this.statements.bookedCorrections(
      pool.id,
      landing.map((f) => f.period),
    );
    const corrections: Correction[] = [];
    for (const f of landing) {
      const now = await this.compute(pool, parsePeriod(f.period)!, { corrections: false });
      const issued = await this.statements.statementsOf(f.id);
      const diff = new Map<string, { owed: number; credits: number }>();
      const at = (id: string) => diff.get(id) ?? diff.set(id, { owed: 0, credits: 0 }).get(id)!;
      for (const s of now.statements) {
        at(s.municipalityId).owed += s.usageCents + s.fixedCents;
        at(s.municipalityId).credits += s.creditsCents;
      }
      for (const s of issued) {
        at(s.municipalityId).owed -= s.baseOwedCents;
        at(s.municipalityId).credits -= s.baseCreditsCents;
      }
      for (const b of booked.filter((x) => x.correctedPeriod === f.period)) {
        at(b.municipalityId).owed -= b.owedCents;
        at(b.municipalityId).credits -= b.creditsCents;
      }
      for (const [municipalityId, d] of diff) {
        if (d.owed !== 0 || d.credits !== 0)
          corrections.push({ period: f.period, municipalityId, owedCents: d.owed, creditsCents: d.credits });
      }
    }
    return corrections;
  }
}
