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
import { localWindow, mapBooking, WindowDto } from '../bookings/booking.dto';

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
  async join(@CurrentActor() actor: Actor, @Body() dto: JoinWaitlistDto) {
    return mapEntry(
      await this.waitlist.join(actor, { ...dto, start: instant(dto.start), end: instant(dto.end) }),
    );
  }

  @Get()
  @RequirePermission(Permission.WaitlistRead)
  async list(@CurrentActor() actor: Actor, @Query() q: WaitlistQuery) {
    return { items: (await this.waitlist.list(actor, q.poolId, q.limit ?? 200)).map(mapEntry) };
  }

  @Post(':id/accept')
  @HttpCode(201)
  @RequirePermission(Permission.BookingsWrite)
  async accept(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    const outcome = await this.waitlist.accept(actor, id);
    return mapBooking(await this.views.one(actor, outcome.booking), actor);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @RequirePermission(Permission.WaitlistWrite)
  async withdraw(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string) {
    return mapEntry(await this.waitlist.withdraw(actor, id));
  }
}
