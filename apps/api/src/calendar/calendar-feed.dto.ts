import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import type { CalendarFeedRow } from '@allmende/database';

export class CreateCalendarFeedDto {
  @ApiPropertyOptional({
    example: 'Kehrmaschinen Bauhof',
    description: 'The calendar’s name in the subscribing app (default: who or what it shows)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({
    description:
      'A resource’s feed instead of your own: its bookings as you may see them. The feed of a staff resource is that operator’s assignments.',
  })
  @IsOptional()
  @IsUUID()
  resourceId?: string;

  @ApiPropertyOptional({ enum: ['de', 'en'], default: 'de', description: 'Language of the event texts' })
  @IsOptional()
  @IsIn(['de', 'en'])
  language?: 'de' | 'en';
}

export class CalendarFeedResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['user', 'resource'] }) kind: 'user' | 'resource';
  @ApiProperty({ nullable: true, type: String }) resourceId: string | null;
  @ApiProperty({ nullable: true, type: String }) resourceName: string | null;
  @ApiProperty({ enum: ['de', 'en'] }) language: 'de' | 'en';
  @ApiProperty({ enum: ['active', 'revoked'] }) status: 'active' | 'revoked';
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last fetch, precise to a minute' })
  lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedCalendarFeedResponse extends CalendarFeedResponse {
  @ApiProperty({ description: 'The feed’s secret token. Shown only in this response.' }) token: string;
  @ApiProperty({ description: 'The address to subscribe to (https or http as called)' }) url: string;
  @ApiProperty({ description: 'The same address as webcal://, which opens calendar apps directly' })
  webcalUrl: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function mapCalendarFeed(f: CalendarFeedRow): CalendarFeedResponse {
  return {
    id: f.id,
    name: f.name,
    kind: f.resourceId ? 'resource' : 'user',
    resourceId: f.resourceId,
    resourceName: f.resourceName,
    language: f.language,
    status: f.revokedAt ? 'revoked' : 'active',
    createdAt: f.createdAt.toISOString(),
    lastUsedAt: iso(f.lastUsedAt),
    revokedAt: iso(f.revokedAt),
  };
}
