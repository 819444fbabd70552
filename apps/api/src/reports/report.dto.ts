import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { DocumentLanguage, ReportFormat, ReportRequest } from '@allmende/cost-sharing';
import { MAX_PAGE_SIZE } from '../common/pagination';

export class ReportQuery {
  @ApiPropertyOptional({
    example: '2026-01-01',
    description: 'first local day (Europe/Berlin); or give year',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ example: '2027-01-01', description: 'first local day after the window' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ example: 2026, description: 'a calendar year instead of from and to' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  year?: number;

  @ApiPropertyOptional({ description: "only this municipality's figures (finance: always its own)" })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({
    enum: ['json', 'csv', 'xlsx'],
    default: 'json',
    description: 'or Accept: text/csv / xlsx',
  })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}

export class CostReportQuery extends ReportQuery {
  @ApiPropertyOptional({ enum: ['municipality', 'resource', 'type', 'month'], default: 'municipality' })
  @IsOptional()
  @IsIn(['municipality', 'resource', 'type', 'month'])
  groupBy?: string;
}

export class UtilizationReportQuery extends ReportQuery {
  @ApiPropertyOptional({ enum: ['resource', 'type', 'month'], default: 'resource' })
  @IsOptional()
  @IsIn(['resource', 'type', 'month'])
  groupBy?: string;
}

export class UnrecordedUsageQuery extends ReportQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 100, description: 'JSON pages only' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: "opaque cursor from the previous page's `nextCursor`" })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `format=` wins; else the Accept header; else JSON. */
export function reportFormat(q: ReportQuery, accept: string | undefined): ReportFormat | 'json' {
  if (q.format) return q.format;
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/csv')) return 'csv';
  if (a.includes(XLSX)) return 'xlsx';
  return 'json';
}

/** German unless the caller asks for English first. */
export function language(acceptLanguage: string | undefined): DocumentLanguage {
  return /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'de';
}

export function reportRequest(
  q: ReportQuery & { groupBy?: string },
  acceptLanguage: string | undefined,
): ReportRequest {
  return {
    from: q.from,
    to: q.to,
    year: q.year,
    municipalityId: q.municipalityId,
    groupBy: q.groupBy,
    language: language(acceptLanguage),
  };
}
