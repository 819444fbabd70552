import { HOUR_MS, weekIndexAt, weeksOf } from './calendar';
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
    for (const a of r.available)
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

/**
 * Simulates one more unit of the type (a clone of the typical resource at the same depot, with
 * the same availability) and re-runs the placement; the unmet hours it would serve, its annual
 * cost and each paying member's share under the pool's key.
 */
export function simulateInvestment(
  model: PoolModel,
  unmet: UnmetByType,
  options: { seed: number; deadline: number; now: () => number },
): { detail: InvestmentDetail; template: SolverResource } | null {
  const template = typicalResource(model, unmet.type);
  if (!template) return null;
  const clone: SolverResource = {
    ...template,
    id: `${template.id}${ADDITIONAL_UNIT_SUFFIX}`,
    name: `${template.name} (+1)`,
  };
  const extended: PoolModel = { ...model, resources: [...model.resources, clone] };
  const tm = buildTaskModel(extended);
  const result = searchPlan(tm, { ...options, maxMoves: 20_000 });
  const after = unmetByType(tm, result.positions).get(unmet.type);
  const servedHours = Math.max(0, unmet.hours - (after?.hours ?? 0));
  const servedRequests = Math.max(0, unmet.requests - (after?.requests ?? 0));
  if (servedHours <= 0) return null;

  const usage = new Map<string, number>();
  const add = (municipalityId: string, ms: number): void =>
    void usage.set(municipalityId, (usage.get(municipalityId) ?? 0) + ms / HOUR_MS);
  const ofType = new Set(model.resources.filter((r) => r.type === unmet.type).map((r) => r.id));
  for (const b of model.bookings) if (ofType.has(b.resourceId)) add(b.municipalityId, b.end - b.start);
  for (const [municipalityId, hours] of Object.entries(unmet.byMunicipality))
    add(municipalityId, hours * HOUR_MS);

  const annualCostCents = template.annualFixedCostCents;
  return {
    template,
    detail: {
      type: unmet.type,
      modelledOnResourceId: template.id,
      unmetHoursBefore: round1(unmet.hours),
      unmetHoursServed: round1(servedHours),
      requestsServed: servedRequests,
      annualCostCents,
      shares: shareCosts(annualCostCents, payingMembers(model), model.costSharing, usage),
    },
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
