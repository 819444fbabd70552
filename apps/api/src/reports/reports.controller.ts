import { Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { FinanceReportsService, ReportFile, ReportKind } from '@allmende/cost-sharing';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { uuidPipe } from '../common/uuid.pipe';
import {
  CostReportQuery,
  reportFormat,
  ReportQuery,
  reportRequest,
  UnrecordedUsageQuery,
  UtilizationReportQuery,
} from './report.dto';

const PRODUCES = [
  'application/json',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

function file(f: ReportFile): StreamableFile {
  return new StreamableFile(f.stream, {
    type: f.contentType,
    disposition: `attachment; filename="${f.filename}"`,
  });
}

/**
 * Finance reports of a pool. Finance staff see their own municipality's figures, the pool's
 * coordinators the whole pool; JSON, or a file with `format=csv|xlsx` (or the Accept header).
 */
@ApiTags('finance reports')
@ApiBearerAuth()
@ApiProduces(...PRODUCES)
@Controller('pools/:id/reports')
export class ReportsController {
  constructor(private readonly reports: FinanceReportsService) {}

  private async exportOr<T>(
    actor: Actor,
    poolId: string,
    kind: ReportKind,
    q: ReportQuery & { groupBy?: string },
    headers: { accept?: string; language?: string },
    json: () => Promise<T>,
  ): Promise<T | StreamableFile> {
    const format = reportFormat(q, headers.accept);
    if (format === 'json') return json();
    return file(await this.reports.export(actor, poolId, kind, reportRequest(q, headers.language), format));
  }

  @Get('costs')
  @RequirePermission(Permission.StatementsRead)
  @ApiOkResponse({
    description: 'usage costs at the resources’ rates per municipality, resource, type or month',
  })
  costs(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: CostReportQuery,
    @Headers('accept') accept?: string,
    @Headers('accept-language') lang?: string,
  ) {
    return this.exportOr(actor, poolId, 'costs', q, { accept, language: lang }, () =>
      this.reports.costs(actor, poolId, reportRequest(q, lang)),
    );
  }

  @Get('utilization')
  @RequirePermission(Permission.StatementsRead)
  @ApiOkResponse({ description: 'booked against available hours per resource, type or month' })
  utilization(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: UtilizationReportQuery,
    @Headers('accept') accept?: string,
    @Headers('accept-language') lang?: string,
  ) {
    return this.exportOr(actor, poolId, 'utilization', q, { accept, language: lang }, () =>
      this.reports.utilization(actor, poolId, reportRequest(q, lang)),
    );
  }

  @Get('unrecorded-usage')
  @RequirePermission(Permission.StatementsRead)
  @ApiOkResponse({ description: 'past, not cancelled bookings without recorded usage; paginated as JSON' })
  unrecordedUsage(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) poolId: string,
    @Query() q: UnrecordedUsageQuery,
    @Headers('accept') accept?: string,
    @Headers('accept-language') lang?: string,
  ) {
    return this.exportOr(actor, poolId, 'unrecorded-usage', q, { accept, language: lang }, () =>
      this.reports.unrecordedUsage(actor, poolId, reportRequest(q, lang), {
        limit: q.limit ?? 100,
        cursor: q.cursor,
      }),
    );
  }
}
