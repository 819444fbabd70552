import {
  formatHours,
  formatInstant,
  formatPercent,
  spreadOverWeeks,
  typeName,
  weekIndexAt,
  weekLabel,
  weekRuns,
  weeksOf,
  type Week,
} from './calendar';
import type { DiagnoseOptions, Finding, PoolModel, Severity, SolverResource, Text } from './model';

/**
 * Severity thresholds (ratios are hours asked for / hours available in the weeks of a finding):
 * - utilization of a type: (booked + requested) / available ≥ 0.85 is a warning, ≥ 1.0 critical:
 *   from 85 % on a pool has no slack left for breakdowns and emergencies.
 * - utilization of one resource: booked / available ≥ 0.9 is a warning, > 1.0 critical (booked
 *   beyond its available hours: the input plan itself breaks the rules).
 * - unmet demand: critical with any emergency request, warning from 3 requests or 16 h, else info.
 * - skills short: demand / qualified staff hours ≥ 0.85 warning, > 1.0 or no qualified staff
 *   at all critical.
 * - seasonal peak: a week ≥ 2 × the type's weekly mean (and ≥ 8 h) is info, ≥ 3 × a warning;
 *   only for periods of at least 8 weeks (a shorter period has no season to compare with).
 * - capacity: more bookings and requests of one eligibility class at one moment than resources
 *   that may serve them is critical (someone cannot be served at that time, whatever the plan).
 */
const DEFAULTS = {
  utilizationWarning: 0.85,
  utilizationCritical: 1.0,
  resourceUtilizationWarning: 0.9,
  peakFactor: 2,
};
const UNMET_WARNING_REQUESTS = 3;
const UNMET_WARNING_HOURS = 16;
const SKILLS_WARNING = 0.85;
const PEAK_WARNING_FACTOR = 3;
const PEAK_MIN_HOURS = 8;
const PEAK_MIN_WEEKS = 8;

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function diagnose(model: PoolModel, options: DiagnoseOptions = {}): Finding[] {
  const o = { ...DEFAULTS, ...options };
  const weeks = weeksOf(model.period);
  if (weeks.length === 0) return [];
  const d = new Diagnosis(model, weeks);
  const findings = [
    ...d.typeUtilization(o.utilizationWarning, o.utilizationCritical),
    ...d.resourceUtilization(o.resourceUtilizationWarning),
    ...d.unmetDemand(),
    ...d.skillsShort(),
    ...d.seasonalPeaks(o.peakFactor),
    ...d.capacity(),
  ];
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.period.start - b.period.start ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  );
}

class Diagnosis {
  private readonly n: number;
  private readonly resourceById: Map<string, SolverResource>;
  private readonly types: string[];

  constructor(
    private readonly model: PoolModel,
    private readonly weeks: Week[],
  ) {
    this.n = weeks.length;
    this.resourceById = new Map(model.resources.map((r) => [r.id, r]));
    this.types = [
      ...new Set([...model.resources.map((r) => r.type), ...model.requests.map((q) => q.type)]),
    ].sort();
  }

  private zeros(): Float64Array {
    return new Float64Array(this.n);
  }

  private availableHours(resources: SolverResource[]): Float64Array {
    const out = this.zeros();
    for (const r of resources) for (const a of r.available) spreadOverWeeks(this.weeks, a.start, a.end, out);
    return out;
  }

  private bookedHours(resourceIds: Set<string>): Float64Array {
    const out = this.zeros();
    for (const b of this.model.bookings)
      if (resourceIds.has(b.resourceId)) spreadOverWeeks(this.weeks, b.start, b.end, out);
    return out;
  }

  private requestHours(type: string): {
    hours: Float64Array;
    count: Float64Array;
    emergencies: Float64Array;
  } {
    const hours = this.zeros();
    const count = this.zeros();
    const emergencies = this.zeros();
    for (const q of this.model.requests) {
      if (q.type !== type) continue;
      spreadOverWeeks(this.weeks, q.start, q.end, hours);
      const w = weekIndexAt(this.weeks, q.start);
      if (w < 0) continue;
      count[w]++;
      if (q.priority === 'emergency') emergencies[w]++;
    }
    return { hours, count, emergencies };
  }

  private period(from: number, to: number): { start: number; end: number } {
    return { start: this.weeks[from].start, end: this.weeks[to].end };
  }

  private ofType(type: string): SolverResource[] {
    return this.model.resources.filter((r) => r.type === type);
  }

  typeUtilization(warning: number, critical: number): Finding[] {
    const findings: Finding[] = [];
    for (const type of this.types) {
      const resources = this.ofType(type);
      const available = this.availableHours(resources);
      const booked = this.bookedHours(new Set(resources.map((r) => r.id)));
      const requested = this.requestHours(type);
      const demand = (w: number) => booked[w] + requested.hours[w];
      const hit = (w: number) => (available[w] > 0 ? demand(w) / available[w] >= warning : demand(w) > 0);
      for (const [from, to] of weekRuns(this.n, hit)) {
        const a = sum(available, from, to);
        const b = sum(booked, from, to);
        const r = sum(requested.hours, from, to);
        const count = sum(requested.count, from, to);
        const ratio = a > 0 ? (b + r) / a : Infinity;
        const names = typeName(this.model, type);
        const label = weekLabel(this.weeks, from, to);
        const pct = Number.isFinite(ratio) ? formatPercent(ratio) : '∞ %';
        findings.push({
          kind: 'utilization',
          severity: ratio >= critical ? 'critical' : 'warning',
          type,
          period: this.period(from, to),
          metrics: {
            weeks: to - from + 1,
            availableHours: round1(a),
            bookedHours: round1(b),
            requestedHours: round1(r),
            requests: count,
            utilization: a > 0 ? round3(b / a) : 0,
            demandRatio: Number.isFinite(ratio) ? round3(ratio) : -1,
          },
          text: {
            de: `${names.de} ${label.de}: ${pct} der verfügbaren Stunden${count > 0 ? `, ${count} ${count === 1 ? 'Anfrage' : 'Anfragen'} auf der Warteliste` : ''}`,
            en: `${capitalize(names.en)}, ${label.en}: ${pct} of available hours${count > 0 ? `, ${count} ${count === 1 ? 'request' : 'requests'} on the waitlist` : ''}`,
          },
        });
      }
    }
    return findings;
  }

  resourceUtilization(warning: number): Finding[] {
    const findings: Finding[] = [];
    for (const r of this.model.resources) {
      const available = this.availableHours([r]);
      const booked = this.bookedHours(new Set([r.id]));
      const hit = (w: number) => (available[w] > 0 ? booked[w] / available[w] >= warning : booked[w] > 0);
      for (const [from, to] of weekRuns(this.n, hit)) {
        const a = sum(available, from, to);
        const b = sum(booked, from, to);
        const ratio = a > 0 ? b / a : Infinity;
        const label = weekLabel(this.weeks, from, to);
        const pct = Number.isFinite(ratio) ? formatPercent(ratio) : '∞ %';
        findings.push({
          kind: 'utilization',
          severity: ratio > 1 ? 'critical' : 'warning',
          type: r.type,
          resourceId: r.id,
          period: this.period(from, to),
          metrics: {
            weeks: to - from + 1,
            availableHours: round1(a),
            bookedHours: round1(b),
            utilization: Number.isFinite(ratio) ? round3(ratio) : -1,
          },
          text: {
            de: `${r.name} ${label.de}: ${pct} der verfügbaren Stunden gebucht`,
            en: `${r.name}, ${label.en}: ${pct} of available hours booked`,
          },
        });
      }
    }
    return findings;
  }

  unmetDemand(): Finding[] {
    const findings: Finding[] = [];
    for (const type of this.types) {
      const { hours, count, emergencies } = this.requestHours(type);
      for (const [from, to] of weekRuns(this.n, (w) => count[w] > 0)) {
        const n = sum(count, from, to);
        const h = sum(hours, from, to);
        const e = sum(emergencies, from, to);
        const bySource = { waitlist: 0, displaced: 0, refused: 0 };
        for (const q of this.model.requests)
          if (q.type === type && q.start >= this.weeks[from].start && q.start < this.weeks[to].end)
            bySource[q.source]++;
        const severity: Severity =
          e > 0 ? 'critical' : n >= UNMET_WARNING_REQUESTS || h >= UNMET_WARNING_HOURS ? 'warning' : 'info';
        const names = typeName(this.model, type);
        const label = weekLabel(this.weeks, from, to);
        const hoursText = formatHours(h);
        findings.push({
          kind: 'unmet-demand',
          severity,
          type,
          period: this.period(from, to),
          metrics: { requests: n, hours: round1(h), emergencies: e, ...bySource },
          text: {
            de: `${names.de} ${label.de}: ${n} ${n === 1 ? 'offene Anfrage' : 'offene Anfragen'} (${hoursText.de})${e > 0 ? `, davon ${e} ${e === 1 ? 'Notfall' : 'Notfälle'}` : ''}`,
            en: `${capitalize(names.en)}, ${label.en}: ${n} unmet ${n === 1 ? 'request' : 'requests'} (${hoursText.en})${e > 0 ? `, ${e} of them ${e === 1 ? 'an emergency' : 'emergencies'}` : ''}`,
          },
        });
      }
    }
    return findings;
  }

  /**
   * Hours that need a qualified person from the pool (operator bookings, staff bookings and
   * requests that name a qualification, machine requests whose machine needs an operator) against
   * the available hours of staff holding it. Machine bookings without an operator booking are
   * left out: the municipality operates the machine itself.
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
    for (const type of this.types)
      typeQualification.set(type, mostCommon(this.ofType(type).map((r) => r.requiredQualification)));
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
      const supply = this.availableHours(staff);
      const hit = (w: number) => need[w] > 0 && (supply[w] <= 0 || need[w] / supply[w] >= SKILLS_WARNING);
      for (const [from, to] of weekRuns(this.n, hit)) {
        const n = sum(need, from, to);
        const s = sum(supply, from, to);
        const ratio = s > 0 ? n / s : Infinity;
        const label = weekLabel(this.weeks, from, to);
        const need1 = formatHours(n);
        const supply1 = formatHours(s);
        findings.push({
          kind: 'skills-short',
          severity: ratio > 1 ? 'critical' : 'warning',
          qualification,
          period: this.period(from, to),
          metrics: {
            weeks: to - from + 1,
            demandHours: round1(n),
            qualifiedStaffHours: round1(s),
            qualifiedStaff: staff.length,
            ratio: Number.isFinite(ratio) ? round3(ratio) : -1,
          },
          text: {
            de: `Fachkräfte mit „${qualification}“ ${label.de}: ${need1.de} Bedarf, ${supply1.de} verfügbar (${staff.length} ${staff.length === 1 ? 'Person' : 'Personen'})`,
            en: `Staff qualified for "${qualification}", ${label.en}: ${need1.en} needed, ${supply1.en} available (${staff.length} ${staff.length === 1 ? 'person' : 'people'})`,
          },
        });
      }
    }
    return findings;
  }

  seasonalPeaks(factor: number): Finding[] {
    if (this.n < PEAK_MIN_WEEKS) return [];
    const findings: Finding[] = [];
    for (const type of this.types) {
      const booked = this.bookedHours(new Set(this.ofType(type).map((r) => r.id)));
      const requested = this.requestHours(type).hours;
      const demand = booked.map((b, w) => b + requested[w]);
      const mean = sum(demand, 0, this.n - 1) / this.n;
      if (mean <= 0) continue;
      const hit = (w: number) => demand[w] >= factor * mean && demand[w] >= PEAK_MIN_HOURS;
      for (const [from, to] of weekRuns(this.n, hit)) {
        const weekly = sum(demand, from, to) / (to - from + 1);
        const peak = Math.max(...demand.slice(from, to + 1));
        const names = typeName(this.model, type);
        const label = weekLabel(this.weeks, from, to);
        const weeklyText = formatHours(weekly);
        const meanText = formatHours(mean);
        const times = Math.round((weekly / mean) * 10) / 10;
        findings.push({
          kind: 'seasonal-peak',
          severity: peak >= PEAK_WARNING_FACTOR * mean ? 'warning' : 'info',
          type,
          period: this.period(from, to),
          metrics: {
            weeks: to - from + 1,
            weeklyDemandHours: round1(weekly),
            meanWeeklyHours: round1(mean),
            factor: times,
          },
          text: {
            de: `${names.de} ${label.de}: Saisonspitze mit ${weeklyText.de} Bedarf je Woche, ${String(times).replace('.', ',')}-mal das Jahresmittel (${meanText.de})`,
            en: `${capitalize(names.en)}, ${label.en}: seasonal peak of ${weeklyText.en} demand per week, ${times} times the yearly mean (${meanText.en})`,
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
      const names = typeName(model, c.type);
      const suffix: Text = c.qualification
        ? { de: ` („${c.qualification}“)`, en: ` ("${c.qualification}")` }
        : { de: '', en: '' };
      const when = formatInstant(at);
      const label = weekLabel(this.weeks, w, w);
      findings.push({
        kind: 'capacity',
        severity: 'critical',
        type: c.type,
        ...(c.qualification ? { qualification: c.qualification } : {}),
        period: this.period(w, w),
        metrics: { maxConcurrent: max, eligibleResources: eligible, at },
        text: {
          de: `${names.de}${suffix.de} ${label.de}: ${max} Einsätze gleichzeitig (${when.de}), aber nur ${eligible} geeignete ${eligible === 1 ? 'Einheit' : 'Einheiten'}`,
          en: `${capitalize(names.en)}${suffix.en}, ${label.en}: ${max} jobs at the same time (${when.en}) but only ${eligible} eligible ${eligible === 1 ? 'unit' : 'units'}`,
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

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
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
