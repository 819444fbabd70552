import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Permission } from '@allmende/auth';
import { BookingViews, WaitlistService, WaitlistView } from '@allmende/bookings';
import type { Actor } from '@allmende/core';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { local, utc } from '../common/dates';
import { instant, IsInstant } from '../common/instant';
import { uuidPipe } from '../common/uuid.pipe';
import { BookingResponse, localWindow, mapBooking, WindowDto } from '../bookings/booking.dto';
import { ApiDoc } from '../common/api-doc';

export class JoinWaitlistDto {
  @ApiProperty() @IsUUID() poolId: string;
  @ApiProperty({ example: 'street-sweeper' }) @Matches(/^[a-z][a-z0-9-]{0,60}$/) type: string;
  @ApiPropertyOptional({ description: 'a particular resource, or any of the type' })
  @IsOptional()
  @IsUUID()
  resourceId?: string;
  @ApiProperty() @IsUUID() municipalityId: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() siteMunicipalityId?: string;
  @ApiProperty() @IsInstant() start: string;
  @ApiProperty() @IsInstant() end: string;
  @ApiPropertyOptional({ enum: ['normal', 'emergency'] })
  @IsOptional()
  @IsIn(['normal', 'emergency'])
  priority?: 'normal' | 'emergency';
  @ApiPropertyOptional({
    type: WindowDto,
    description: 'any slot of the same duration inside serves the request',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WindowDto)
  flexibleWindow?: WindowDto;
}

export class WaitlistQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() poolId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class WaitlistEntryResponse {
  @ApiProperty() id: string;
  @ApiProperty() poolId: string;
  @ApiProperty({ example: 'street-sweeper' }) type: string;
  @ApiProperty({ nullable: true, type: String }) resourceId: string | null;
  @ApiProperty() municipalityId: string;
  @ApiProperty() siteMunicipalityId: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) startLocal: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) endLocal: string;
  @ApiProperty({ enum: ['normal', 'emergency'] }) priority: string;
  @ApiProperty({ type: WindowDto, nullable: true }) flexibleWindow: { start: string; end: string } | null;
  @ApiProperty({ description: 'why it waits, e.g. no-slot or displaced' }) reason: string;
  @ApiProperty({ nullable: true, type: String }) displacedBookingId: string | null;
  @ApiProperty({ description: 'waiting, offered, fulfilled, withdrawn, …' }) status: string;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'the slot offered (after a cancellation), to accept',
  })
  offer: unknown;
  @ApiProperty() createdAt: string;
}

export class WaitlistListResponse {
  @ApiProperty({ type: [WaitlistEntryResponse] }) items: WaitlistEntryResponse[];
}

function mapEntry(v: WaitlistView) {
  const e = v.entry;
  const offer = e.offer as { resourceId: string; start: string; end: string } | null;
  return {
    id: e.id,
    poolId: e.poolId,
    type: e.resourceType,
    resourceId: e.resourceId,
    resourceName: v.resource?.name ?? null,
    needsOperator: v.resource?.needsOperator ?? null,
    municipalityId: e.municipalityId,
    municipalityName: v.municipalityName,
    siteMunicipalityId: e.siteMunicipalityId,
    siteMunicipalityName: v.siteMunicipalityName,
    start: utc(e.startAt),
    end: utc(e.endAt),
    startLocal: local(e.startAt),
    endLocal: local(e.endAt),
    priority: e.priority,
    flexibleWindow: e.flexibleStart && e.flexibleEnd ? localWindow(e.flexibleStart, e.flexibleEnd) : null,
    reason: e.reason,
    displacedBookingId: e.displacedBookingId,
    status: e.status,
    offer: offer
      ? {
          resourceId: offer.resourceId,
          resourceName: v.offeredResource?.name ?? null,
          needsOperator: v.offeredResource?.needsOperator ?? null,
          ...localWindow(new Date(offer.start), new Date(offer.end)),
        }
      : null,
    createdAt: utc(e.createdAt),
    createdAtLocal: local(e.createdAt),
  };
}

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('waitlist')
export class WaitlistController {
  constructor(
    private readonly waitlist: WaitlistService,
    private readonly views: BookingViews,
  ) {}

  @Post()
  @RequirePermission(Permission.WaitlistWrite)
  @ApiDoc({
    summary: 'Join the waitlist for a resource type',
    description:
      'When no machine of the type is free: the request waits, is offered freed time in order, and is ' +
      'served by the coordinator’s solver. Takes an Idempotency-Key.',
    created: WaitlistEntryResponse,
  })
  async join(@CurrentActor() actor: Actor, @Body() dto: JoinWaitlistDto) {
    return mapEntry(
      await this.waitlist.join(actor, { ...dto, start: instant(dto.start), end: instant(dto.end) }),
    );
  }

  @Get()
  @RequirePermission(Permission.WaitlistRead)
  @ApiDoc({
    summary: 'Waiting requests',
    description: 'The caller’s own (a coordinator: the pool’s), oldest first.',
    ok: WaitlistListResponse,
  })
  async list(@CurrentActor() actor: Actor, @Query() q: WaitlistQuery) {
    return { items: (await this.waitlist.list(actor, q.poolId, q.limit ?? 200)).map(mapEntry) };
  }

  @Post(':id/accept')
  @HttpCode(201)
  @RequirePermission(Permission.BookingsWrite)
  @ApiDoc({
    summary: 'Accept an offered slot',
    description: 'Books the offered time for the waiting request; 409 if it has been taken meanwhile.',
    created: BookingResponse,
  })
  async accept(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    const outcome = await this.waitlist.accept(actor, id);
    return mapBooking(await this.views.one(actor, outcome.booking), actor);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @RequirePermission(Permission.WaitlistWrite)
  @ApiDoc({
    summary: 'Withdraw a waiting request',
    description: 'It stops waiting and is offered nothing more.',
    ok: WaitlistEntryResponse,
  })
  async withdraw(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    return mapEntry(await this.waitlist.withdraw(actor, id));
  }
}
