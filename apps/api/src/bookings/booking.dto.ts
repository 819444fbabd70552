import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { policies } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import type { BookingView, UsageRecord } from '@allmende/bookings';
import { local, utc } from '../common/dates';
import { IsInstant } from '../common/instant';
import { PageQuery } from '../common/pagination';

export class WindowDto {
  @ApiProperty({ example: '2026-06-01T00:00:00+02:00' }) @IsInstant() start: string;
  @ApiProperty({ example: '2026-06-06T00:00:00+02:00' }) @IsInstant() end: string;
}

export class CreateBookingDto {
  @ApiProperty() @IsUUID() resourceId: string;
  @ApiProperty({ description: 'the municipality that books (and pays)' }) @IsUUID() municipalityId: string;
  @ApiPropertyOptional({ description: 'where the work is; defaults to municipalityId' })
  @IsOptional()
  @IsUUID()
  siteMunicipalityId?: string;
  @ApiProperty({ example: '2026-04-13T07:00:00+02:00' }) @IsInstant() start: string;
  @ApiProperty({ example: '2026-04-13T15:30:00+02:00' }) @IsInstant() end: string;
  @ApiPropertyOptional({ enum: ['normal', 'emergency'] })
  @IsOptional()
  @IsIn(['normal', 'emergency'])
  priority?: 'normal' | 'emergency';
  @ApiPropertyOptional({
    description: 'staff member operating the machine; picked automatically when the machine needs one',
  })
  @IsOptional()
  @IsUUID()
  operatorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
  @ApiPropertyOptional({ description: 'on-site contact (private to the booking municipality)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  contact?: string;
  @ApiPropertyOptional({
    type: WindowDto,
    description: 'the booking may be moved within this window (same duration) by an applied solver proposal',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WindowDto)
  flexibleWindow?: WindowDto;
  @ApiPropertyOptional({
    description:
      'coordinator or admin only: a booking entered after the fact, which may start in the past (audited as such)',
  })
  @IsOptional()
  @IsBoolean()
  backdated?: boolean;
}

export class RecurrenceDto {
  @ApiProperty({ example: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20260630T235959Z' })
  @IsString()
  @MaxLength(500)
  rrule: string;
  @ApiPropertyOptional({ enum: ['fail', 'skip'], default: 'fail' })
  @IsOptional()
  @IsIn(['fail', 'skip'])
  onConflict?: 'fail' | 'skip';
}

export class CreateSeriesDto extends CreateBookingDto {
  @ApiProperty({ type: RecurrenceDto })
  @ValidateNested()
  @Type(() => RecurrenceDto)
  recurrence: RecurrenceDto;
}

export class RescheduleBookingDto {
  @ApiPropertyOptional() @IsOptional() @IsInstant() start?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() end?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() resourceId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() siteMunicipalityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class UsageDto {
  @ApiPropertyOptional() @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) operatingHours?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) meterStart?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) meterEnd?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class BookingQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() resourceId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() municipalityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() to?: string;
  @ApiPropertyOptional({ enum: ['active', 'cancelled', 'displaced'] })
  @IsOptional()
  @IsIn(['active', 'cancelled', 'displaced'])
  status?: 'active' | 'cancelled' | 'displaced';
}

export class LocalWindowResponse {
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) startLocal: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) endLocal: string;
}

export class BookedResourceResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: ['machine', 'staff'] }) kind: string;
  @ApiProperty({ description: 'the machine is booked together with a qualified operator' })
  needsOperator: boolean;
}

export class BookingResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['active', 'cancelled', 'displaced'] }) status: string;
  @ApiProperty() poolId: string;
  @ApiProperty() resourceId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceType: string | null;
  @ApiProperty({ description: 'the machine is booked together with a qualified operator' })
  needsOperator: boolean;
  @ApiProperty() municipalityId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) municipalityName: string | null;
  @ApiProperty() siteMunicipalityId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) siteMunicipalityName: string | null;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) startLocal: string;
  @ApiProperty() endLocal: string;
  @ApiProperty({ description: 'from departure at the previous site or depot' }) blockedStart: string;
  @ApiProperty() blockedEnd: string;
  @ApiProperty() blockedStartLocal: string;
  @ApiProperty() blockedEndLocal: string;
  @ApiProperty({ enum: ['normal', 'emergency'] }) priority: string;
  @ApiProperty() sequence: number;
  @ApiPropertyOptional({ nullable: true, type: String }) operatorForBookingId: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the staff member operating the machine',
  })
  operatorId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) operatorName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) seriesId: string | null;
  @ApiPropertyOptional({ nullable: true, type: LocalWindowResponse })
  flexibleWindow: LocalWindowResponse | null;
  @ApiPropertyOptional({ description: 'only for the booking municipality and the pool coordinators' })
  notes?: string | null;
  @ApiPropertyOptional() contact?: string | null;
  @ApiProperty({ description: 'false: another municipality’s booking, shown as busy time' }) own: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: () => BookingResponse,
    description: 'machine bookings: the operator booked with the machine',
  })
  operatorBooking?: BookingResponse | null;
}

export function localWindow(start: Date, end: Date): LocalWindowResponse {
  return { start: utc(start), end: utc(end), startLocal: local(start), endLocal: local(end) };
}

/** Another municipality's booking of a shared resource is busy time: no notes, no contact. */
export function mapBooking(view: BookingView, actor: Actor): BookingResponse {
  const b = view.booking;
  const own = policies.seesPrivateDetails(actor, b.municipalityId, b.poolId);
  const operator = view.operatorBooking;
  return {
    id: b.id,
    status: b.status,
    poolId: b.poolId,
    resourceId: b.resourceId,
    resourceName: view.resource?.name ?? null,
    resourceType: view.resource?.type ?? null,
    needsOperator: view.resource?.needsOperator ?? false,
    municipalityId: b.municipalityId,
    municipalityName: view.municipalityName,
    siteMunicipalityId: b.siteMunicipalityId,
    siteMunicipalityName: view.siteMunicipalityName,
    start: utc(b.startAt),
    end: utc(b.endAt),
    startLocal: local(b.startAt),
    endLocal: local(b.endAt),
    blockedStart: utc(b.blockedStart),
    blockedEnd: utc(b.blockedEnd),
    blockedStartLocal: local(b.blockedStart),
    blockedEndLocal: local(b.blockedEnd),
    priority: b.priority,
    sequence: b.sequence,
    operatorForBookingId: b.operatorForBookingId,
    operatorId: operator?.booking.resourceId ?? null,
    operatorName: operator?.resource?.name ?? null,
    seriesId: b.seriesId,
    flexibleWindow: b.flexibleStart && b.flexibleEnd ? localWindow(b.flexibleStart, b.flexibleEnd) : null,
    ...(own ? { notes: b.notes, contact: b.contact } : {}),
    own,
    ...(b.operatorForBookingId ? {} : { operatorBooking: operator ? mapBooking(operator, actor) : null }),
  };
}

export class UsageVersionResponse {
  @ApiPropertyOptional({ nullable: true, type: Number }) operatingHours: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) meterStart: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) meterEnd: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) notes: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) recordedBy: string | null;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) recordedAtLocal: string;
}

export class UsageResponse {
  @ApiProperty() bookingId: string;
  @ApiProperty({ description: 'false until usage is recorded' }) recorded: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) operatingHours: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) meterStart: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) meterEnd: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) notes: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) recordedBy: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) recordedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) recordedAtLocal: string | null;
  @ApiProperty({ description: 'hours booked (start to end), the bound of plausible operating hours' })
  bookedHours: number;
  @ApiProperty({
    type: [UsageVersionResponse],
    description: 'earlier versions a correction replaced, oldest first',
  })
  history: UsageVersionResponse[];
}

export function mapUsage(r: UsageRecord): UsageResponse {
  const u = r.current;
  return {
    bookingId: r.booking.id,
    recorded: u !== null,
    operatingHours: u?.operatingHours ?? null,
    meterStart: u?.meterStart ?? null,
    meterEnd: u?.meterEnd ?? null,
    notes: u?.notes ?? null,
    recordedBy: u?.recordedBy ?? null,
    recordedAt: u ? utc(u.recordedAt) : null,
    recordedAtLocal: u ? local(u.recordedAt) : null,
    bookedHours: Math.round((r.booking.endAt.getTime() - r.booking.startAt.getTime()) / 36_000) / 100,
    history: r.history.map((h) => ({
      ...h,
      recordedAt: utc(h.recordedAt),
      recordedAtLocal: local(h.recordedAt),
    })),
  };
}
