import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
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
import { uuidPipe } from '../common/uuid.pipe';
import {
  AgreementDto,
  AgreementResponse,
  FinalizeDto,
  mapAgreement,
  MembershipScenarioDto,
  ReportQuery,
  SimulateQuery,
  StatementQuery,
} from './statement.dto';
import { negotiateFormat } from './statement-format';
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
  @ApiOkResponse({ description: 'PoolStatements (libs/cost-sharing/src/statement-document.ts)' })
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
  async finalize(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Body() dto: FinalizeDto,
    @Query() q: ReportQuery,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.statements.finalize(actor, poolId, dto.period, pickLanguage(q.lang, acceptLanguage));
  }

  /** What pooling saves each member (Nutzen der Kooperation). */
  @Get('savings')
  @RequirePermission(Permission.StatementsRead)
  async savings(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: ReportQuery,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.statements.savingsReport(actor, poolId, q.period, pickLanguage(q.lang, acceptLanguage));
  }

  @Get('cost-sharing/agreements')
  @RequirePermission(Permission.PoolsRead)
  @ApiOkResponse({ type: [AgreementResponse] })
  async agreementsOf(@CurrentActor() actor: Actor, @Param('id', uuidPipe) poolId: string) {
    return { items: (await this.agreements.list(actor, poolId)).map(mapAgreement) };
  }

  /** A new version of the agreement from a date; never reaches into a finalized period. */
  @Post('cost-sharing/agreements')
  @RequirePermission(Permission.PoolsManage)
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
  async simulate(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Body() dto: MembershipScenarioDto,
    @Query() q: SimulateQuery,
  ) {
    return this.simulation.simulate(actor, poolId, dto, q.period);
  }
}
