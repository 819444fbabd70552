import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { policies } from '@allmende/auth';
import { Actor, Conflict, FieldError, NotFound, SYSTEM_ACTOR, ValidationFailed } from '@allmende/core';
import { CostInputsQuery, CostSharing, PoolRepository, UnitOfWork } from '@allmende/database';
import {
  JoinerDemand,
  JoinerDemandEstimator,
  MembershipScenario,
  PoolVisibility,
  validateCostSharing,
} from '@allmende/pools';
import { termsOf } from '../engine/agreement';
import { germanCollator } from '../engine/collation';
import type { MemberFacts, MemberInput, PeriodFacts, UsageGroup } from '../engine/facts';
import { overlapDays, parsePeriod, Period } from '../engine/period';
import { Clock, COST_SHARING_CLOCK } from './clock';
import { StatementCalculator } from './statement-calculator';
import { periodOrFail } from './statement-reach';

export interface SimulatedFigures {
  member: boolean;
  fixedCents: number;
  usageCents: number;
  totalCents: number;
  creditsCents: number;
  netCents: number;
  /** Share of the pool's fixed costs, percent with two decimals. */
  fixedSharePercent: number;
  savingCents: number;
}

export interface SimulatedMember {
  municipalityId: string;
  municipalityName: string;
  before: SimulatedFigures;
  after: SimulatedFigures;
  netChangeCents: number;
}

/** A joiner as the what-if assumes it: its demand given, or estimated from its own history. */
export interface SimulatedJoin {
  municipalityId: string;
  municipalityName: string;
  /** First day of membership (YYYY-MM-DD). */
  from: string;
  demand: JoinerDemand[];
  /** The local days the history estimate is taken from ([from, to)); null when given. */
  basis: { from: string; to: string } | null;
}

export interface SimulationResult {
  poolId: string;
  poolName: string;
  period: string;
  from: string;
  to: string;
  joins: SimulatedJoin[];
  poolFixedCentsBefore: number;
  poolFixedCentsAfter: number;
  members: SimulatedMember[];
}

/**
 * Membership what-if (the coalition of the willing): the period computed as it is, and again with
 * the scenario's joins, leaves and key; each member's share and net before and after. Nothing is
 * stored. A joiner's demand (hours per week by type) — given, or estimated from its own bookings
 * and unserved requests of the year before it joins, as the planning what-if does (one
 * JoinerDemandEstimator) — is charged as usage spread over the pool's machines of the type and
 * counts for the usage key.
 */
@Injectable()
export class SimulationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly pools: PoolRepository,
    private readonly visibility: PoolVisibility,
    private readonly inputs: CostInputsQuery,
    private readonly calculator: StatementCalculator,
    private readonly joinerDemand: JoinerDemandEstimator,
    @Inject(COST_SHARING_CLOCK) private readonly clock: Clock,
  ) {}

  async simulate(
    actor: Actor,
    poolId: string,
    scenario: MembershipScenario,
    periodLabel: string | undefined,
  ): Promise<SimulationResult> {
    if (scenario.costSharing) validateCostSharing(scenario.costSharing);
    const period = periodLabel === undefined ? this.defaultPeriod(scenario) : periodOrFail(periodLabel);
    const mayAsk = async () => {
      const pool = await this.pools.findById(poolId);
      if (!pool || !(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
      policies.assertCoordinates(actor, poolId);
      return pool;
    };
    await this.uow.run(actor, mayAsk);
    // The joiners' history lies in pools the coordinator may not see: read as the system, sums only.
    const estimates = await this.uow.run(SYSTEM_ACTOR, async () => {
      const result = new Map<
        string,
        { demand: JoinerDemand[]; basis: { start: number; end: number } | null }
      >();
      for (const j of scenario.joins ?? []) result.set(j.municipalityId, await this.joinerDemand.estimate(j));
      return result;
    });
    return this.uow.run(actor, async () => {
      const pool = await mayAsk();
      const before = await this.calculator.compute(pool, period, { corrections: false });
      const current = await this.calculator.input(pool, period);
      const joiners = await this.joiners(scenario, current.members);
      this.checkLeaves(scenario, current.members);
      const resources = await this.inputs.resources(poolId);
      const after = await this.calculator.compute(pool, period, {
        corrections: false,
        overrides: {
          members: (members) => applyScenario(members, joiners, scenario),
          versions: scenario.costSharing
            ? (versions) =>
                versions.map((v) => ({ ...v, terms: { ...v.terms, ...keyTerms(scenario.costSharing!) } }))
            : undefined,
          usage: (usage) => [...usage, ...demandUsage(scenario, estimates, period, resources)],
        },
      });
      const names = { ...before.municipalityNames, ...after.municipalityNames };
      const ids = [...new Set([...after.statements, ...before.statements].map((s) => s.municipalityId))].sort(
        (a, b) => germanCollator.compare(names[a] ?? a, names[b] ?? b),
      );
      return {
        poolId,
        poolName: pool.name,
        period: period.label,
        from: period.from,
        to: period.to,
        joins: (scenario.joins ?? []).map((j) => {
          const e = estimates.get(j.municipalityId)!;
          return {
            municipalityId: j.municipalityId,
            municipalityName: names[j.municipalityId] ?? j.municipalityId,
            from: j.from,
            demand: e.demand,
            basis: e.basis ? { from: berlinDay(e.basis.start), to: berlinDay(e.basis.end) } : null,
          };
        }),
        poolFixedCentsBefore: fixedTotal(before),
        poolFixedCentsAfter: fixedTotal(after),
        members: ids.map((id) => {
          const b = figures(before, id);
          const a = figures(after, id);
          return {
            municipalityId: id,
            municipalityName: names[id] ?? id,
            before: b,
            after: a,
            netChangeCents: a.netCents - b.netCents,
          };
        }),
      };
    });
  }

  private defaultPeriod(scenario: MembershipScenario): Period {
    const dates = [...(scenario.joins ?? []), ...(scenario.leaves ?? [])].map((x) => x.from).sort();
    const year = dates.length > 0 ? dates[0].slice(0, 4) : String(this.clock().getUTCFullYear());
    return parsePeriod(year) ?? periodOrFail(undefined, 'from');
  }

  private async joiners(
    scenario: MembershipScenario,
    members: MemberInput[],
  ): Promise<Map<string, MemberInput>> {
    const joins = scenario.joins ?? [];
    const found = new Map(
      (await this.inputs.municipalities(joins.map((j) => j.municipalityId))).map((m) => [m.id, m]),
    );
    const errors: FieldError[] = [];
    const result = new Map<string, MemberInput>();
    joins.forEach((j, i) => {
      const m = found.get(j.municipalityId);
      if (!m) errors.push({ field: `joins.${i}.municipalityId`, message: 'is not a municipality' });
      const existing = members.find((x) => x.municipalityId === j.municipalityId);
      if (existing?.memberships.some((s) => s.to === null || s.to > j.from))
        throw new Conflict(`${existing.name} is already a member on ${j.from}.`, {
          municipalityId: j.municipalityId,
        });
      if (m)
        result.set(m.id, {
          municipalityId: m.id,
          name: m.name,
          population: m.population,
          memberships: [...(existing?.memberships ?? []), { from: j.from, to: null }],
        });
    });
    if (errors.length) throw new ValidationFailed(errors);
    return result;
  }

  private checkLeaves(scenario: MembershipScenario, members: MemberInput[]): void {
    const errors: FieldError[] = [];
    (scenario.leaves ?? []).forEach((l, i) => {
      const m = members.find((x) => x.municipalityId === l.municipalityId);
      if (!m || !m.memberships.some((s) => s.from < l.from && (s.to === null || s.to > l.from)))
        errors.push({
          field: `leaves.${i}.municipalityId`,
          message: `is not a member of the pool on ${l.from}`,
        });
    });
    if (errors.length) throw new ValidationFailed(errors);
  }
}

function applyScenario(
  members: MemberInput[],
  joiners: Map<string, MemberInput>,
  scenario: MembershipScenario,
): MemberInput[] {
  const leaves = new Map((scenario.leaves ?? []).map((l) => [l.municipalityId, l.from]));
  const result = members
    .filter((m) => !joiners.has(m.municipalityId))
    .map((m) => {
      const leave = leaves.get(m.municipalityId);
      if (!leave) return m;
      return {
        ...m,
        memberships: m.memberships
          .filter((s) => s.from < leave)
          .map((s) => ({ from: s.from, to: s.to === null || s.to > leave ? leave : s.to })),
      };
    });
  return [...result, ...joiners.values()];
}

function keyTerms(cs: CostSharing) {
  const t = termsOf(cs);
  return { key: t.key, mix: t.mix, shares: t.shares, annualOverheadCents: t.annualOverheadCents };
}

/** A joiner's demand (given or estimated) as usage of the pool's machines of each type, spread evenly. */
function demandUsage(
  scenario: MembershipScenario,
  estimates: Map<string, { demand: JoinerDemand[] }>,
  period: Period,
  resources: { id: string; type: string; kind: string; hourlyRateCents: number }[],
): UsageGroup[] {
  const groups: UsageGroup[] = [];
  for (const j of scenario.joins ?? []) {
    const days = overlapDays(period.from, period.to, j.from, null);
    for (const { type, hoursPerWeek: perWeek } of estimates.get(j.municipalityId)?.demand ?? []) {
      const machines = resources.filter((r) => r.kind === 'machine' && r.type === type);
      if (machines.length === 0 || perWeek <= 0 || days === 0) continue;
      const hundredths = Math.round((perWeek * days * 100) / 7);
      machines.forEach((r, i) => {
        const share = Math.floor(hundredths / machines.length) + (i < hundredths % machines.length ? 1 : 0);
        if (share === 0) return;
        groups.push({
          segment: 0,
          bookerId: j.municipalityId,
          resourceId: r.id,
          estimated: true,
          bookings: 1,
          hoursHundredths: share,
          hoursCents: Math.round((share * r.hourlyRateCents) / 100),
          perUseCents: 0,
          transportKmTenths: 0,
          transportCents: 0,
          firstDate: j.from > period.from ? j.from : period.from,
          lastDate: j.from > period.from ? j.from : period.from,
          bookingId: null,
        });
      });
    }
  }
  return groups;
}

function berlinDay(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: 'Europe/Berlin' }).toISODate()!;
}

function fixedTotal(facts: PeriodFacts): number {
  return facts.statements.reduce((a, s) => a + s.fixedCents, 0);
}

function figures(facts: PeriodFacts, id: string): SimulatedFigures {
  const s: MemberFacts | undefined = facts.statements.find((x) => x.municipalityId === id);
  const member = s?.lines.some((l) => l.kind === 'fixed') ?? false;
  const total = fixedTotal(facts);
  return {
    member,
    fixedCents: s?.fixedCents ?? 0,
    usageCents: s?.usageCents ?? 0,
    totalCents: s?.totalCents ?? 0,
    creditsCents: s?.creditsCents ?? 0,
    netCents: s?.netCents ?? 0,
    fixedSharePercent: total > 0 ? Math.round(((s?.fixedCents ?? 0) / total) * 10_000) / 100 : 0,
    savingCents: s?.savings.savingCents ?? 0,
  };
}
