import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { DEFAULT_WORKING_HOURS } from '@allmende/bookings';
import { BlackoutEntity, InspectionEntity, ResourceEntity } from '@allmende/database';
import { IsWeeklyHours, WorkingHours } from '../common/weekly-hours';
import { IsInstant } from '../common/instant';
import { PageQuery } from '../common/pagination';
import { local, utc } from '../common/dates';

const SLUG = /^[a-z][a-z0-9-]{0,60}$/;

export class CreateResourceDto {
  @ApiProperty() @IsUUID() poolId: string;

  @ApiProperty({ enum: ['machine', 'staff'] }) @IsIn(['machine', 'staff']) kind: 'machine' | 'staff';

  @ApiProperty({ example: 'Kehrmaschine Eschwege 1' }) @IsString() @MinLength(1) @MaxLength(200) name: string;

  @ApiProperty({ example: 'street-sweeper', description: 'machine type or staff trade, a lowercase slug' })
  @Matches(SLUG, { message: 'type must be a lowercase slug like street-sweeper' })
  type: string;

  @ApiProperty({ description: 'depot (machine) or employer (staff)' }) @IsUUID() homeMunicipalityId: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], example: ['licence-CE'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,60}$/, {
    each: true,
    message: 'each qualification must be a short slug',
  })
  qualifications?: string[];

  @ApiPropertyOptional({ example: 'sewer-camera-certified' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,60}$/, { message: 'requiredQualification must be a short slug' })
  requiredQualification?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000_000) hourlyRateCents?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000_000) perUseCents?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) annualFixedCostCents?: number;
  @ApiPropertyOptional({ description: 'km/h on the road' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  transportSpeedKmh?: number;

  @ApiPropertyOptional({ example: '2027-03-31' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'nextInspectionDue must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  nextInspectionDue?: string;

  @ApiPropertyOptional({ example: 39 }) @IsOptional() @IsNumber() @Min(1) @Max(60) weeklyHours?: number;

  @ApiPropertyOptional({
    example: 'k.mueller@eschwege.de',
    description: 'staff only: where the operator gets booking notifications',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

const WEEKLY_HOURS_EXAMPLE = { '1': ['06:00', '14:30'], '2': ['06:00', '14:30'], '5': ['06:00', '12:00'] };

/** A change of a machine or staff member: only the fields sent change. */
export class UpdateResourceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: 'depot (machine) or employer (staff)' })
  @IsOptional()
  @IsUUID()
  homeMunicipalityId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String], example: ['licence-CE'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,60}$/, {
    each: true,
    message: 'each qualification must be a short slug',
  })
  qualifications?: string[];
  @ApiPropertyOptional({ nullable: true, type: String, example: 'licence-C' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,60}$/, { message: 'requiredQualification must be a short slug' })
  requiredQualification?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000_000) hourlyRateCents?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000_000) perUseCents?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) annualFixedCostCents?: number;
  @ApiPropertyOptional({ description: 'km/h on the road' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  transportSpeedKmh?: number;
  @ApiPropertyOptional({ example: 12, description: 'months between inspections (UVV, HU/TÜV)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  inspectionIntervalMonths?: number;
  @ApiPropertyOptional({
    example: '2027-03-31',
    description: 'set directly; recording an inspection computes it',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'nextInspectionDue must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  nextInspectionDue?: string;
  @ApiPropertyOptional({ example: 39 }) @IsOptional() @IsNumber() @Min(1) @Max(60) weeklyHours?: number;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: WEEKLY_HOURS_EXAMPLE,
    description: 'staff: local working hours per ISO weekday ("1" = Monday); a day left out is not worked',
  })
  @IsOptional()
  @IsWeeklyHours()
  workingHours?: WorkingHours;
}

export class InspectionDto {
  @ApiProperty({ example: '2026-11-28', description: 'the day of the inspection (not in the future)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'inspectedOn must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  inspectedOn: string;
  @ApiProperty({ enum: ['passed', 'passed-with-defects', 'failed'] })
  @IsIn(['passed', 'passed-with-defects', 'failed'])
  result: 'passed' | 'passed-with-defects' | 'failed';
  @ApiPropertyOptional({ description: 'next due date; by default inspectedOn + the inspection interval' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'nextDue must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  nextDue?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class InspectionResponse {
  @ApiProperty() id: string;
  @ApiProperty() resourceId: string;
  @ApiProperty() inspectedOn: string;
  @ApiProperty({ enum: ['passed', 'passed-with-defects', 'failed'] }) result: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nextDue: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() recordedAt: string;
  @ApiProperty() recordedAtLocal: string;
}

export function mapInspection(i: InspectionEntity): InspectionResponse {
  return {
    id: i.id,
    resourceId: i.resourceId,
    inspectedOn: i.inspectedOn,
    result: i.result,
    nextDue: i.nextDue,
    notes: i.notes,
    recordedAt: utc(i.createdAt),
    recordedAtLocal: local(i.createdAt),
  };
}

export class BlackoutQuery {
  @ApiProperty({ example: '2026-12-01T00:00:00+01:00' }) @IsInstant() from: string;
  @ApiProperty({ example: '2027-01-01T00:00:00+01:00' }) @IsInstant() to: string;
}

export class CreateBlackoutDto {
  @ApiProperty({ example: '2026-04-06T07:00:00+02:00' }) @IsInstant() start: string;
  @ApiProperty({ example: '2026-04-10T16:00:00+02:00' }) @IsInstant() end: string;
  @ApiProperty({ example: 'Wartung' }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class ResourceQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() poolId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(SLUG) type?: string;
  @ApiPropertyOptional({ enum: ['machine', 'staff'] })
  @IsOptional()
  @IsIn(['machine', 'staff'])
  kind?: string;
}

export class ResourceResponse {
  @ApiProperty() id: string;
  @ApiProperty() poolId: string;
  @ApiProperty() kind: string;
  @ApiProperty() name: string;
  @ApiProperty() type: string;
  @ApiProperty() homeMunicipalityId: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes: Record<string, unknown>;
  @ApiProperty({ type: [String] }) qualifications: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) requiredQualification: string | null;
  @ApiProperty() hourlyRateCents: number;
  @ApiProperty() perUseCents: number;
  @ApiProperty() annualFixedCostCents: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) transportSpeedKmh: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) nextInspectionDue: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) weeklyHours: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'staff only' }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) inspectionIntervalMonths: number | null;
  @ApiProperty({ description: 'the machine is booked together with a qualified operator' })
  needsOperator: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'staff: local working hours per ISO weekday (the default Mon–Fri 07:00–15:30 unless set)',
  })
  workingHours: WorkingHours | null;
  @ApiProperty({ description: 'false once retired: no new bookings' }) active: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) retiredAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) retiredAtLocal: string | null;
}

export class BlackoutResponse {
  @ApiProperty() id: string;
  @ApiProperty() resourceId: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty() startLocal: string;
  @ApiProperty() endLocal: string;
  @ApiProperty() reason: string;
}

export function mapResource(r: ResourceEntity): ResourceResponse {
  return {
    id: r.id,
    poolId: r.poolId,
    kind: r.kind,
    name: r.name,
    type: r.type,
    homeMunicipalityId: r.homeMunicipalityId,
    attributes: r.attributes,
    qualifications: r.qualifications,
    requiredQualification: r.requiredQualification,
    hourlyRateCents: r.hourlyRateCents,
    perUseCents: r.perUseCents,
    annualFixedCostCents: r.annualFixedCostCents,
    transportSpeedKmh: r.transportSpeedKmh,
    nextInspectionDue: r.nextInspectionDue,
    weeklyHours: r.weeklyHours,
    email: r.email ?? null,
    inspectionIntervalMonths: r.inspectionIntervalMonths,
    needsOperator: r.kind === 'machine' && r.requiredQualification !== null,
    workingHours: r.kind === 'staff' ? (r.workingHours ?? DEFAULT_WORKING_HOURS) : null,
    active: r.active,
    retiredAt: r.retiredAt ? utc(r.retiredAt) : null,
    retiredAtLocal: r.retiredAt ? local(r.retiredAt) : null,
  };
}

export function mapBlackout(b: BlackoutEntity): BlackoutResponse {
  return {
    id: b.id,
    resourceId: b.resourceId,
    start: utc(b.startAt),
    end: utc(b.endAt),
    startLocal: local(b.startAt),
    endLocal: local(b.endAt),
    reason: b.reason,
  };
}
