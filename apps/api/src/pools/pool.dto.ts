import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
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
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CostSharing, PoolEntity, PoolMemberEntity } from '@allmende/database';
import { operatingHoursOf } from '@allmende/pools';
import { IsWeeklyHours, WorkingHours } from '../common/weekly-hours';
import { local } from '../common/dates';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CostSharingMixDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100) population?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100) equal?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100) usage?: number;
}

export class CostSharingDto {
  @ApiProperty({ enum: ['population', 'equal', 'usage', 'shares', 'mixed'] })
  @IsIn(['population', 'equal', 'usage', 'shares', 'mixed'])
  key: CostSharing['key'];

  @ApiPropertyOptional({ type: CostSharingMixDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CostSharingMixDto)
  mix?: CostSharingMixDto;

  @ApiPropertyOptional({
    description: 'municipalityId → percent',
    type: 'object',
    additionalProperties: { type: 'number' },
  })
  @IsOptional()
  @IsObject()
  shares?: Record<string, number>;

  @ApiPropertyOptional({ description: 'e.g. the coordination unit, in cents per year' })
  @IsOptional()
  @IsInt()
  @Min(0)
  annualOverheadCents?: number;
}

export class CreatePoolDto {
  @ApiProperty({ example: 'Bauhof-Verbund Werra-Meißner' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'building-yard' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,60}$/, { message: 'fieldOfAction must be a lowercase slug like building-yard' })
  fieldOfAction: string;

  @ApiPropertyOptional({ type: CostSharingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CostSharingDto)
  costSharing?: CostSharingDto;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE, { message: 'validFrom must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  validFrom?: string;
}

export class AddMemberDto {
  @ApiProperty() @IsDefined() @IsUUID() municipalityId: string;

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE, { message: 'joinedOn must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  joinedOn: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'first day no longer a member' })
  @IsOptional()
  @Matches(DATE, { message: 'leftOn must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  leftOn?: string;
}

export class TravelTimeDto {
  @ApiProperty() @IsUUID() fromMunicipalityId: string;
  @ApiProperty() @IsUUID() toMunicipalityId: string;
  @ApiProperty() @IsInt() @Min(0) @Max(1440) minutes: number;
}

export class PoolResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() fieldOfAction: string;
  @ApiProperty({ type: CostSharingDto }) costSharing: CostSharing;
  @ApiPropertyOptional({ nullable: true, type: String }) costSharingValidFrom: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description:
      'local hours per ISO weekday in which free windows and alternatives are offered (default Mon–Fri 06:00–20:00)',
  })
  operatingHours: WorkingHours;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) createdAtLocal: string;
}

export class OperatingHoursDto {
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { '1': ['06:00', '18:00'], '2': ['06:00', '18:00'], '6': ['08:00', '12:00'] },
    description: 'local hours per ISO weekday ("1" = Monday); null restores Mon–Fri 06:00–20:00',
  })
  @IsWeeklyHours()
  @ValidateIf((o: OperatingHoursDto) => o.operatingHours !== null)
  operatingHours: WorkingHours | null;
}

export class MemberResponse {
  @ApiProperty() id: string;
  @ApiProperty() poolId: string;
  @ApiProperty() municipalityId: string;
  @ApiProperty() joinedOn: string;
  @ApiPropertyOptional({ nullable: true, type: String }) leftOn: string | null;
}

export function mapPool(p: PoolEntity): PoolResponse {
  return {
    id: p.id,
    name: p.name,
    fieldOfAction: p.fieldOfAction,
    costSharing: p.costSharing,
    costSharingValidFrom: p.costSharingValidFrom,
    operatingHours: operatingHoursOf(p),
    createdAt: p.createdAt.toISOString(),
    createdAtLocal: local(p.createdAt),
  };
}

export function mapMember(m: PoolMemberEntity): MemberResponse {
  return {
    id: m.id,
    poolId: m.poolId,
    municipalityId: m.municipalityId,
    joinedOn: m.joinedOn,
    leftOn: m.leftOn,
  };
}
