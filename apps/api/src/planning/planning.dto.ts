import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ProposalEntity, SolverRunEntity, StoredExactCheck, StoredProposalBound } from '@allmende/database';
import {
  isoLocal,
  isoUtc,
  namesOf,
  presentFigures,
  presentFinding,
  presentInvestment,
  presentNothingFound,
  presentProposal,
  renderInvestmentSummary,
  type Language,
  type RunView,
} from '@allmende/planning';
import type { Figures, Finding, InvestmentDetail, NothingFound } from '@allmende/solver';
import { IsInstant } from '../common/instant';
import { MembershipScenarioDto } from '../pools/membership-scenario.dto';
import { local } from '../common/dates';

export class RunQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'also the figures per resource and week (figures.resources)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  perResource?: string;
}

export class PeriodQuery extends RunQuery {
  @ApiProperty({ example: '2026-01-01T00:00:00+01:00' }) @IsInstant() from: string;
  @ApiProperty({ example: '2026-12-31T00:00:00+01:00' }) @IsInstant() to: string;
}

export class ProposalRequestDto {
  @ApiProperty({ example: '2026-01-01T00:00:00+01:00' }) @IsInstant() from: string;
  @ApiProperty({ example: '2026-12-31T00:00:00+01:00' }) @IsInstant() to: string;
  @ApiPropertyOptional({ default: 10, description: 'search time in seconds' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(120)
  timeLimitSeconds?: number;
}

const WEIGHTED =
  'Weighted: a normal request counts 1, an emergency 10 (without emergencies, a number of requests).';

export class TextResponse {
  @ApiProperty() de: string;
  @ApiProperty() en: string;
}

/**
 * A reassignment's exact check: the subproblems (one resource type, requests close in time) its
 * requests lie in, solved exactly with HiGHS, every other booking kept where the plan has it.
 */
export class ProposalBoundResponse {
  @ApiProperty({ description: 'Subproblems (time windows of one resource type) solved exactly.' })
  subproblems: number;
  @ApiProperty({ description: 'Waiting requests in those windows (this and other proposals).' })
  requests: number;
  @ApiProperty({ description: `Served in those windows by the plan the proposals come from. ${WEIGHTED}` })
  served: number;
  @ApiProperty({
    description: `Upper bound: no plan serves more in those windows (at the booked or requested start, the planned start or a quarter hour of a flexible window). ${WEIGHTED}`,
  })
  servableBound: number;
  @ApiProperty({ description: 'served reaches servableBound in every window: proven optimal there.' })
  proven: boolean;
}

export class ExactWindowResponse {
  @ApiProperty({ example: 'street-sweeper' }) type: string;
  @ApiProperty({ description: 'start of the window (earliest request start), UTC' }) from: string;
  @ApiProperty({ description: 'end of the window (latest request end), UTC; half-open' }) to: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) fromLocal: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) toLocal: string;
  @ApiProperty({ description: 'waiting requests in the window' }) requests: number;
  @ApiProperty({ description: 'movable bookings of the type inside the window, re-placed with them' })
  bookings: number;
  @ApiProperty({ description: `Served by the local search alone. ${WEIGHTED}` }) servedBefore: number;
  @ApiProperty({ description: `Served by the final plan. ${WEIGHTED}` }) served: number;
  @ApiProperty({ description: `Upper bound on what the window can serve. ${WEIGHTED}` })
  servableBound: number;
  @ApiProperty({ description: 'served reaches servableBound: no plan serves more here' }) proven: boolean;
  @ApiProperty({ description: "the exact plan replaced the local search's in this window" })
  improved: boolean;
}

/** What HiGHS found on a proposal run's subproblems, summed, and per window. */
export class RunExactResponse extends ProposalBoundResponse {
  @ApiProperty({ type: [ExactWindowResponse] }) windows: ExactWindowResponse[];
}

const INSTANT = 'UTC (ISO 8601, Z)';
const LOCAL = 'the same instant as Europe/Berlin wall clock with its offset';

export class NamedResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class ChangeResponse {
  @ApiPropertyOptional({ nullable: true, type: String }) bookingId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'whose booking, which resource, when' })
  bookingLabel: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'whose request, which type, when' })
  requestLabel: string | null;
  @ApiProperty({ enum: ['resource', 'operator'] }) role: string;
  @ApiPropertyOptional({ nullable: true, type: String }) municipalityId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) municipalityName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) fromResourceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) fromResourceName: string | null;
  @ApiProperty() toResourceId: string;
  @ApiProperty() toResourceName: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: INSTANT }) fromStart: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: LOCAL }) fromStartLocal: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: INSTANT }) fromEnd: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: LOCAL }) fromEndLocal: string | null;
  @ApiProperty({ description: INSTANT }) toStart: string;
  @ApiProperty({ description: LOCAL }) toStartLocal: string;
  @ApiProperty({ description: INSTANT }) toEnd: string;
  @ApiProperty({ description: LOCAL }) toEndLocal: string;
}

export class GainResponse {
  @ApiProperty() requestsServed: number;
  @ApiProperty({ description: 'minutes of transport saved (never negative)' }) transportMinutesSaved: number;
  @ApiProperty({ description: 'minutes of transport the proposal adds (serving a request may need a trip)' })
  extraTransportMinutes: number;
  @ApiProperty() changedBookings: number;
}

export class ShareResponse {
  @ApiProperty() municipalityId: string;
  @ApiProperty() municipalityName: string;
  @ApiProperty({ description: 'integer euro cents; the shares add up to the cost exactly' })
  amountCents: number;
  @ApiProperty({ description: 'booked and unmet hours of the type: the basis of the usage part' })
  usageHours: number;
}

export class InvestmentResponse {
  @ApiProperty({ example: 'street-sweeper' }) type: string;
  @ApiProperty({ example: 'Kehrmaschine' }) typeLabel: string;
  @ApiProperty({ enum: ['buy', 'lease'] }) mode: string;
  @ApiProperty({ description: 'how many more units' }) units: number;
  @ApiProperty() modelledOnResourceId: string;
  @ApiProperty() modelledOnResourceName: string;
  @ApiProperty() unmetHoursBefore: number;
  @ApiProperty() unmetHoursServed: number;
  @ApiProperty() unmetRequestsBefore: number;
  @ApiProperty() requestsServed: number;
  @ApiProperty() weeksOverCapacity: number;
  @ApiProperty({ description: "the type's (booked + unmet) / available hours before" })
  utilizationBefore: number;
  @ApiProperty({ description: 'the same with the new units' }) utilizationAfter: number;
  @ApiProperty({ description: "the new units' own utilization in the period" }) newUnitsUtilization: number;
  @ApiProperty({ description: 'buy: annual fixed cost; lease: the lease for the weeks needed (cents)' })
  annualCostCents: number;
  @ApiPropertyOptional({ description: 'lease only' }) leaseWeeks?: number;
  @ApiProperty({ enum: ['population', 'equal', 'usage', 'shares', 'mixed'] }) costSharingKey: string;
  @ApiProperty({ type: [ShareResponse] }) shares: ShareResponse[];
  @ApiProperty({ description: 'the advice in words (Accept-Language)' }) text: string;
}

export class ProposalResponse {
  @ApiProperty() id: string;
  @ApiProperty() runId: string;
  @ApiProperty() poolId: string;
  @ApiProperty({ enum: ['reassignment', 'trip-order', 'investment'] }) kind: ProposalEntity['kind'];
  @ApiProperty({ enum: ['open', 'applied', 'stale'] }) status: ProposalEntity['status'];
  @ApiProperty({ type: [ChangeResponse], description: 'booking moves and served requests, with names' })
  changes: ChangeResponse[];
  @ApiProperty({ type: GainResponse }) gain: GainResponse;
  @ApiProperty({ type: [NamedResponse] }) municipalitiesAffected: NamedResponse[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'trip orders: the resource' })
  resourceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceName: string | null;
  @ApiProperty({ description: 'why, in the language of Accept-Language (de by default, en)' })
  explanation: string;
  @ApiPropertyOptional({ type: InvestmentResponse, nullable: true, description: 'investment proposals only' })
  investment: InvestmentResponse | null;
  @ApiPropertyOptional({
    type: ProposalBoundResponse,
    nullable: true,
    description:
      'Reassignments whose requests lie in exactly checked windows: how far from the best possible. Null otherwise.',
  })
  bound: ProposalBoundResponse | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: INSTANT }) appliedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: LOCAL }) appliedAtLocal: string | null;
}

export class PeriodResponse {
  @ApiProperty({ description: INSTANT }) start: string;
  @ApiProperty({ description: LOCAL }) startLocal: string;
  @ApiProperty({ description: INSTANT }) end: string;
  @ApiProperty({ description: LOCAL }) endLocal: string;
  @ApiProperty({ example: '2026-W19' }) weekFrom: string;
  @ApiProperty({ example: '2026-W21' }) weekTo: string;
}

export class FindingResponse {
  @ApiProperty({
    enum: [
      'utilization',
      'over-capacity',
      'resource-utilization',
      'unmet-demand',
      'skills-short',
      'seasonal-peak',
      'capacity',
      'inspection-due',
      'retired',
    ],
  })
  kind: string;
  @ApiProperty({ enum: ['info', 'warning', 'critical'] }) severity: string;
  @ApiPropertyOptional({ nullable: true, type: String }) type: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Kehrmaschinen' }) typeLabel: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) qualification: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) qualificationLabel: string | null;
  @ApiProperty({ type: PeriodResponse }) period: PeriodResponse;
  @ApiPropertyOptional({ nullable: true, type: [String], description: 'over-capacity: the weeks' })
  weeks: string[] | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'hours, counts, ratios',
  })
  metrics: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'instants the finding speaks of: { peak | due | retired: { instant, local } }',
  })
  at: Record<string, { instant: string; local: string }>;
  @ApiProperty({ type: [NamedResponse] }) municipalities: NamedResponse[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: '{ id, label } of bookings concerned',
  })
  bookings: { id: string; label: string }[];
  @ApiProperty({ description: 'the finding in words (Accept-Language)' }) text: string;
}

export class NothingFoundResponse {
  @ApiProperty({
    enum: [
      'nothing-waiting',
      'all-in-past',
      'nothing-movable',
      'no-resource-of-type',
      'blocked-by-inspections',
      'blocked-by-operator-hours',
      'blocked-by-retirement',
      'fully-booked',
      'out-of-time',
    ],
  })
  reason: string;
  @ApiProperty({ description: 'waiting requests in the period' }) waiting: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'per request: label, municipality, reason',
  })
  requests: unknown[];
  @ApiProperty() text: string;
}

export class FiguresResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description:
      'per type and ISO week: bookedHours, resourceHours, operatorHours, availableHours, utilization, unmetHours, unmetRequests, estimatedHours, demandRatio, overCapacity',
  })
  types: unknown[];
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    nullable: true,
    description: 'per resource and week (perResource=true): bookedHours, availableHours, utilization',
  })
  resources: unknown[] | null;
}

export class SolverRunResponse {
  @ApiProperty() id: string;
  @ApiProperty() poolId: string;
  @ApiProperty({ enum: ['bottlenecks', 'proposals'] }) kind: SolverRunEntity['kind'];
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status: SolverRunEntity['status'];
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty({ enum: ['de', 'en'] }) language: Language;
  @ApiProperty({ description: INSTANT }) from: string;
  @ApiProperty({ description: LOCAL }) fromLocal: string;
  @ApiProperty({ description: INSTANT }) to: string;
  @ApiProperty({ description: LOCAL }) toLocal: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the present the run was computed for; nothing is proposed before it',
  })
  now: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: LOCAL }) nowLocal: string | null;
  @ApiProperty({ type: [FindingResponse], description: 'what is short, most severe first' })
  findings: FindingResponse[];
  @ApiPropertyOptional({ type: FiguresResponse, nullable: true }) figures: FiguresResponse | null;
  @ApiProperty({ type: [InvestmentResponse], description: 'where demand exceeds capacity for good' })
  investments: InvestmentResponse[];
  @ApiPropertyOptional({
    type: NothingFoundResponse,
    nullable: true,
    description: 'a proposal run that proposes nothing: why',
  })
  nothingFound: NothingFoundResponse | null;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ type: [ProposalResponse] }) proposals: ProposalResponse[];
  @ApiPropertyOptional({
    type: RunExactResponse,
    nullable: true,
    description:
      'Finished proposal runs: the subproblems HiGHS solved exactly (windows too large for it, or left when time ran out, are not among them). Null for diagnoses and unfinished runs.',
  })
  exact: RunExactResponse | null;
  @ApiProperty({ description: INSTANT }) createdAt: string;
  @ApiProperty({ description: LOCAL }) createdAtLocal: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: INSTANT }) finishedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: LOCAL }) finishedAtLocal: string | null;
}

export class InvestmentsResponse {
  @ApiProperty({ description: 'the diagnosis run the advice comes from' }) runId: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status: SolverRunEntity['status'];
  @ApiProperty({ enum: ['de', 'en'] }) language: Language;
  @ApiProperty({ description: INSTANT }) from: string;
  @ApiProperty({ description: LOCAL }) fromLocal: string;
  @ApiProperty({ description: INSTANT }) to: string;
  @ApiProperty({ description: LOCAL }) toLocal: string;
  @ApiProperty({ type: [InvestmentResponse] }) investments: InvestmentResponse[];
  @ApiProperty({
    type: [FindingResponse],
    description: 'the over-capacity and utilization findings behind it',
  })
  findings: FindingResponse[];
  @ApiProperty() text: string;
}

/** The planning side of the membership what-if: the shared scenario over a span of time. */
export class SimulationRequestDto extends MembershipScenarioDto {
  @ApiProperty({ example: '2026-05-01T00:00:00+02:00' }) @IsInstant() from: string;
  @ApiProperty({ example: '2026-10-01T00:00:00+02:00' }) @IsInstant() to: string;
}

export class SimulationResponse {
  @ApiProperty({ description: INSTANT }) from: string;
  @ApiProperty({ description: LOCAL }) fromLocal: string;
  @ApiProperty({ description: INSTANT }) to: string;
  @ApiProperty({ description: LOCAL }) toLocal: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'who joins, from when, with what demand (given or estimated)',
  })
  joins: unknown[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'who leaves, what drops out, which resources go',
  })
  leaves: unknown[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description:
      'per type, before and after: availableHours, demandHours, utilization, waitingHours, waitingRequests, excessHours, overCapacityWeeks',
  })
  types: unknown[];
  @ApiProperty({ type: [FindingResponse] }) bottlenecksBefore: FindingResponse[];
  @ApiProperty({ type: [FindingResponse] }) bottlenecksAfter: FindingResponse[];
  @ApiProperty({ type: [FindingResponse] }) newBottlenecks: FindingResponse[];
  @ApiProperty({ type: [FindingResponse] }) resolvedBottlenecks: FindingResponse[];
  @ApiProperty() text: string;
}

function mapBound(b: StoredProposalBound): ProposalBoundResponse {
  return {
    subproblems: b.subproblems,
    requests: b.requests,
    served: b.served,
    servableBound: b.servableBound,
    proven: b.proven,
  };
}

function mapWindow(c: StoredExactCheck): ExactWindowResponse {
  const from = new Date(c.window.start);
  const to = new Date(c.window.end);
  return {
    type: c.type,
    from: from.toISOString(),
    to: to.toISOString(),
    fromLocal: local(from),
    toLocal: local(to),
    requests: c.requests,
    bookings: c.tasks - c.requests,
    servedBefore: c.servedBefore,
    served: c.servedAfter,
    servableBound: c.servableBound,
    proven: c.provenOptimal,
    improved: c.improved,
  };
}

/** Sums the windows; proven only if at least one window was checked and every one is proven. */
function mapExact(checks: StoredExactCheck[]): RunExactResponse {
  return {
    subproblems: checks.length,
    requests: checks.reduce((s, c) => s + c.requests, 0),
    served: checks.reduce((s, c) => s + c.servedAfter, 0),
    servableBound: checks.reduce((s, c) => s + c.servableBound, 0),
    proven: checks.length > 0 && checks.every((c) => c.provenOptimal),
    windows: checks.map(mapWindow),
  };
}

export function mapProposal(
  p: ProposalEntity,
  run: Pick<SolverRunEntity, 'names'>,
  lang: Language,
): ProposalResponse {
  const view = presentProposal(p, namesOf(run), lang);
  return { ...view, bound: p.bound ? mapBound(p.bound) : null };
}

function at(d: Date | null): { utc: string | null; local: string | null } {
  return d ? { utc: isoUtc(d.getTime()), local: isoLocal(d.getTime()) } : { utc: null, local: null };
}

export function mapRun(view: RunView, lang: Language, perResource = false): SolverRunResponse {
  const r = view.run;
  const names = namesOf(r);
  const findings = ((r.findings as Finding[] | null) ?? []).filter(isFacts);
  const investments = (r.investments as InvestmentDetail[] | null) ?? [];
  const nothingFound = r.nothingFound as NothingFound | null;
  const figures = r.figures as Figures | null;
  const now = at(r.clockNow);
  const finished = at(r.finishedAt);
  return {
    id: r.id,
    poolId: r.poolId,
    kind: r.kind,
    status: r.status,
    progress: r.progress,
    language: lang,
    from: isoUtc(r.periodStart.getTime()),
    fromLocal: isoLocal(r.periodStart.getTime()),
    to: isoUtc(r.periodEnd.getTime()),
    toLocal: isoLocal(r.periodEnd.getTime()),
    now: now.utc,
    nowLocal: now.local,
    findings: findings.map((f) => presentFinding(f, names, lang)),
    figures: figures ? presentFigures(figures, names, lang, perResource) : null,
    investments: investments.map((d) => presentInvestment(d, names, lang)),
    nothingFound: nothingFound ? presentNothingFound(nothingFound, names, lang) : null,
    error: r.error,
    proposals: view.proposals.map((p) => mapProposal(p, r, lang)),
    exact: r.exactChecks ? mapExact(r.exactChecks) : null,
    createdAt: isoUtc(r.createdAt.getTime()),
    createdAtLocal: isoLocal(r.createdAt.getTime()),
    finishedAt: finished.utc,
    finishedAtLocal: finished.local,
  };
}

/** Findings stored by runs before facts (words only, no weeks) are not shown. */
function isFacts(f: Finding): boolean {
  return typeof f === 'object' && f !== null && 'weeks' in f;
}

export function mapInvestments(view: RunView, lang: Language): InvestmentsResponse {
  const run = mapRun(view, lang);
  const text = renderInvestmentSummary(run.status === 'done', run.investments, lang);
  return {
    runId: run.id,
    status: run.status,
    language: lang,
    from: run.from,
    fromLocal: run.fromLocal,
    to: run.to,
    toLocal: run.toLocal,
    investments: run.investments,
    findings: run.findings.filter((f) => f.kind === 'over-capacity' || f.kind === 'utilization'),
    text,
  };
}

/** 202 while the worker has not finished. */
export function stillRunning<T extends { status: string }>(res: FastifyReply, body: T): T {
  if (body.status === 'queued' || body.status === 'running') res.status(202);
  return body;
}
