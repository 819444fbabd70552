import type {
  Change,
  Figures,
  Finding,
  InvestmentDetail,
  NothingFound,
  ProposalBound,
} from '@allmende/solver';
import type { ProposalEntity, SolverRunEntity } from '@allmende/database';
import { renderFinding } from './findings';
import { isoLocal, isoUtc, isoWeek, type Language } from './format';
import { qualificationLabel, typeLabel } from './labels';
import { EMPTY_NAMES, type NameBook, Names } from './names';
import { renderInvestment, renderNothingFound, renderProposal, renderReason } from './proposals';

/**
 * Facts of a run as a response: every instant in UTC with its Europe/Berlin form beside it, every
 * id with its name, and the words in the caller's language. The one place that turns planning
 * facts into what people read.
 */

export interface Named {
  id: string;
  name: string;
}

export interface PeriodView {
  start: string;
  startLocal: string;
  end: string;
  endLocal: string;
  /** ISO weeks, e.g. 2026-W19. */
  weekFrom: string;
  weekTo: string;
}

export interface FindingView {
  kind: Finding['kind'];
  severity: Finding['severity'];
  type: string | null;
  typeLabel: string | null;
  resourceId: string | null;
  resourceName: string | null;
  qualification: string | null;
  qualificationLabel: string | null;
  period: PeriodView;
  /** Over-capacity findings: every week in which demand exceeds capacity. */
  weeks: string[] | null;
  metrics: Record<string, number>;
  /** Instants the finding speaks of (peak, due, retired). */
  at: Record<string, { instant: string; local: string }>;
  municipalities: Named[];
  bookings: { id: string; label: string }[];
  text: string;
}

export interface ChangeView {
  bookingId: string | null;
  bookingLabel: string | null;
  requestId: string | null;
  requestLabel: string | null;
  role: 'resource' | 'operator';
  municipalityId: string | null;
  municipalityName: string | null;
  fromResourceId: string | null;
  fromResourceName: string | null;
  toResourceId: string;
  toResourceName: string;
  fromStart: string | null;
  fromStartLocal: string | null;
  fromEnd: string | null;
  fromEndLocal: string | null;
  toStart: string;
  toStartLocal: string;
  toEnd: string;
  toEndLocal: string;
}

export interface ShareView {
  municipalityId: string;
  municipalityName: string;
  amountCents: number;
  usageHours: number;
}

export interface InvestmentView extends Omit<InvestmentDetail, 'shares'> {
  typeLabel: string;
  modelledOnResourceName: string;
  shares: ShareView[];
  text: string;
}

export interface ProposalView {
  id: string;
  runId: string;
  poolId: string;
  kind: ProposalEntity['kind'];
  status: ProposalEntity['status'];
  changes: ChangeView[];
  gain: {
    requestsServed: number;
    transportMinutesSaved: number;
    extraTransportMinutes: number;
    changedBookings: number;
  };
  municipalitiesAffected: Named[];
  resourceId: string | null;
  resourceName: string | null;
  explanation: string;
  investment: InvestmentView | null;
  bound: ProposalBound | null;
  appliedAt: string | null;
  appliedAtLocal: string | null;
}

export interface NothingFoundView {
  reason: NothingFound['reason'];
  waiting: number;
  requests: {
    requestId: string;
    requestLabel: string;
    municipalityId: string | null;
    municipalityName: string | null;
    reason: NothingFound['reason'];
    reasonText: string;
  }[];
  text: string;
}

export interface TypeWeekView {
  type: string;
  typeLabel: string;
  week: string;
  start: string;
  startLocal: string;
  end: string;
  endLocal: string;
  bookedHours: number;
  resourceHours: number;
  operatorHours: number | null;
  availableHours: number;
  utilization: number;
  unmetHours: number;
  unmetRequests: number;
  estimatedHours: number;
  demandRatio: number;
  overCapacity: boolean;
}

export interface ResourceWeekView {
  resourceId: string;
  resourceName: string;
  type: string;
  typeLabel: string;
  week: string;
  start: string;
  startLocal: string;
  end: string;
  endLocal: string;
  bookedHours: number;
  availableHours: number;
  utilization: number;
}

export interface FiguresView {
  types: TypeWeekView[];
  resources: ResourceWeekView[] | null;
}

export function namesOf(run: Pick<SolverRunEntity, 'names'>): Names {
  return new Names((run.names as NameBook | null) ?? EMPTY_NAMES);
}

function named(ids: readonly string[], names: Names, lang: Language): Named[] {
  return ids.map((id) => ({ id, name: names.municipality(id, lang) }));
}

export function presentFinding(f: Finding, names: Names, lang: Language): FindingView {
  return {
    kind: f.kind,
    severity: f.severity,
    type: f.type ?? null,
    typeLabel: f.type ? typeLabel(f.type, lang, true) : null,
    resourceId: f.resourceId ?? null,
    resourceName: f.resourceId ? names.resource(f.resourceId, lang) : null,
    qualification: f.qualification ?? null,
    qualificationLabel: f.qualification ? qualificationLabel(f.qualification, lang) : null,
    period: {
      start: isoUtc(f.period.start),
      startLocal: isoLocal(f.period.start),
      end: isoUtc(f.period.end),
      endLocal: isoLocal(f.period.end),
      weekFrom: isoWeek(f.weeks.from),
      weekTo: isoWeek(f.weeks.to),
    },
    weeks: f.weekList ? f.weekList.map(isoWeek) : null,
    metrics: f.metrics,
    at: Object.fromEntries(
      Object.entries(f.at ?? {}).map(([k, t]) => [k, { instant: isoUtc(t), local: isoLocal(t) }]),
    ),
    municipalities: named(f.municipalityIds ?? [], names, lang),
    bookings: (f.bookingIds ?? []).map((id) => ({ id, label: names.booking(id, lang) })),
    text: renderFinding(f, names, lang),
  };
}

export function presentChange(c: Change, names: Names, lang: Language): ChangeView {
  const booking = names.bookingOf(c.bookingId);
  const request = names.requestOf(c.requestId);
  const municipalityId = booking?.municipalityId ?? request?.municipalityId ?? null;
  const at = (t: number | undefined) => (t === undefined ? null : isoUtc(t));
  const local = (t: number | undefined) => (t === undefined ? null : isoLocal(t));
  return {
    bookingId: c.bookingId ?? null,
    bookingLabel: c.bookingId ? names.booking(c.bookingId, lang) : null,
    requestId: c.requestId ?? null,
    requestLabel: c.requestId ? names.request(c.requestId, lang) : null,
    role: c.role ?? 'resource',
    municipalityId,
    municipalityName: municipalityId ? names.municipality(municipalityId, lang) : null,
    fromResourceId: c.fromResourceId ?? null,
    fromResourceName: c.fromResourceId ? names.resource(c.fromResourceId, lang) : null,
    toResourceId: c.toResourceId,
    toResourceName: names.resource(c.toResourceId, lang),
    fromStart: at(c.fromStart),
    fromStartLocal: local(c.fromStart),
    fromEnd: at(c.fromEnd),
    fromEndLocal: local(c.fromEnd),
    toStart: isoUtc(c.toStart),
    toStartLocal: isoLocal(c.toStart),
    toEnd: isoUtc(c.toEnd),
    toEndLocal: isoLocal(c.toEnd),
  };
}

export function presentInvestment(d: InvestmentDetail, names: Names, lang: Language): InvestmentView {
  const { shares, ...rest } = d;
  return {
    ...rest,
    typeLabel: typeLabel(d.type, lang),
    modelledOnResourceName: names.resource(d.modelledOnResourceId, lang),
    shares: shares.map((s) => ({
      municipalityId: s.municipalityId,
      municipalityName: names.municipality(s.municipalityId, lang),
      amountCents: s.cents,
      usageHours: s.usageHours ?? 0,
    })),
    text: renderInvestment(d, names, lang),
  };
}

export function presentProposal(p: ProposalEntity, names: Names, lang: Language): ProposalView {
  const changes = p.changes as Change[];
  const investment = (p.investment as InvestmentDetail | null) ?? null;
  const gain = p.gain;
  const explanation =
    // Runs stored before facts were rendered per request kept their words.
    p.explanation !== null
      ? p.explanation[lang]
      : renderProposal(
          {
            kind: p.kind,
            changes,
            gain,
            municipalitiesAffected: p.municipalitiesAffected,
            investment,
            bound: p.bound,
            resourceId: p.resourceId,
          },
          names,
          lang,
        );
  return {
    id: p.id,
    runId: p.runId,
    poolId: p.poolId,
    kind: p.kind,
    status: p.status,
    changes: changes.map((c) => presentChange(c, names, lang)),
    gain: {
      requestsServed: gain.requestsServed ?? 0,
      transportMinutesSaved: Math.max(0, gain.transportMinutesSaved ?? 0),
      extraTransportMinutes: Math.max(0, gain.extraTransportMinutes ?? -(gain.transportMinutesSaved ?? 0)),
      changedBookings: gain.changedBookings ?? 0,
    },
    municipalitiesAffected: named(p.municipalitiesAffected, names, lang),
    resourceId: p.resourceId ?? null,
    resourceName: p.resourceId ? names.resource(p.resourceId, lang) : null,
    explanation,
    investment: investment && 'mode' in investment ? presentInvestment(investment, names, lang) : null,
    bound: p.bound,
    appliedAt: p.appliedAt ? isoUtc(p.appliedAt.getTime()) : null,
    appliedAtLocal: p.appliedAt ? isoLocal(p.appliedAt.getTime()) : null,
  };
}

export function presentNothingFound(n: NothingFound, names: Names, lang: Language): NothingFoundView {
  return {
    reason: n.reason,
    waiting: n.waiting,
    requests: n.requests.map((r) => {
      const q = names.requestOf(r.requestId);
      return {
        requestId: r.requestId,
        requestLabel: names.request(r.requestId, lang),
        municipalityId: q?.municipalityId ?? null,
        municipalityName: q ? names.municipality(q.municipalityId, lang) : null,
        reason: r.reason,
        reasonText: renderReason(r.reason, lang),
      };
    }),
    text: renderNothingFound(n, names, lang),
  };
}

export function presentFigures(
  figures: Figures,
  names: Names,
  lang: Language,
  perResource: boolean,
): FiguresView {
  return {
    types: figures.types.map((f) => ({
      type: f.type,
      typeLabel: typeLabel(f.type, lang, true),
      week: isoWeek(f.week),
      start: isoUtc(f.start),
      startLocal: isoLocal(f.start),
      end: isoUtc(f.end),
      endLocal: isoLocal(f.end),
      bookedHours: f.bookedHours,
      resourceHours: f.resourceHours,
      operatorHours: f.operatorHours,
      availableHours: f.availableHours,
      utilization: f.utilization,
      unmetHours: f.unmetHours,
      unmetRequests: f.unmetRequests,
      estimatedHours: f.estimatedHours,
      demandRatio: f.demandRatio,
      overCapacity: f.overCapacity,
    })),
    resources:
      perResource && figures.resources
        ? figures.resources.map((f) => ({
            resourceId: f.resourceId,
            resourceName: names.resource(f.resourceId, lang),
            type: f.type,
            typeLabel: typeLabel(f.type, lang),
            week: isoWeek(f.week),
            start: isoUtc(f.start),
            startLocal: isoLocal(f.start),
            end: isoUtc(f.end),
            endLocal: isoLocal(f.end),
            bookedHours: f.bookedHours,
            availableHours: f.availableHours,
            utilization: f.utilization,
          }))
        : null,
  };
}
