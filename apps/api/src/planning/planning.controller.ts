import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { MembershipSimulation, PlanningService, presentSimulation, type Language } from '@allmende/planning';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { instant } from '../common/instant';
import { ApiDoc } from '../common/api-doc';
import { Lang } from '../common/language.decorator';
import { uuidPipe } from '../common/uuid.pipe';
import {
  InvestmentsResponse,
  mapInvestments,
  mapProposal,
  mapRun,
  PeriodQuery,
  ProposalRequestDto,
  ProposalResponse,
  RunQuery,
  SimulationRequestDto,
  SimulationResponse,
  SolverRunResponse,
  stillRunning,
} from './planning.dto';
import { toScenario } from '../pools/membership-scenario.dto';

@ApiTags('planning')
@ApiBearerAuth()
@Controller()
export class PlanningController {
  constructor(
    private readonly planning: PlanningService,
    private readonly simulation: MembershipSimulation,
  ) {}

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
    @Lang() lang: Language,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return stillRunning(
      res,
      mapRun(
        await this.planning.diagnoseAndWait(actor, poolId, instant(q.from), instant(q.to)),
        lang,
        q.perResource === 'true',
      ),
    );
  }

  /** Where demand exceeds capacity for good: buy or lease which type, how many, cost per member. */
  @Get('pools/:id/investments')
  @RequirePermission(Permission.SolverRun)
  @ApiDoc({
    summary: 'Investment advice for a pool',
    description:
      'Where demand exceeds capacity for good in the period [from, to): which machine types to buy or ' +
      'lease, how many, and the cost per member. Requests a diagnosis and waits a moment for it: 200 with ' +
      'the advice when it finished, 202 while it is still running (poll GET /solver-runs/{id}). For those ' +
      'allowed to run the solver on the pool (403 otherwise); 404 for an unseen pool; 422 for a bad period.',
    ok: InvestmentsResponse,
    accepted: InvestmentsResponse,
  })
  async investments(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: PeriodQuery,
    @Lang() lang: Language,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return stillRunning(
      res,
      mapInvestments(
        await this.planning.diagnoseAndWait(actor, poolId, instant(q.from), instant(q.to)),
        lang,
      ),
    );
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
    @Lang() lang: Language,
  ) {
    const run = await this.planning.requestRun(
      actor,
      poolId,
      'proposals',
      instant(dto.from),
      instant(dto.to),
      dto.timeLimitSeconds,
    );
    return mapRun({ run, proposals: [] }, lang);
  }

  /** Membership what-if, planning side: utilization, unmet demand and bottlenecks before and after. */
  @Post('pools/:id/planning/simulate')
  @HttpCode(200)
  @RequirePermission(Permission.SolverRun)
  @ApiDoc({
    summary: 'Simulate a change of membership (planning side)',
    description:
      'What if municipalities joined or left the pool in [from, to): utilization, unmet demand and ' +
      'bottlenecks before and after. Nothing is stored. For those allowed to run the solver on the pool ' +
      '(403 otherwise); 404 for an unseen pool; 422 for a bad period or scenario.',
    ok: SimulationResponse,
  })
  async simulate(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Body() dto: SimulationRequestDto,
    @Lang() lang: Language,
  ) {
    return presentSimulation(
      await this.simulation.simulate(actor, poolId, instant(dto.from), instant(dto.to), toScenario(dto)),
      lang,
    );
  }

  @Get('solver-runs/:id')
  @RequirePermission(Permission.SolverRun)
  @ApiOperation({
    summary: 'A solver run',
    description: 'Status and progress; when done, the findings or the proposals with their exact checks.',
  })
  @ApiOkResponse({
    type: SolverRunResponse,
    description: 'status and progress; when done, findings, figures, proposals and the exact checks',
  })
  async run(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Query() q: RunQuery,
    @Lang() lang: Language,
  ) {
    return mapRun(await this.planning.getRun(actor, id), lang, q.perResource === 'true');
  }

  @Post('proposals/:id/apply')
  @HttpCode(200)
  @RequirePermission(Permission.SolverRun)
  @ApiOperation({
    summary: 'Apply a proposal',
    description: 'In one transaction; a stale proposal (the calendar changed) is 409 and changes nothing.',
  })
  @ApiOkResponse({ type: ProposalResponse, description: 'the applied proposal' })
  async apply(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string, @Lang() lang: Language) {
    const applied = await this.planning.applyAndShow(actor, id);
    return mapProposal(applied.proposal, applied.run, lang);
  }
}
