import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ProposalEntity, SolverRunEntity, StoredExactCheck, StoredProposalBound } from '@allmende/database';
import type { RunView } from '@allmende/planning';
import { IsInstant } from '../common/instant';
import { local } from '../common/dates';

export class PeriodQuery {
  @ApiProperty({ example: '2026-01-01T00:00:00+01:00' }) @IsInstant() from: string;
  @ApiProperty({ example: '2026-12-31T00:00:00+01:00' }) @IsInstant() to: string;
}

export class ProposalRequestDto extends PeriodQuery {
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

export class ProposalResponse {
  @ApiProperty() id: string;
  @ApiProperty() runId: string;
  @ApiProperty() poolId: string;
  @ApiProperty({ enum: ['reassignment', 'trip-order', 'investment'] }) kind: ProposalEntity['kind'];
  @ApiProperty({ enum: ['open', 'applied', 'stale'] }) status: ProposalEntity['status'];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description:
      'booking moves (bookingId, from/to resource and time) and served requests (requestId, toResourceId, role)',
  })
  changes: unknown[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { requestsServed: 1, transportMinutesSaved: 0, changedBookings: 1 },
  })
  gain: Record<string, number>;
  @ApiProperty({ type: [String] }) municipalitiesAffected: string[];
  @ApiProperty({ type: TextResponse, description: 'why, in German and English' }) explanation: {
    de: string;
    en: string;
  };
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'investment proposals only: type, cost per year, shares, demand served',
  })
  investment: unknown;
  @ApiPropertyOptional({
    type: ProposalBoundResponse,
    nullable: true,
    description:
      'Reassignments whose requests lie in exactly checked windows: how far from the best possible. Null otherwise.',
  })
  bound: ProposalBoundResponse | null;
  @ApiPropertyOptional({ nullable: true, type: String }) appliedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) appliedAtLocal: string | null;
}

export class SolverRunResponse {
  @ApiProperty() id: string;
  @ApiProperty() poolId: string;
  @ApiProperty({ enum: ['bottlenecks', 'proposals'] }) kind: SolverRunEntity['kind'];
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status: SolverRunEntity['status'];
  @ApiProperty({ minimum: 0, maximum: 100 }) progress: number;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() fromLocal: string;
  @ApiProperty() toLocal: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'what is short: kind, severity, type, period, metrics, text { de, en }',
  })
  findings: unknown;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ type: [ProposalResponse] }) proposals: ProposalResponse[];
  @ApiPropertyOptional({
    type: RunExactResponse,
    nullable: true,
    description:
      'Finished proposal runs: the subproblems HiGHS solved exactly (windows too large for it, or left when time ran out, are not among them). Null for diagnoses and unfinished runs.',
  })
  exact: RunExactResponse | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() createdAtLocal: string;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAtLocal: string | null;
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

export function mapProposal(p: ProposalEntity): ProposalResponse {
  return {
    id: p.id,
    runId: p.runId,
    poolId: p.poolId,
    kind: p.kind,
    status: p.status,
    changes: p.changes,
    gain: p.gain,
    municipalitiesAffected: p.municipalitiesAffected,
    explanation: p.explanation,
    investment: p.investment,
    bound: p.bound ? mapBound(p.bound) : null,
    appliedAt: p.appliedAt?.toISOString() ?? null,
    appliedAtLocal: p.appliedAt ? local(p.appliedAt) : null,
  };
}

export function mapRun(view: RunView): SolverRunResponse {
  const r = view.run;
  return {
    id: r.id,
    poolId: r.poolId,
    kind: r.kind,
    status: r.status,
    progress: r.progress,
    from: r.periodStart.toISOString(),
    to: r.periodEnd.toISOString(),
    fromLocal: local(r.periodStart),
    toLocal: local(r.periodEnd),
    findings: r.findings ?? [],
    error: r.error,
    proposals: view.proposals.map(mapProposal),
    exact: r.exactChecks ? mapExact(r.exactChecks) : null,
    createdAt: r.createdAt.toISOString(),
    createdAtLocal: local(r.createdAt),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    finishedAtLocal: r.finishedAt ? local(r.finishedAt) : null,
  };
}
