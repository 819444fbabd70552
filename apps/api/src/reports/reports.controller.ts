import { Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { FinanceReportsService, ReportFile, ReportKind } from '@allmende/cost-sharing';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { ApiDoc } from '../common/api-doc';
import { uuidPipe } from '../common/uuid.pipe';
import {
  CostReportResponse,
  UnrecordedUsagePageResponse,
  UtilizationReportResponse,
} from './report-responses';
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
  @ApiDoc({
    summary: 'Cost report of a pool',
    description:
      "Usage costs at the resources' rates per municipality, resource, type or month, recorded usage " +
      'first and booked hours where none was recorded (marked estimated), with totals. ' +
      "Finance staff see their own municipality's figures, the pool's coordinators and admins the whole " +
      'pool (403 otherwise, 404 for an unseen pool); 422 for a bad window, groupBy or format. ' +
      'JSON by default; format=csv|xlsx (or the Accept header) downloads the same rows as a file.',
    ok: CostReportResponse,
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
  @ApiDoc({
    summary: 'Utilization report of a pool',
    description:
      'Booked against available hours (working days, less blackouts) per resource, type or month, with ' +
      'totals. ' +
      "Finance staff see their own municipality's figures, the pool's coordinators and admins the whole " +
      'pool (403 otherwise, 404 for an unseen pool); 422 for a bad window, groupBy or format. ' +
      'JSON by default; format=csv|xlsx (or the Accept header) downloads the same rows as a file.',
    ok: UtilizationReportResponse,
  })
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
  @ApiDoc({
    summary: 'Bookings without recorded usage',
    description:
      'Past, not cancelled bookings for which no usage was recorded, with their estimated cost; paged ' +
      'by cursor as JSON, complete in a file. ' +
      "Finance staff see their own municipality's figures, the pool's coordinators and admins the whole " +
      'pool (403 otherwise, 404 for an unseen pool); 422 for a bad window, groupBy or format. ' +
      'JSON by default; format=csv|xlsx (or the Accept header) downloads the same rows as a file.',
    ok: UnrecordedUsagePageResponse,
  })
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
