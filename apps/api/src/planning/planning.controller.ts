import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { PlanningService } from '@allmende/planning';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { instant } from '../common/instant';
import { uuidPipe } from '../common/uuid.pipe';
import {
  mapProposal,
  mapRun,
  PeriodQuery,
  ProposalRequestDto,
  ProposalResponse,
  SolverRunResponse,
} from './planning.dto';

const WAIT_FOR_DIAGNOSIS_MS = 20_000;

@ApiTags('planning')
@ApiBearerAuth()
@Controller()
export class PlanningController {
  constructor(private readonly planning: PlanningService) {}

  /** What is short: diagnosed by the worker; answers when done, or 202 with the run to poll. */
  @Get('pools/:id/bottlenecks')
  @RequirePermission(Permission.SolverRun)
  @ApiOperation({
    summary: 'What is short in a pool, when and why',
    description:
      'Utilization per type and week, unmet demand, skills short, peaks, capacity. Diagnosed by the ' +
      'worker: 200 with the findings when done within 20 s, else 202 with the run to poll.',
  })
  @ApiOkResponse({ type: SolverRunResponse, description: 'the finished diagnosis' })
  @ApiAcceptedResponse({ type: SolverRunResponse, description: 'still running; poll GET /solver-runs/{id}' })
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
  @ApiOperation({
    summary: 'Compute reallocation proposals',
    description:
      'Queues a solver run for the period (timeLimitSeconds 1–120, default 10); poll GET /solver-runs/{id}. ' +
      'Takes an Idempotency-Key.',
  })
  @ApiAcceptedResponse({ type: SolverRunResponse, description: 'the solver run; poll GET /solver-runs/{id}' })
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
  @ApiOperation({
    summary: 'A solver run',
    description: 'Status and progress; when done, the findings or the proposals with their exact checks.',
  })
  @ApiOkResponse({
    type: SolverRunResponse,
    description: 'status and progress; when done, findings, proposals and the exact checks',
  })
  async run(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    return mapRun(await this.planning.getRun(actor, id));
  }

  @Post('proposals/:id/apply')
  @HttpCode(200)
  @RequirePermission(Permission.SolverRun)
  @ApiOperation({
    summary: 'Apply a proposal',
    description: 'In one transaction; a stale proposal (the calendar changed) is 409 and changes nothing.',
  })
  @ApiOkResponse({ type: ProposalResponse, description: 'the applied proposal' })
  async apply(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    return mapProposal(await this.planning.apply(actor, id));
  }
}
