import { HOUR_MS, spreadOverWeeks, weekIndexAt, weeksOf, type Week } from './calendar';
import type {
  Figures,
  Interval,
  PoolModel,
  ResourceWeekFigures,
  SolverResource,
  TypeWeekFigures,
} from './model';

/** Demand above capacity by less than this (hours) is rounding, not a shortage. */
const OVER_CAPACITY_TOLERANCE_HOURS = 0.05;

/** Hours per week for one resource type: the rows the findings are read from. */
export interface TypeWeeks {
  type: string;
  booked: Float64Array;
  resourceHours: Float64Array;
  /** null: no machine of the type needs a qualified operator. */
  operatorHours: Float64Array | null;
  available: Float64Array;
  unmetHours: Float64Array;
  unmetRequests: Float64Array;
  emergencies: Float64Array;
  estimated: Float64Array;
}

export function capacityOf(r: SolverResource): Interval[] {
  return r.capacity ?? r.available;
}

/**
 * Per type and ISO week: booked hours, capacity (working hours, holidays, blackouts and
 * inspections, as the loader gives them in `capacity`), limited by the qualified operators the
 * machines need, unmet demand (waiting requests) and estimated demand. Operators are counted per
 * qualification for each type that needs it: staff who serve two types are counted for both.
 */
export function typeWeeks(model: PoolModel, weeks: readonly Week[] = weeksOf(model.period)): TypeWeeks[] {
  const n = weeks.length;
  const zeros = () => new Float64Array(n);
  const hoursOf = (resources: readonly SolverResource[]): Float64Array => {
    const out = zeros();
    for (const r of resources) for (const a of capacityOf(r)) spreadOverWeeks(weeks, a.start, a.end, out);
    return out;
  };
  const types = [
    ...new Set([
      ...model.resources.map((r) => r.type),
      ...model.requests.map((q) => q.type),
      ...(model.estimatedDemand ?? []).map((d) => d.type),
    ]),
  ].sort();
  const typeOfResource = new Map(model.resources.map((r) => [r.id, r.type]));
  const booked = new Map(types.map((t) => [t, zeros()]));
  for (const b of model.bookings) {
    const row = booked.get(typeOfResource.get(b.resourceId) ?? '');
    if (row) spreadOverWeeks(weeks, b.start, b.end, row);
  }
  const staffHoursByQualification = new Map<string, Float64Array>();
  const staffHours = (q: string): Float64Array => {
    let row = staffHoursByQualification.get(q);
    if (!row) {
      row = hoursOf(model.resources.filter((r) => r.kind === 'staff' && r.qualifications.includes(q)));
      staffHoursByQualification.set(q, row);
    }
    return row;
  };

  return types.map((type) => {
    const resources = model.resources.filter((r) => r.type === type);
    const resourceHours = hoursOf(resources);
    const free = hoursOf(resources.filter((r) => r.kind === 'staff' || !r.requiredQualification));
    const needing = new Map<string, SolverResource[]>();
    for (const r of resources)
      if (r.kind === 'machine' && r.requiredQualification)
        needing.set(r.requiredQualification, [...(needing.get(r.requiredQualification) ?? []), r]);
    const operatorHours = needing.size > 0 ? zeros() : null;
    const available = Float64Array.from(free);
    for (const [q, machines] of needing) {
      const machineHours = hoursOf(machines);
      const people = staffHours(q);
      for (let w = 0; w < n; w++) {
        operatorHours![w] += people[w];
        available[w] += Math.min(machineHours[w], people[w]);
      }
    }
    const unmetHours = zeros();
    const unmetRequests = zeros();
    const emergencies = zeros();
    for (const q of model.requests) {
      if (q.type !== type) continue;
      spreadOverWeeks(weeks, q.start, q.end, unmetHours);
      const w = weekIndexAt(weeks, q.start);
      if (w < 0) continue;
      unmetRequests[w]++;
      if (q.priority === 'emergency') emergencies[w]++;
    }
    const estimated = zeros();
    for (const d of model.estimatedDemand ?? []) {
      if (d.type !== type || d.end <= d.start) continue;
      spreadOverWeeks(weeks, d.start, d.end, estimated, d.hours / (d.end - d.start));
    }
    return {
      type,
      booked: booked.get(type)!,
      resourceHours,
      operatorHours,
      available,
      unmetHours,
      unmetRequests,
      emergencies,
      estimated,
    };
  });
}

export function demandOf(row: TypeWeeks, w: number): number {
  return row.booked[w] + row.unmetHours[w] + row.estimated[w];
}

export function isOverCapacity(row: TypeWeeks, w: number): boolean {
  return demandOf(row, w) > row.available[w] + OVER_CAPACITY_TOLERANCE_HOURS;
}

/** The figures a coordinator reads: per type and week, and per resource on request. */
export function computeFigures(model: PoolModel, options: { perResource?: boolean } = {}): Figures {
  const weeks = weeksOf(model.period);
  const types: TypeWeekFigures[] = [];
  for (const row of typeWeeks(model, weeks))
    weeks.forEach((week, w) => {
      const available = row.available[w];
      const demand = demandOf(row, w);
      types.push({
        type: row.type,
        week: { weekYear: week.weekYear, weekNumber: week.weekNumber },
        start: week.start,
        end: week.end,
        bookedHours: round1(row.booked[w]),
        resourceHours: round1(row.resourceHours[w]),
        operatorHours: row.operatorHours ? round1(row.operatorHours[w]) : null,
        availableHours: round1(available),
        utilization: available > 0 ? round3(row.booked[w] / available) : 0,
        unmetHours: round1(row.unmetHours[w]),
        unmetRequests: row.unmetRequests[w],
        estimatedHours: round1(row.estimated[w]),
        demandRatio: available > 0 ? round3(demand / available) : demand > 0 ? -1 : 0,
        overCapacity: isOverCapacity(row, w),
      });
    });
  if (!options.perResource) return { types };
  const resources: ResourceWeekFigures[] = [];
  const bookedByResource = new Map<string, Float64Array>();
  for (const b of model.bookings) {
    let row = bookedByResource.get(b.resourceId);
    if (!row) bookedByResource.set(b.resourceId, (row = new Float64Array(weeks.length)));
    spreadOverWeeks(weeks, b.start, b.end, row);
  }
  for (const r of model.resources) {
    const available = new Float64Array(weeks.length);
    for (const a of capacityOf(r)) spreadOverWeeks(weeks, a.start, a.end, available);
    const booked = bookedByResource.get(r.id) ?? new Float64Array(weeks.length);
    weeks.forEach((week, w) =>
      resources.push({
        resourceId: r.id,
        type: r.type,
        week: { weekYear: week.weekYear, weekNumber: week.weekNumber },
        start: week.start,
        end: week.end,
        bookedHours: round1(booked[w]),
        availableHours: round1(available[w]),
        utilization: available[w] > 0 ? round3(booked[w] / available[w]) : 0,
      }),
    );
  }
  return { types, resources };
}

export function hoursBetween(a: number, b: number): number {
  return (b - a) / HOUR_MS;
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
