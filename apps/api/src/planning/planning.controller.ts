import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { ProposalEntity, SolverRunEntity } from '@allmende/database';
import { PlanningService, RunView } from '@allmende/planning';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { instant, IsInstant } from '../common/instant';
import { uuidPipe } from '../common/uuid.pipe';

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

const WAIT_FOR_DIAGNOSIS_MS = 20_000;

function mapProposal(p: ProposalEntity) {
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
    appliedAt: p.appliedAt?.toISOString() ?? null,
  };
}

function mapRun(view: RunView) {
  const r: SolverRunEntity = view.run;
  return {
    id: r.id,
    poolId: r.poolId,
    kind: r.kind,
    status: r.status,
    progress: r.progress,
    from: r.periodStart.toISOString(),
    to: r.periodEnd.toISOString(),
    findings: r.findings ?? [],
    error: r.error,
    proposals: view.proposals.map(mapProposal),
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

@ApiTags('planning')
@ApiBearerAuth()
@Controller()
export class PlanningController {
  constructor(private readonly planning: PlanningService) {}

  /** What is short: diagnosed by the worker; answers when done, or 202 with the run to poll. */
  @Get('pools/:id/bottlenecks')
  @RequirePermission(Permission.SolverRun)
  async bottlenecks(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: PeriodQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const run = await this.planning.requestRun(actor, poolId, 'bottlenecks', instant(q.from), instant(q.to));
    const until = Date.now() + WAIT_FOR_DIAGNOSIS_MS;
    let view = await this.planning.getRun(actor, run.id);
    while ((view.run.status === 'queued' || view.run.status === 'running') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      view = await this.planning.getRun(actor, run.id);
    }
    if (view.run.status === 'queued' || view.run.status === 'running') res.status(202);
    return mapRun(view);
  }

  @Post('pools/:id/proposals')
  @HttpCode(202)
  @RequirePermission(Permission.SolverRun)
  @ApiAcceptedResponse({ description: 'the solver run; poll GET /solver-runs/{id}' })
  async propose(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Body() dto: ProposalRequestDto,
  ) {
    const run = await this.planning.requestRun(
      actor,
      poolId,
      'proposals',
      instant(dto.from),
      instant(dto.to),
      dto.timeLimitSeconds,
    );
    return mapRun({ run, proposals: [] });
  }

  @Get('solver-runs/:id')
  @RequirePermission(Permission.SolverRun)
  async run(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    return mapRun(await this.planning.getRun(actor, id));
  }

  @Post('proposals/:id/apply')
  @HttpCode(200)
  @RequirePermission(Permission.SolverRun)
  async apply(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    return mapProposal(await this.planning.apply(actor, id));
  }
}
