import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import {
  AgreementsService,
  pickLanguage,
  SimulationService,
  StatementsService,
} from '@allmende/cost-sharing';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { ApiDoc, ListOf } from '../common/api-doc';
import { uuidPipe } from '../common/uuid.pipe';
import {
  CostSharingSimulationResponse,
  PoolStatementsResponse,
  SavingsReportResponse,
} from './statement-responses';
import {
  AgreementDto,
  AgreementResponse,
  FinalizeDto,
  mapAgreement,
  ReportQuery,
  SimulateQuery,
  StatementQuery,
} from './statement.dto';
import { negotiateFormat } from './statement-format';
import { MembershipScenarioDto, toScenario } from '../pools/membership-scenario.dto';
import { StatementFiles } from './statement-files';

@ApiTags('cost sharing')
@ApiBearerAuth()
@Controller('pools/:id')
export class StatementsController {
  constructor(
    private readonly statements: StatementsService,
    private readonly agreements: AgreementsService,
    private readonly simulation: SimulationService,
    private readonly files: StatementFiles,
  ) {}

  /** One statement per member (finance: its own), as JSON, CSV, XLSX or PDF. */
  @Get('statements')
  @RequirePermission(Permission.StatementsRead)
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @ApiDoc({
    summary: "A pool's statements for a period",
    description:
      'One statement per member with its lines, totals, credits and net, and the settlement transfers: ' +
      'computed live while the period is open, the frozen numbered ones once finalized. Finance staff ' +
      'see their own municipality only, coordinators and admins the whole pool (403 otherwise, 404 for an ' +
      'unseen pool); 422 for a bad period. JSON by default; format=csv|xlsx|pdf (or the Accept header) ' +
      'downloads the same document as a file (406 if that format is not available).',
    ok: PoolStatementsResponse,
  })
  async statementsOf(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: StatementQuery,
    @Headers('accept') accept?: string,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    const format = negotiateFormat(q.format, accept);
    return this.files.answer(
      await this.statements.get(actor, poolId, q.period, pickLanguage(q.lang, acceptLanguage)),
      format,
    );
  }

  /** Closes a period: numbered, immutable statements; the members' finance staff are notified. */
  @Post('statements/finalize')
  @HttpCode(201)
  @RequirePermission(Permission.StatementsFinalize)
  @ApiDoc({
    summary: "Finalize a pool's statements for a period",
    description:
      'Closes the period: numbered, immutable statements with checksums, and the finance staff of each ' +
      "member are notified. The pool's coordinators and finance staff of its lead municipality only " +
      '(403 otherwise); 404 for an unseen pool; 409 if the period is not over yet, already finalized or ' +
      'overlaps a finalized period of another kind; 422 for a bad period.',
    created: PoolStatementsResponse,
  })
  async finalize(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Body() dto: FinalizeDto,
    @Query() q: ReportQuery,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<PoolStatementsResponse> {
    return this.statements.finalize(actor, poolId, dto.period, pickLanguage(q.lang, acceptLanguage));
  }

  /** What pooling saves each member (Nutzen der Kooperation). */
  @Get('savings')
  @RequirePermission(Permission.StatementsRead)
  @ApiDoc({
    summary: 'What pooling saves each member',
    description:
      'Per member: what it paid net in the pool in the period against what the same work would have ' +
      "cost it alone, and what others' use of its machines earned it. Finance staff see their own " +
      'municipality only, coordinators and admins the whole pool (403 otherwise, 404 for an unseen pool); ' +
      '422 for a bad period.',
    ok: SavingsReportResponse,
  })
  async savings(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: ReportQuery,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<SavingsReportResponse> {
    return this.statements.savingsReport(actor, poolId, q.period, pickLanguage(q.lang, acceptLanguage));
  }

  @Get('cost-sharing/agreements')
  @RequirePermission(Permission.PoolsRead)
  @ApiDoc({
    summary: "A pool's cost-sharing agreements",
    description:
      'Every version of the agreement (key, shares, settlement, lead municipality) with the date it ' +
      'takes effect, the original first. Anyone who sees the pool; 404 otherwise.',
    ok: ListOf(AgreementResponse),
  })
  async agreementsOf(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
  ): Promise<{ items: AgreementResponse[] }> {
    return { items: (await this.agreements.list(actor, poolId)).map(mapAgreement) };
  }

  /** A new version of the agreement from a date; never reaches into a finalized period. */
  @Post('cost-sharing/agreements')
  @RequirePermission(Permission.PoolsManage)
  @ApiDoc({
    summary: 'Add a version of the cost-sharing agreement',
    description:
      'Takes effect from validFrom and never reaches into a finalized period. Pool coordinators and ' +
      'admins only (403); 404 for an unseen pool; 409 if a version from that date exists or a finalized ' +
      'period lies after validFrom; 422 for an invalid key or unknown municipalities.',
    created: AgreementResponse,
  })
  async addAgreement(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Body() dto: AgreementDto,
  ): Promise<AgreementResponse> {
    return mapAgreement(await this.agreements.add(actor, poolId, { ...dto }));
  }

  /** Membership what-if: each member's share and net before and after; nothing is stored. */
  @Post('cost-sharing/simulate')
  @HttpCode(200)
  @RequirePermission(Permission.PoolsManage)
  @ApiDoc({
    summary: 'Simulate a change of membership (cost side)',
    description:
      "Each member's fixed share, usage, credits and net for the period as it is and with the joins, " +
      'leaves and key of the scenario; nothing is stored. The request is the same membership scenario as ' +
      "the planning what-if's (without its span): a joiner's demand is the one given, or estimated from its " +
      'own bookings and unserved requests of the 52 weeks before it joins (in `joins` of the answer). Pool coordinators and admins only (403); 404 ' +
      'for an unseen pool; 422 for a bad period, key or scenario (e.g. leaving a pool one is not in).',
    ok: CostSharingSimulationResponse,
  })
  async simulate(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Body() dto: MembershipScenarioDto,
    @Query() q: SimulateQuery,
  ): Promise<CostSharingSimulationResponse> {
    return this.simulation.simulate(actor, poolId, toScenario(dto), q.period);
  }
}
