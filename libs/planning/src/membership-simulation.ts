import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, SYSTEM_ACTOR, NotFound, ValidationFailed } from '@allmende/core';
import { MunicipalityRepository, PoolRepository, UnitOfWork } from '@allmende/database';
import type { JoinerDemand, MembershipScenario } from '@allmende/pools';
import { berlinStartOfDay, JoinerDemandEstimator, PoolVisibility } from '@allmende/pools';
import {
  computeFigures,
  diagnose,
  fromPortable,
  type EstimatedDemand,
  type Figures,
  type Finding,
  type Interval,
  type PoolModel,
} from '@allmende/solver';
import { PoolModelLoader } from './pool-model-loader';
import type { NameBook } from './render/names';

const MAX_PERIOD_DAYS = 400;

export interface JoinAssumption {
  municipalityId: string;
  from: number;
  demand: JoinerDemand[];
  /** The span the history estimate is taken from (history only). */
  basis: Interval | null;
}

export interface LeaveEffect {
  municipalityId: string;
  from: number;
  bookingsRemoved: number;
  requestsRemoved: number;
  /** Resources whose depot is in the leaving municipality: they leave with it. */
  resourcesLeaving: string[];
}

/** One side of the comparison, per resource type over the whole period. */
export interface TypeTotals {
  type: string;
  availableHours: number;
  demandHours: number;
  /** demand / available; -1 with demand and no capacity. */
  utilization: number;
  waitingHours: number;
  waitingRequests: number;
  /** Sum over the weeks of demand beyond capacity. */
  excessHours: number;
  overCapacityWeeks: { weekYear: number; weekNumber: number }[];
}

export interface SimulationResult {
  period: Interval;
  joins: JoinAssumption[];
  leaves: LeaveEffect[];
  types: { type: string; before: TypeTotals; after: TypeTotals }[];
  findingsBefore: Finding[];
  findingsAfter: Finding[];
  names: NameBook;
}

/**
 * The planning side of the membership what-if: how utilization, unmet demand and bottlenecks of a
 * pool would change if municipalities joined (their demand given, or estimated from their own
 * bookings and unserved requests of the past year in any pool) or left from a date. The leaving
 * town's bookings and requests from that date go, and so do the machines and staff whose depot is
 * there. Nothing is stored.
 */
@Injectable()
export class MembershipSimulation {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly loader: PoolModelLoader,
    private readonly visibility: PoolVisibility,
    private readonly pools: PoolRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly demand: JoinerDemandEstimator,
  ) {}

  async simulate(
    actor: Actor,
    poolId: string,
    from: Date,
    to: Date,
    scenario: MembershipScenario,
  ): Promise<SimulationResult> {
    if (to <= from) throw new ValidationFailed([{ field: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000)
      throw new ValidationFailed([
        { field: 'to', message: `the period may span at most ${MAX_PERIOD_DAYS} days` },
      ]);
    const joins = scenario.joins ?? [];
    const leaves = scenario.leaves ?? [];
    if (joins.length === 0 && leaves.length === 0)
      throw new ValidationFailed([
        { field: 'joins', message: 'name at least one municipality that joins or leaves' },
      ]);
    await this.uow.run(actor, async () => {
      if (!(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
      policies.assertCoordinates(actor, poolId);
    });
    // The pool's calendar and the joiners' history in other pools are read as the system: the
    // answer carries only sums per type.
    return this.uow.run(SYSTEM_ACTOR, async () => {
      const loaded = await this.loader.load(poolId, from, to);
      const before = fromPortable(loaded.model);
      const members = await this.pools.listMembers(poolId);
      const towns = await this.municipalities.findByIds([
        ...joins.map((j) => j.municipalityId),
        ...leaves.map((l) => l.municipalityId),
      ]);
      const names: NameBook = {
        ...loaded.names,
        municipalities: {
          ...loaded.names.municipalities,
          ...Object.fromEntries(towns.map((t) => [t.id, t.name])),
        },
        requests: {},
        bookings: {},
      };
      const errors: { field: string; message: string }[] = [];
      const memberOn = (id: string, day: string) =>
        members.some(
          (m) => m.municipalityId === id && m.joinedOn <= day && (m.leftOn === null || m.leftOn > day),
        );
      joins.forEach((j, i) => {
        if (!towns.some((t) => t.id === j.municipalityId))
          errors.push({ field: `joins[${i}].municipalityId`, message: 'no such municipality' });
        else if (memberOn(j.municipalityId, j.from))
          errors.push({
            field: `joins[${i}].municipalityId`,
            message: `is a member of the pool on ${j.from} already`,
          });
      });
      leaves.forEach((l, i) => {
        if (!memberOn(l.municipalityId, l.from))
          errors.push({
            field: `leaves[${i}].municipalityId`,
            message: `is not a member of the pool on ${l.from}`,
          });
      });
      if (errors.length > 0) throw new ValidationFailed(errors);

      const estimated: EstimatedDemand[] = [];
      const joinAssumptions: JoinAssumption[] = [];
      for (const j of joins) {
        const start = Math.max(berlinStartOfDay(j.from), from.getTime());
        const end = to.getTime();
        const weeks = Math.max(0, (end - start) / (7 * 86_400_000));
        const { demand, basis } = await this.demand.estimate(j);
        for (const d of demand)
          if (end > start && d.hoursPerWeek > 0)
            estimated.push({
              type: d.type,
              municipalityId: j.municipalityId,
              start,
              end,
              hours: d.hoursPerWeek * weeks,
            });
        joinAssumptions.push({
          municipalityId: j.municipalityId,
          from: berlinStartOfDay(j.from),
          demand,
          basis,
        });
      }

      let after: PoolModel = {
        ...before,
        estimatedDemand: [...(before.estimatedDemand ?? []), ...estimated],
      };
      const leaveEffects: LeaveEffect[] = [];
      for (const l of leaves) {
        const t = berlinStartOfDay(l.from);
        const leaving = after.resources.filter((r) => r.homeSiteId === l.municipalityId).map((r) => r.id);
        const keepBooking = (b: PoolModel['bookings'][number]) =>
          !(b.municipalityId === l.municipalityId && b.start >= t);
        const keepRequest = (q: PoolModel['requests'][number]) =>
          !(q.municipalityId === l.municipalityId && q.start >= t);
        leaveEffects.push({
          municipalityId: l.municipalityId,
          from: t,
          bookingsRemoved: after.bookings.filter((b) => !keepBooking(b)).length,
          requestsRemoved: after.requests.filter((q) => !keepRequest(q)).length,
          resourcesLeaving: leaving,
        });
        const gone = new Set(leaving);
        after = {
          ...after,
          bookings: after.bookings.filter(keepBooking),
          requests: after.requests.filter(keepRequest),
          resources: after.resources.map((r) =>
            gone.has(r.id)
              ? {
                  ...r,
                  available: clip(r.available, t),
                  capacity: clip(r.capacity ?? r.available, t),
                  retiredAt: t,
                }
              : r,
          ),
        };
      }

      const figuresBefore = computeFigures(before);
      const figuresAfter = computeFigures(after);
      const types = [...new Set([...figuresBefore.types, ...figuresAfter.types].map((f) => f.type))].sort();
      return {
        period: { start: from.getTime(), end: to.getTime() },
        joins: joinAssumptions,
        leaves: leaveEffects,
        types: types.map((type) => ({
          type,
          before: totals(figuresBefore, type),
          after: totals(figuresAfter, type),
        })),
        findingsBefore: diagnose(before).filter(isBottleneck),
        findingsAfter: diagnose(after).filter(isBottleneck),
        names,
      };
    });
  }
}

/** What the what-if compares: bottlenecks of the pool, not the retirement of a leaver's machines. */
function isBottleneck(f: Finding): boolean {
  return f.kind !== 'retired' && f.kind !== 'inspection-due' && f.kind !== 'resource-utilization';
}

function clip(intervals: Interval[], until: number): Interval[] {
  return intervals
    .filter((a) => a.start < until)
    .map((a) => ({ start: a.start, end: Math.min(a.end, until) }));
}

function totals(figures: Figures, type: string): TypeTotals {
  const rows = figures.types.filter((f) => f.type === type);
  const available = rows.reduce((s, f) => s + f.availableHours, 0);
  const demand = rows.reduce((s, f) => s + f.bookedHours + f.unmetHours + f.estimatedHours, 0);
  const excess = rows.reduce(
    (s, f) => s + Math.max(0, f.bookedHours + f.unmetHours + f.estimatedHours - f.availableHours),
    0,
  );
  return {
    type,
    availableHours: round1(available),
    demandHours: round1(demand),
    utilization: available > 0 ? Math.round((demand / available) * 1000) / 1000 : demand > 0 ? -1 : 0,
    waitingHours: round1(rows.reduce((s, f) => s + f.unmetHours, 0)),
    waitingRequests: rows.reduce((s, f) => s + f.unmetRequests, 0),
    excessHours: round1(excess),
    overCapacityWeeks: rows.filter((f) => f.overCapacity).map((f) => f.week),
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
