import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
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
import { BookingEntity, BookingUsageEntity } from '@allmende/database';
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

export class BookingResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['active', 'cancelled', 'displaced'] }) status: string;
  @ApiProperty() poolId: string;
  @ApiProperty() resourceId: string;
  @ApiProperty() municipalityId: string;
  @ApiProperty() siteMunicipalityId: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) startLocal: string;
  @ApiProperty() endLocal: string;
  @ApiProperty({ description: 'from departure at the previous site or depot' }) blockedStart: string;
  @ApiProperty() blockedEnd: string;
  @ApiProperty({ enum: ['normal', 'emergency'] }) priority: string;
  @ApiProperty() sequence: number;
  @ApiPropertyOptional({ nullable: true, type: String }) operatorForBookingId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) seriesId: string | null;
  @ApiPropertyOptional({ nullable: true, type: WindowDto }) flexibleWindow: {
    start: string;
    end: string;
  } | null;
  @ApiPropertyOptional({ description: 'only for the booking municipality and the pool coordinators' })
  notes?: string | null;
  @ApiPropertyOptional() contact?: string | null;
  @ApiProperty({ description: 'false: another municipality’s booking, shown as busy time' }) own: boolean;
}

export class CreatedBookingResponse extends BookingResponse {
  @ApiProperty({
    type: BookingResponse,
    nullable: true,
    description: 'the operator’s booking, made together with the machine’s (both or neither)',
  })
  operatorBooking: BookingResponse | null;
  @ApiProperty({
    type: [String],
    description: 'emergencies only: normal bookings this one displaced (they went to the waitlist)',
  })
  displacedBookingIds: string[];
}

export class SkippedOccurrenceResponse {
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ example: 'BOOKING_CONFLICT', description: 'why it was skipped, as an error code' })
  code: string;
  @ApiProperty() detail: string;
  @ApiProperty({ type: [String] }) conflictingBookingIds: string[];
}

export class SeriesResponse {
  @ApiProperty() seriesId: string;
  @ApiProperty({ type: [BookingResponse] }) bookings: BookingResponse[];
  @ApiProperty({
    type: [SkippedOccurrenceResponse],
    description: 'with onConflict "skip": the occurrences left out, and why',
  })
  skipped: SkippedOccurrenceResponse[];
}

export class CancelledBookingResponse extends BookingResponse {
  @ApiProperty({ type: [String], description: 'waitlist entries offered the freed time, in order' })
  offeredWaitlistEntryIds: string[];
}

export class UsageResponse {
  @ApiProperty() bookingId: string;
  @ApiProperty({ nullable: true, type: Number }) operatingHours: number | null;
  @ApiProperty({ nullable: true, type: Number }) meterStart: number | null;
  @ApiProperty({ nullable: true, type: Number }) meterEnd: number | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty() recordedAt: string;
}

/** Another municipality's booking of a shared resource is busy time: no notes, no contact. */
export function mapBooking(b: BookingEntity, actor: Actor): BookingResponse {
  const own = policies.seesPrivateDetails(actor, b.municipalityId, b.poolId);
  return {
    id: b.id,
    status: b.status,
    poolId: b.poolId,
    resourceId: b.resourceId,
    municipalityId: b.municipalityId,
    siteMunicipalityId: b.siteMunicipalityId,
    start: utc(b.startAt),
    end: utc(b.endAt),
    startLocal: local(b.startAt),
    endLocal: local(b.endAt),
    blockedStart: utc(b.blockedStart),
    blockedEnd: utc(b.blockedEnd),
    priority: b.priority,
    sequence: b.sequence,
    operatorForBookingId: b.operatorForBookingId,
    seriesId: b.seriesId,
    flexibleWindow:
      b.flexibleStart && b.flexibleEnd ? { start: utc(b.flexibleStart), end: utc(b.flexibleEnd) } : null,
    ...(own ? { notes: b.notes, contact: b.contact } : {}),
    own,
  };
}

export function mapUsage(u: BookingUsageEntity) {
  return {
    bookingId: u.bookingId,
    operatingHours: u.operatingHours,
    meterStart: u.meterStart,
    meterEnd: u.meterEnd,
    notes: u.notes,
    recordedAt: u.recordedAt.toISOString(),
  };
}
