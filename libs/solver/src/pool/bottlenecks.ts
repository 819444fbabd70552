import { spreadOverWeeks, weekIndexAt, weekRuns, weeksOf, type Week } from './calendar';
import { capacityOf, demandOf, isOverCapacity, round1, round3, typeWeeks, type TypeWeeks } from './figures';
import type { DiagnoseOptions, Finding, IsoWeek, PoolModel, Severity, SolverResource } from './model';

/**
 * Severity comes from demand against capacity (capacity: working hours, holidays, blackouts,
 * inspections and the qualified operators the machines need):
 * - utilization of a type: (booked + waiting + estimated) / available ≥ 0.85 is a warning, ≥ 1.0
 *   critical — from 85 % on a pool has no slack left for breakdowns and emergencies; weeks with
 *   less than a working day of demand are never a finding (8 h on two aerial lifts is no warning).
 * - over capacity: the weeks in which demand exceeds capacity, critical.
 * - one resource: booked / its capacity ≥ 0.9 a warning, > 1.0 critical (booked beyond its hours).
 * - unmet demand: critical with an emergency or where demand exceeds capacity, a warning from
 *   85 %, else info (capacity is there: a proposal run can probably serve it).
 * - skills short: demand / qualified staff hours ≥ 0.85 warning, > 1.0 or nobody qualified critical.
 * - seasonal peak: weeks ≥ 2 × the type's mean weekly demand over the period, only where those
 *   weeks use at least half the capacity; a warning from 85 %. Only for periods of 8 weeks or more.
 * - capacity: more jobs of one eligibility class at one moment than resources that may serve them.
 * - inspection due / retired inside the period: the machine is unusable from then on; critical
 *   when bookings lie after that date, else a warning.
 */
const DEFAULTS = {
  utilizationWarning: 0.85,
  utilizationCritical: 1.0,
  resourceUtilizationWarning: 0.9,
  peakFactor: 2,
};
/** Less demand than a working day in a week (or run of weeks) is never a finding. */
const MIN_HOURS = 8;
const SKILLS_WARNING = 0.85;
const PEAK_MIN_UTILIZATION = 0.5;
const PEAK_MIN_WEEKS = 8;

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function diagnose(model: PoolModel, options: DiagnoseOptions = {}): Finding[] {
  const o = { ...DEFAULTS, ...options };
  const weeks = weeksOf(model.period);
  if (weeks.length === 0) return [];
  const d = new Diagnosis(model, weeks);
  const findings = [
    ...d.typeUtilization(o.utilizationWarning, o.utilizationCritical),
    ...d.overCapacity(),
    ...d.resourceUtilization(o.resourceUtilizationWarning),
    ...d.unmetDemand(o.utilizationWarning),
    ...d.skillsShort(),
    ...d.seasonalPeaks(o.peakFactor, o.utilizationWarning),
    ...d.capacity(),
    ...d.inspections(),
    ...d.retirements(),
  ];
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.period.start - b.period.start ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
      ((a.type ?? '') < (b.type ?? '') ? -1 : (a.type ?? '') > (b.type ?? '') ? 1 : 0),
  );
}

class Diagnosis {
  private readonly n: number;
  private readonly resourceById: Map<string, SolverResource>;
  private readonly rows: TypeWeeks[];

  constructor(
    private readonly model: PoolModel,
    private readonly weeks: Week[],
  ) {
    this.n = weeks.length;
    this.resourceById = new Map(model.resources.map((r) => [r.id, r]));
    this.rows = typeWeeks(model, weeks);
  }

  private zeros(): Float64Array {
    return new Float64Array(this.n);
  }

  private isoWeek(w: number): IsoWeek {
    return { weekYear: this.weeks[w].weekYear, weekNumber: this.weeks[w].weekNumber };
  }

  private span(from: number, to: number): Pick<Finding, 'period' | 'weeks'> {
    return {
      period: { start: this.weeks[from].start, end: this.weeks[to].end },
      weeks: { from: this.isoWeek(from), to: this.isoWeek(to) },
    };
  }

  private capacityHours(resources: SolverResource[]): Float64Array {
    const out = this.zeros();
    for (const r of resources)
      for (const a of capacityOf(r)) spreadOverWeeks(this.weeks, a.start, a.end, out);
    return out;
  }

  private ofType(type: string): SolverResource[] {
    return this.model.resources.filter((r) => r.type === type);
  }

  private requestersOf(type: string, from: number, to: number): string[] {
    const start = this.weeks[from].start;
    const end = this.weeks[to].end;
    return [
      ...new Set(
        this.model.requests
          .filter((q) => q.type === type && q.start >= start && q.start < end)
          .map((q) => q.municipalityId),
      ),
    ].sort();
  }

  typeUtilization(warning: number, critical: number): Finding[] {
    const findings: Finding[] = [];
    for (const row of this.rows) {
      const hit = (w: number) => {
        const demand = demandOf(row, w);
        if (demand < MIN_HOURS) return false;
        return row.available[w] > 0 ? demand / row.available[w] >= warning : true;
      };
      for (const [from, to] of weekRuns(this.n, hit)) {
        const a = sum(row.available, from, to);
        const b = sum(row.booked, from, to);
        const u = sum(row.unmetHours, from, to);
        const e = sum(row.estimated, from, to);
        const ratio = a > 0 ? (b + u + e) / a : Infinity;
        findings.push({
          kind: 'utilization',
          severity: ratio >= critical ? 'critical' : 'warning',
          type: row.type,
          ...this.span(from, to),
          metrics: {
            weeks: to - from + 1,
            availableHours: round1(a),
            bookedHours: round1(b),
            unmetHours: round1(u),
            estimatedHours: round1(e),
            requests: sum(row.unmetRequests, from, to),
            utilization: a > 0 ? round3(b / a) : 0,
            demandRatio: Number.isFinite(ratio) ? round3(ratio) : -1,
            ...(row.operatorHours ? { operatorHours: round1(sum(row.operatorHours, from, to)) } : {}),
          },
        });
      }
    }
    return findings;
  }

  /** The weeks in which demand (booked, waiting and estimated) exceeds what the type can give. */
  overCapacity(): Finding[] {
    const findings: Finding[] = [];
    for (const row of this.rows) {
      const over: number[] = [];
      for (let w = 0; w < this.n; w++)
        if (isOverCapacity(row, w) && demandOf(row, w) >= MIN_HOURS) over.push(w);
      if (over.length === 0) continue;
      let excess = 0;
      let demand = 0;
      let available = 0;
      for (const w of over) {
        excess += demandOf(row, w) - row.available[w];
        demand += demandOf(row, w);
        available += row.available[w];
      }
      findings.push({
        kind: 'over-capacity',
        severity: 'critical',
        type: row.type,
        ...this.span(over[0], over[over.length - 1]),
        weekList: over.map((w) => this.isoWeek(w)),
        metrics: {
          weeks: over.length,
          demandHours: round1(demand),
          availableHours: round1(available),
          excessHours: round1(excess),
        },
      });
    }
    return findings;
  }

  resourceUtilization(warning: number): Finding[] {
    const findings: Finding[] = [];
    const booked = new Map<string, Float64Array>();
    for (const b of this.model.bookings) {
      let row = booked.get(b.resourceId);
      if (!row) booked.set(b.resourceId, (row = this.zeros()));
      spreadOverWeeks(this.weeks, b.start, b.end, row);
    }
    for (const r of this.model.resources) {
      const mine = booked.get(r.id);
      if (!mine) continue;
      const available = this.capacityHours([r]);
      const hit = (w: number) =>
        mine[w] >= MIN_HOURS && (available[w] > 0 ? mine[w] / available[w] >= warning : true);
      for (const [from, to] of weekRuns(this.n, hit)) {
        const a = sum(available, from, to);
        const b = sum(mine, from, to);
        const ratio = a > 0 ? b / a : Infinity;
        findings.push({
          kind: 'resource-utilization',
          severity: ratio > 1 ? 'critical' : 'warning',
          type: r.type,
          resourceId: r.id,
          ...this.span(from, to),
          metrics: {
            weeks: to - from + 1,
            availableHours: round1(a),
            bookedHours: round1(b),
            utilization: Number.isFinite(ratio) ? round3(ratio) : -1,
          },
        });
      }
    }
    return findings;
  }

  unmetDemand(warning: number): Finding[] {
    const findings: Finding[] = [];
    for (const row of this.rows) {
      for (const [from, to] of weekRuns(this.n, (w) => row.unmetRequests[w] > 0)) {
        const requests = sum(row.unmetRequests, from, to);
        const hours = sum(row.unmetHours, from, to);
        const emergencies = sum(row.emergencies, from, to);
        const a = sum(row.available, from, to);
        const demand = sum(row.booked, from, to) + hours + sum(row.estimated, from, to);
        const ratio = a > 0 ? demand / a : Infinity;
        const bySource = { waitlist: 0, displaced: 0, refused: 0 };
        for (const q of this.model.requests)
          if (q.type === row.type && q.start >= this.weeks[from].start && q.start < this.weeks[to].end)
            bySource[q.source]++;
        const severity: Severity =
          emergencies > 0 || ratio >= 1 ? 'critical' : ratio >= warning ? 'warning' : 'info';
        findings.push({
          kind: 'unmet-demand',
          severity,
          type: row.type,
          ...this.span(from, to),
          municipalityIds: this.requestersOf(row.type, from, to),
          metrics: {
            requests,
            hours: round1(hours),
            emergencies,
            availableHours: round1(a),
            demandRatio: Number.isFinite(ratio) ? round3(ratio) : -1,
            ...bySource,
          },
        });
      }
    }
    return findings;
  }

  /**
   * Hours that need a qualified person from the pool (operator bookings, staff bookings and
   * requests that name a qualification, machine requests whose machine needs an operator) against
   * the capacity hours of staff holding it. Machine bookings without an operator booking are left
   * out: the municipality operates the machine itself.
   */
  skillsShort(): Finding[] {
    const model = this.model;
    const demand = new Map<string, Float64Array>();
    const add = (q: string | null | undefined, start: number, end: number) => {
      if (!q) return;
      const row = demand.get(q) ?? this.zeros();
      spreadOverWeeks(this.weeks, start, end, row);
      demand.set(q, row);
    };
    const bookingById = new Map(model.bookings.map((b) => [b.id, b]));
    for (const b of model.bookings) {
      const resource = this.resourceById.get(b.resourceId);
      if (resource?.kind !== 'staff') continue;
      const machine = b.operatorForBookingId ? bookingById.get(b.operatorForBookingId) : undefined;
      const needed = machine
        ? this.resourceById.get(machine.resourceId)?.requiredQualification
        : b.requiredQualification;
      add(needed, b.start, b.end);
    }
    const typeQualification = new Map<string, string | null>();
    for (const row of this.rows)
      typeQualification.set(row.type, mostCommon(this.ofType(row.type).map((r) => r.requiredQualification)));
    for (const q of model.requests) {
      const kind = this.ofType(q.type)[0]?.kind ?? 'machine';
      const needed =
        kind === 'staff'
          ? q.requiredQualification
          : q.needsOperator !== false
            ? typeQualification.get(q.type)
            : null;
      add(needed, q.start, q.end);
    }

    const findings: Finding[] = [];
    for (const [qualification, need] of [...demand].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const staff = model.resources.filter(
        (r) => r.kind === 'staff' && r.qualifications.includes(qualification),
      );
      const supply = this.capacityHours(staff);
      const hit = (w: number) =>
        need[w] >= MIN_HOURS && (supply[w] <= 0 || need[w] / supply[w] >= SKILLS_WARNING);
      for (const [from, to] of weekRuns(this.n, hit)) {
        const n = sum(need, from, to);
        const s = sum(supply, from, to);
        const ratio = s > 0 ? n / s : Infinity;
        findings.push({
          kind: 'skills-short',
          severity: ratio > 1 ? 'critical' : 'warning',
          qualification,
          ...this.span(from, to),
          metrics: {
            weeks: to - from + 1,
            demandHours: round1(n),
            qualifiedStaffHours: round1(s),
            qualifiedStaff: staff.length,
            ratio: Number.isFinite(ratio) ? round3(ratio) : -1,
          },
        });
      }
    }
    return findings;
  }

  seasonalPeaks(factor: number, warning: number): Finding[] {
    if (this.n < PEAK_MIN_WEEKS) return [];
    const findings: Finding[] = [];
    for (const row of this.rows) {
      const demand = Array.from({ length: this.n }, (_, w) => demandOf(row, w));
      const mean = sum(demand, 0, this.n - 1) / this.n;
      if (mean <= 0) continue;
      const hit = (w: number) => demand[w] >= factor * mean && demand[w] >= MIN_HOURS;
      for (const [from, to] of weekRuns(this.n, hit)) {
        const weekly = sum(demand, from, to) / (to - from + 1);
        const a = sum(row.available, from, to);
        const ratio = a > 0 ? sum(demand, from, to) / a : Infinity;
        // A peak of little work against ample capacity is no news for a coordinator.
        if (ratio < PEAK_MIN_UTILIZATION) continue;
        findings.push({
          kind: 'seasonal-peak',
          severity: ratio >= warning ? 'warning' : 'info',
          type: row.type,
          ...this.span(from, to),
          metrics: {
            weeks: to - from + 1,
            weeklyDemandHours: round1(weekly),
            periodMeanWeeklyHours: round1(mean),
            factor: Math.round((weekly / mean) * 10) / 10,
            demandRatio: Number.isFinite(ratio) ? round3(ratio) : -1,
          },
        });
      }
    }
    return findings;
  }

  /**
   * Eligibility class: machines by type; staff by type and required qualification. The peak of
   * simultaneous bookings and requests (at their asked-for times) against the resources that may
   * serve them.
   */
  capacity(): Finding[] {
    const model = this.model;
    const classes = new Map<
      string,
      { type: string; qualification: string | null; events: [number, number][] }
    >();
    const push = (type: string, qualification: string | null, start: number, end: number) => {
      const key = `${type}\u0000${qualification ?? ''}`;
      const c = classes.get(key) ?? { type, qualification, events: [] };
      c.events.push([start, 1], [end, -1]);
      classes.set(key, c);
    };
    for (const b of model.bookings) {
      const r = this.resourceById.get(b.resourceId);
      if (!r) continue;
      push(r.type, r.kind === 'staff' ? (b.requiredQualification ?? null) : null, b.start, b.end);
    }
    for (const q of model.requests) {
      const kind = this.ofType(q.type)[0]?.kind ?? 'machine';
      push(q.type, kind === 'staff' ? (q.requiredQualification ?? null) : null, q.start, q.end);
    }
    const findings: Finding[] = [];
    for (const c of [...classes.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
      c.events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let level = 0;
      let max = 0;
      let at = c.events[0]?.[0] ?? 0;
      for (const [t, delta] of c.events) {
        level += delta;
        if (level > max) {
          max = level;
          at = t;
        }
      }
      const eligible = model.resources.filter(
        (r) => r.type === c.type && (!c.qualification || r.qualifications.includes(c.qualification)),
      ).length;
      if (max <= eligible) continue;
      const w = weekIndexAt(this.weeks, at);
      if (w < 0) continue;
      findings.push({
        kind: 'capacity',
        severity: 'critical',
        type: c.type,
        ...(c.qualification ? { qualification: c.qualification } : {}),
        ...this.span(w, w),
        at: { peak: at },
        metrics: { maxConcurrent: max, eligibleResources: eligible },
      });
    }
    return findings;
  }

  /** Machines that fall due for inspection inside the period (or are overdue already). */
  inspections(): Finding[] {
    return this.unusableFrom('inspection-due', (r) => r.inspectionDue ?? null, 'due');
  }

  retirements(): Finding[] {
    return this.unusableFrom('retired', (r) => r.retiredAt ?? null, 'retired');
  }

  private unusableFrom(
    kind: 'inspection-due' | 'retired',
    from: (r: SolverResource) => number | null,
    label: string,
  ): Finding[] {
    const findings: Finding[] = [];
    const { start, end } = this.model.period;
    for (const r of this.model.resources) {
      const t = from(r);
      if (t === null || t >= end) continue;
      const after = this.model.bookings.filter((b) => b.resourceId === r.id && b.end > t);
      const w = Math.max(0, weekIndexAt(this.weeks, Math.max(t, start)));
      findings.push({
        kind,
        severity: after.length > 0 ? 'critical' : 'warning',
        type: r.type,
        resourceId: r.id,
        ...this.span(w, this.n - 1),
        at: { [label]: t },
        bookingIds: after.map((b) => b.id),
        municipalityIds: [...new Set(after.map((b) => b.municipalityId))].sort(),
        metrics: {
          bookingsAfter: after.length,
          bookedHoursAfter: round1(after.reduce((s, b) => s + (b.end - Math.max(b.start, t)), 0) / 3_600_000),
          beforePeriod: t < start ? 1 : 0,
        },
      });
    }
    return findings;
  }
}

function sum(a: Float64Array | number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += a[i];
  return s;
}

function mostCommon<T>(values: T[]): T | null {
  const counts = new Map<T, number>();
  let best: T | null = null;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}
