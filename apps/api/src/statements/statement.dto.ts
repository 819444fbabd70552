import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { AgreementVersionView } from '@allmende/cost-sharing';
import { CostSharingDto } from '../pools/pool.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PERIOD_EXAMPLE = '2026-11 | 2026-Q4 | 2026';

export class StatementQuery {
  @ApiProperty({ example: '2026-11', description: `month, quarter or year: ${PERIOD_EXAMPLE}` })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  period?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx', 'pdf'], description: 'instead of the Accept header' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx', 'pdf'])
  format?: 'json' | 'csv' | 'xlsx' | 'pdf';

  @ApiPropertyOptional({
    enum: ['de', 'en'],
    description: 'language of the texts; else Accept-Language, German by default',
  })
  @IsOptional()
  @IsIn(['de', 'en'])
  lang?: 'de' | 'en';
}

export class ReportQuery {
  @ApiProperty({ example: '2026-11', description: PERIOD_EXAMPLE })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  period?: string;

  @ApiPropertyOptional({ enum: ['de', 'en'] })
  @IsOptional()
  @IsIn(['de', 'en'])
  lang?: 'de' | 'en';
}

export class SimulateQuery {
  @ApiPropertyOptional({
    example: '2027',
    description: `${PERIOD_EXAMPLE}; default: the calendar year of the scenario's first date`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  period?: string;
}

export class FinalizeDto {
  @ApiProperty({ example: '2026-11', description: PERIOD_EXAMPLE })
  @IsString()
  @MaxLength(10)
  period: string;
}

export class AgreementDto extends CostSharingDto {
  @ApiProperty({ example: '2027-01-01', description: 'first local day the agreement is in force' })
  @Matches(DATE, { message: 'validFrom must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  validFrom: string;

  @ApiPropertyOptional({
    enum: ['booked-hours', 'none'],
    description: 'a booking without recorded usage is charged…',
  })
  @IsOptional()
  @IsIn(['booked-hours', 'none'])
  unrecordedUsage?: 'booked-hours' | 'none';

  @ApiPropertyOptional({
    description: 'cents per transport km (round trip depot → site); unset: not charged',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  transportRateCentsPerKm?: number;

  @ApiPropertyOptional({ enum: ['direct', 'lead'] })
  @IsOptional()
  @IsIn(['direct', 'lead'])
  settlement?: 'direct' | 'lead';

  @ApiPropertyOptional({ description: 'the lead municipality (federführende Kommune)' })
  @IsOptional()
  @IsUUID()
  leadMunicipalityId?: string;

  @ApiPropertyOptional({
    description: 'who carries the overhead (host of the coordination unit); default: the lead',
  })
  @IsOptional()
  @IsUUID()
  coordinationHostMunicipalityId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'type → cents a year',
  })
  @IsOptional()
  @IsObject()
  standaloneAnnualCostCentsByType?: Record<string, number>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'type → cents an hour',
  })
  @IsOptional()
  @IsObject()
  marketHourlyRateCentsByType?: Record<string, number>;
}

export class AgreementResponse {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'null: the original agreement, from the start',
  })
  validFrom: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) terms: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) createdAt: string | null;
}

export function mapAgreement(v: AgreementVersionView): AgreementResponse {
  return {
    validFrom: v.validFrom,
    terms: { ...v.terms },
    createdAt: v.createdAt?.toISOString() ?? null,
  };
}
