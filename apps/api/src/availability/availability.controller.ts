import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { Permission } from '@allmende/auth';
import { AvailabilityService } from '@allmende/bookings';
import { Actor, ValidationFailed } from '@allmende/core';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { instantFormats } from '../common/dates';
import { instant, IsInstant } from '../common/instant';
import { ApiDoc } from '../common/api-doc';

export class AvailabilityQueryDto {
  @ApiProperty() @IsUUID() poolId: string;
  @ApiProperty({ example: 'street-sweeper' }) @Matches(/^[a-z][a-z0-9-]{0,60}$/) type: string;
  @ApiProperty({ example: '2026-04-06T00:00:00+02:00' }) @IsInstant() from: string;
  @ApiProperty({ example: '2026-05-04T00:00:00+02:00' }) @IsInstant() to: string;
  @ApiPropertyOptional({ description: 'the site; travel time is counted from where each resource is' })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;
  @ApiPropertyOptional({ default: 60 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(5)
  @Max(7 * 24 * 60)
  minDurationMinutes?: number;
  @ApiPropertyOptional({ enum: ['normal', 'emergency'] })
  @IsOptional()
  @IsIn(['normal', 'emergency'])
  priority?: string;
  @ApiPropertyOptional({
    description: 'true: machines at any hour, not only inside the pool’s operating hours',
    default: false,
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  anyTime?: 'true' | 'false';
  @ApiPropertyOptional({ default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class FreeWindowResponse {
  @ApiProperty() resourceId: string;
  @ApiProperty() resourceName: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) startLocal: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) endLocal: string;
  @ApiProperty({ description: 'minutes from where the resource is to the site' }) travelMinutes: number;
}

export class AvailabilityResponse {
  @ApiProperty({ type: [FreeWindowResponse] }) windows: FreeWindowResponse[];
}

const MAX_WINDOW_DAYS = 92;

@ApiTags('availability')
@ApiBearerAuth()
@Controller('availability')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get()
  @RequirePermission(Permission.AvailabilityRead)
  @ApiDoc({
    summary: 'Free windows of a resource type in a pool',
    description:
      'Travel-aware, best fit first, within at most 92 days. An unknown type is a 422 that lists the ' +
      'pool’s types (also at GET /pools/{id}/resource-types). In a URL write the offset’s + as %2B ' +
      '(or use Z); an unencoded + arrives as a space and is read as +.',
    ok: AvailabilityResponse,
  })
  async search(@CurrentActor() actor: Actor, @Query() q: AvailabilityQueryDto) {
    const from = instant(q.from);
    const to = instant(q.to);
    if (to <= from) throw new ValidationFailed([{ field: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
      throw new ValidationFailed([
        { field: 'to', message: `the period may span at most ${MAX_WINDOW_DAYS} days` },
      ]);
    }
    const result = await this.availability.search(actor, {
      poolId: q.poolId,
      type: q.type,
      from,
      to,
      siteMunicipalityId: q.municipalityId,
      minMinutes: q.minDurationMinutes,
      emergency: q.priority === 'emergency',
      anyTime: q.anyTime === 'true',
    });
    const { utc, local } = instantFormats();
    return {
      windows: result.windows.slice(0, q.limit ?? 200).map((w) => ({
        resourceId: w.resource.id,
        resourceName: w.resource.name,
        resourceType: w.resource.type,
        needsOperator: w.resource.kind === 'machine' && w.resource.requiredQualification !== null,
        start: utc(w.start),
        end: utc(w.end),
        startLocal: local(w.start),
        endLocal: local(w.end),
        travelMinutes: w.travelInMinutes,
        operators: w.operators.map((o) => ({
          operatorId: o.operator.id,
          operatorName: o.operator.name,
          start: utc(o.start),
          end: utc(o.end),
          startLocal: local(o.start),
          endLocal: local(o.end),
          travelMinutes: o.travelInMinutes,
        })),
      })),
      inspectionsDue: result.inspectionsDue.map((i) => ({
        resourceId: i.resource.id,
        resourceName: i.resource.name,
        due: i.due,
        usableUntil: utc(i.usableUntil),
        usableUntilLocal: local(i.usableUntil),
      })),
      operatingHours: result.operatingHours,
    };
  }
}
