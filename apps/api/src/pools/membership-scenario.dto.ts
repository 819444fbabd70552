import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsISO8601,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import { ValidationFailed } from '@allmende/core';
import type { MembershipJoin, MembershipLeave, MembershipScenario } from '@allmende/pools';
import { CostSharingDto } from './pool.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Joins and leaves per scenario, each. */
const MAX_CHANGES = 100;

export class MembershipJoinDto implements MembershipJoin {
  @ApiProperty() @IsUUID() municipalityId: string;

  @ApiProperty({ example: '2027-01-01', description: 'first day of membership (Europe/Berlin)' })
  @Matches(DATE, { message: 'from must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { 'street-sweeper': 6 },
    description:
      'demand in hours per week by type; without it, estimated from its own bookings and unserved requests (any pool) of the 52 weeks before it joins',
  })
  @IsOptional()
  @IsObject()
  demandHoursPerWeekByType?: Record<string, number>;
}

export class MembershipLeaveDto implements MembershipLeave {
  @ApiProperty() @IsUUID() municipalityId: string;

  @ApiProperty({ example: '2027-07-01', description: 'first day without membership (Europe/Berlin)' })
  @Matches(DATE, { message: 'from must be a date yyyy-MM-dd' })
  @IsISO8601({ strict: true })
  from: string;
}

/**
 * The membership what-if, one request model for both routes: `POST /pools/{id}/cost-sharing/simulate`
 * (shares and nets before and after) and `POST /pools/{id}/planning/simulate` (utilization and
 * bottlenecks; it adds the span `from`/`to` and leaves `costSharing` aside, since a key changes
 * no capacity).
 */
export class MembershipScenarioDto implements MembershipScenario {
  @ApiPropertyOptional({ type: [MembershipJoinDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CHANGES)
  @ValidateNested({ each: true })
  @Type(() => MembershipJoinDto)
  joins?: MembershipJoinDto[];

  @ApiPropertyOptional({ type: [MembershipLeaveDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CHANGES)
  @ValidateNested({ each: true })
  @Type(() => MembershipLeaveDto)
  leaves?: MembershipLeaveDto[];

  @ApiPropertyOptional({
    type: CostSharingDto,
    description: 'another cost-sharing key to compare with the one in force (the cost side only)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CostSharingDto)
  costSharing?: CostSharingDto;
}

/** The scenario of a request, its demand figures checked (hours per week, 0 to 8,400). */
export function toScenario(dto: MembershipScenarioDto): MembershipScenario {
  for (const [i, j] of (dto.joins ?? []).entries())
    for (const [type, hours] of Object.entries(j.demandHoursPerWeekByType ?? {}))
      if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0 || hours > 168 * 50)
        throw new ValidationFailed([
          { field: `joins[${i}].demandHoursPerWeekByType.${type}`, message: 'must be a number of hours ≥ 0' },
        ]);
  return {
    joins: dto.joins?.map((j) => ({
      municipalityId: j.municipalityId,
      from: j.from,
      ...(j.demandHoursPerWeekByType ? { demandHoursPerWeekByType: j.demandHoursPerWeekByType } : {}),
    })),
    leaves: dto.leaves?.map((l) => ({ municipalityId: l.municipalityId, from: l.from })),
    ...(dto.costSharing ? { costSharing: dto.costSharing } : {}),
  };
}
