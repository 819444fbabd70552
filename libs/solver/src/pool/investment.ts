import { HOUR_MS, weekIndexAt, weeksOf } from './calendar';
import { capacityOf, typeWeeks } from './figures';
import { payingMembers, shareCosts } from './cost-sharing';
import type { InvestmentDetail, PoolModel, SolverResource } from './model';
import { searchPlan } from './search';
import { buildTaskModel, type Position, type TaskModel } from './tasks';

/** Demand exceeds capacity "for good" when unmet hours fall in at least this many ISO weeks … */
export const PERSISTENT_WEEKS = 3;
/** … or when they exceed this share of the type's available hours in the period. */
export const PERSISTENT_SHARE = 0.1;

export interface UnmetByType {
  type: string;
  hours: number;
  requests: number;
  weeks: number;
  capacityHours: number;
  /** Unmet hours per requesting municipality. */
  byMunicipality: Record<string, number>;
}

/** Unserved request hours per type after the reassignment. */
export function unmetByType(
  tm: TaskModel,
  positions: readonly (Position | null)[],
): Map<string, UnmetByType> {
  const weeks = weeksOf(tm.model.period);
  const out = new Map<string, UnmetByType & { weekSet: Set<number> }>();
  for (const task of tm.tasks) {
    if (task.kind !== 'request' || positions[task.index]) continue;
    const entry = out.get(task.type) ?? {
      type: task.type,
      hours: 0,
      requests: 0,
      weeks: 0,
      capacityHours: capacityHours(tm.model, task.type),
      byMunicipality: {},
      weekSet: new Set<number>(),
    };
    entry.hours += task.duration / HOUR_MS;
    entry.requests++;
    entry.byMunicipality[task.municipalityId] =
      (entry.byMunicipality[task.municipalityId] ?? 0) + task.duration / HOUR_MS;
    const w = weekIndexAt(weeks, task.preferredStart);
    if (w >= 0) entry.weekSet.add(w);
    entry.weeks = entry.weekSet.size;
    out.set(task.type, entry);
  }
  return new Map([...out].map(([type, { weekSet: _weekSet, ...rest }]) => [type, rest]));
}

export function capacityHours(model: PoolModel, type: string): number {
  let ms = 0;
  for (const r of model.resources) {
    if (r.type !== type) continue;
    for (const a of capacityOf(r))
      ms += Math.max(0, Math.min(a.end, model.period.end) - Math.max(a.start, model.period.start));
  }
  return ms / HOUR_MS;
}

export function isPersistent(u: UnmetByType): boolean {
  return u.weeks >= PERSISTENT_WEEKS || u.hours > PERSISTENT_SHARE * u.capacityHours;
}

/**
 * The unit to buy is modelled on the most common kind of resource of the type: the largest
 * group with the same operator requirement and costs; ties go to the lower id.
 */
export function typicalResource(model: PoolModel, type: string): SolverResource | null {
  const groups = new Map<string, SolverResource[]>();
  for (const r of model.resources) {
    if (r.type !== type) continue;
    const key = `${r.kind}|${r.requiredQualification ?? ''}|${r.annualFixedCostCents}|${r.hourlyRateCents}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  let best: SolverResource[] | null = null;
  for (const g of groups.values()) {
    g.sort((a, b) => (a.id < b.id ? -1 : 1));
    if (!best || g.length > best.length || (g.length === best.length && g[0].id < best[0].id)) best = g;
  }
  return best ? best[0] : null;
}

export const ADDITIONAL_UNIT_SUFFIX = '#additional';
/** At most this many more units of one type are recommended. */
const MAX_UNITS = 3;
/** Stop adding units once this share of the unmet hours is served. */
const SERVED_ENOUGH = 0.9;
/**
 * A short-term lease costs about twice the prorated cost of owning (rental firms' margin and
 * transport): leasing for w weeks costs 2 × w / 52 of the annual fixed cost per unit.
 */
export const LEASE_PREMIUM = 2;
/** Buy when demand exceeds capacity in at least this share of the period's weeks; lease otherwise. */
export const BUY_SHARE_OF_WEEKS = 0.5;

/**
 * Simulates more units of the type (clones of the typical resource at the same depot, with the
 * same availability), one more at a time until nine tenths of the unmet hours are served or a unit
 * adds nothing, and re-runs the placement each time. Returns what they serve, whether to buy or
 * lease, the utilization before and after, and each paying member's share of the cost under the
 * pool's key (usage part: each member's booked and unmet hours of the type).
 */
export function simulateInvestment(
  model: PoolModel,
  unmet: UnmetByType,
  options: { seed: number; deadline: number; now: () => number; maxMoves?: number },
): { detail: InvestmentDetail; template: SolverResource } | null {
  const template = typicalResource(model, unmet.type);
  if (!template) return null;
  const own = ofTypeOnly(model, unmet.type);
  let best: { units: number; hours: number; requests: number } | null = null;
  for (let units = 1; units <= MAX_UNITS; units++) {
    if (units > 1 && options.now() >= options.deadline) break;
    const clones: SolverResource[] = Array.from({ length: units }, (_, k) => ({
      ...template,
      id: `${template.id}${ADDITIONAL_UNIT_SUFFIX}${k + 1}`,
      name: `${template.name} (+${k + 1})`,
    }));
    const extended: PoolModel = { ...own, resources: [...own.resources, ...clones] };
    const tm = buildTaskModel(extended);
    const remaining = Math.max(1, options.deadline - options.now());
    const result = searchPlan(tm, {
      ...options,
      deadline: options.now() + remaining / (MAX_UNITS - units + 1),
      maxMoves: Math.min(20_000, options.maxMoves ?? 20_000),
    });
    const after = unmetByType(tm, result.positions).get(unmet.type);
    const hours = Math.max(0, unmet.hours - (after?.hours ?? 0));
    const requests = Math.max(0, unmet.requests - (after?.requests ?? 0));
    if (best && hours <= best.hours + 1e-9) break;
    best = { units, hours, requests };
    if (hours >= SERVED_ENOUGH * unmet.hours) break;
  }
  if (!best || best.hours <= 0) return null;

  const usage = new Map<string, number>();
  const add = (municipalityId: string, ms: number): void =>
    void usage.set(municipalityId, (usage.get(municipalityId) ?? 0) + ms / HOUR_MS);
  const ofType = new Set(model.resources.filter((r) => r.type === unmet.type).map((r) => r.id));
  for (const b of model.bookings) if (ofType.has(b.resourceId)) add(b.municipalityId, b.end - b.start);
  for (const [municipalityId, hours] of Object.entries(unmet.byMunicipality))
    add(municipalityId, hours * HOUR_MS);

  const row = typeWeeks(model).find((r) => r.type === unmet.type);
  const total = (a: Float64Array | undefined) => (a ? a.reduce((s, x) => s + x, 0) : 0);
  const available = total(row?.available);
  const booked = total(row?.booked);
  const unitHours =
    capacityOf(template).reduce(
      (s, a) => s + Math.max(0, Math.min(a.end, model.period.end) - Math.max(a.start, model.period.start)),
      0,
    ) / HOUR_MS;
  const newHours = unitHours * best.units;
  const buyCents = template.annualFixedCostCents * best.units;
  const leaseWeeks = unmet.weeks;
  const leaseCents = Math.round(
    (template.annualFixedCostCents * LEASE_PREMIUM * leaseWeeks * best.units) / 52,
  );
  const periodWeeks = weeksOf(model.period).length;
  const mode: 'buy' | 'lease' =
    leaseWeeks >= BUY_SHARE_OF_WEEKS * periodWeeks || leaseCents >= buyCents ? 'buy' : 'lease';
  const annualCostCents = mode === 'buy' ? buyCents : leaseCents;
  const shares = shareCosts(annualCostCents, payingMembers(model), model.costSharing, usage);
  return {
    template,
    detail: {
      type: unmet.type,
      mode,
      units: best.units,
      modelledOnResourceId: template.id,
      unmetHoursBefore: round1(unmet.hours),
      unmetHoursServed: round1(best.hours),
      unmetRequestsBefore: unmet.requests,
      requestsServed: best.requests,
      weeksOverCapacity: unmet.weeks,
      utilizationBefore: available > 0 ? round3((booked + unmet.hours) / available) : 0,
      utilizationAfter: available + newHours > 0 ? round3((booked + best.hours) / (available + newHours)) : 0,
      newUnitsUtilization: newHours > 0 ? round3(best.hours / newHours) : 0,
      annualCostCents,
      ...(mode === 'lease' ? { leaseWeeks } : {}),
      costSharingKey: model.costSharing.key,
      shares: shares.map((s) => ({ ...s, usageHours: round1(usage.get(s.municipalityId) ?? 0) })),
    },
  };
}

/**
 * The part of the pool that serving one type's requests depends on: its resources, every staff
 * member (operators may serve several types) and their bookings, and the type's requests. A
 * region's other types do not change what one more unit of this type can serve.
 */
export function ofTypeOnly(model: PoolModel, type: string): PoolModel {
  const resources = model.resources.filter((r) => r.type === type || r.kind === 'staff');
  const kept = new Set(resources.map((r) => r.id));
  return {
    ...model,
    resources,
    bookings: model.bookings.filter((b) => kept.has(b.resourceId)),
    requests: model.requests.filter((q) => q.type === type),
  };
}

/**
 * Investment advice on its own (a diagnosis run, or the API's investment route): places what it
 * can with the units there are, then simulates more units for each type whose demand exceeds
 * capacity for good.
 */
export function recommendInvestments(
  model: PoolModel,
  options: { seed: number; deadline: number; now: () => number },
): InvestmentDetail[] {
  const start = options.now();
  const tm = buildTaskModel(model);
  const result = searchPlan(tm, {
    ...options,
    deadline: start + (options.deadline - start) * 0.3,
    maxMoves: 20_000,
  });
  return investmentsAfter(tm, result.positions, options).map((s) => s.detail);
}

/** The persistent shortages after a plan, each with the simulated investment that relieves it. */
export function investmentsAfter(
  tm: TaskModel,
  positions: readonly (Position | null)[],
  options: { seed: number; deadline: number; now: () => number; maxMoves?: number },
): { detail: InvestmentDetail; template: SolverResource; unmet: UnmetByType }[] {
  const persistent = [...unmetByType(tm, positions).values()]
    .filter(isPersistent)
    .sort((a, b) => b.hours - a.hours || (a.type < b.type ? -1 : 1));
  const out: { detail: InvestmentDetail; template: SolverResource; unmet: UnmetByType }[] = [];
  persistent.forEach((unmet, k) => {
    const start = options.now();
    if (start >= options.deadline) return;
    const simulated = simulateInvestment(tm.model, unmet, {
      seed: options.seed,
      deadline: start + (options.deadline - start) / (persistent.length - k),
      now: options.now,
      maxMoves: options.maxMoves,
    });
    if (simulated) out.push({ ...simulated, unmet });
  });
  return out;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
