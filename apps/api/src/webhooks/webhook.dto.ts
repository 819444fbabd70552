import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { WebhookDeliveryRow, WebhookDeliveryStatus, WebhookEndpointRow } from '@allmende/database';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '@allmende/notifications';
import { PageQuery } from '../common/pagination';

const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed', 'skipped'] as const;

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://erp.eschwege.example/allmende/hooks',
    description:
      'http or https; private, loopback, link-local and unique-local addresses are refused unless ALLMENDE_WEBHOOK_ALLOWED_HOSTS allows them',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  url: string;

  @ApiProperty({
    enum: WEBHOOK_EVENT_TYPES,
    isArray: true,
    example: ['booking.created', 'booking.cancelled'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events: WebhookEventType[];

  @ApiPropertyOptional({ example: 'Finanzsoftware Eschwege' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ description: 'Events of this pool only (coordinators: a pool they coordinate)' })
  @IsOptional()
  @IsUUID()
  poolId?: string;

  @ApiPropertyOptional({
    description: 'Events of this municipality only (yard managers and finance: their own, the default)',
  })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ description: 'A new target, checked as at registration' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class DeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;
}

export class WebhookEndpointResponse {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events: string[];
  @ApiProperty({ enum: ['installation', 'pool', 'municipality'] }) scope:
    'installation' | 'pool' | 'municipality';
  @ApiProperty({ nullable: true, type: String }) poolId: string | null;
  @ApiProperty({ nullable: true, type: String }) poolName: string | null;
  @ApiProperty({ nullable: true, type: String }) municipalityId: string | null;
  @ApiProperty({ nullable: true, type: String }) municipalityName: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerName: string | null;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Start of the current run of failures; a day of them disables the endpoint',
  })
  failingSince: string | null;
  @ApiProperty({ nullable: true, type: String }) disabledAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty() createdAt: string;
}

export class CreatedWebhookResponse extends WebhookEndpointResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks). Shown only in this response; store it now.',
  })
  secret: string;
}

export class WebhookDeliveryResponse {
  @ApiProperty() id: string;
  @ApiProperty() endpointId: string;
  @ApiProperty({ description: 'The outbox event delivered' }) eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType: string;
  @ApiProperty({ description: 'The webhook-id header: the same on every try' }) messageId: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status of the last answer' })
  responseStatus: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) succeededAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'The body sent: { type, timestamp, data }' }) payload: Record<string, unknown>;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function mapEndpoint(e: WebhookEndpointRow): WebhookEndpointResponse {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    scope: e.poolId ? 'pool' : e.municipalityId ? 'municipality' : 'installation',
    poolId: e.poolId,
    poolName: e.poolName,
    municipalityId: e.municipalityId,
    municipalityName: e.municipalityName,
    ownerUserId: e.ownerUserId,
    ownerName: e.ownerName,
    status: e.status,
    failingSince: iso(e.failingSince),
    disabledAt: iso(e.disabledAt),
    lastError: e.lastError,
    createdAt: e.createdAt.toISOString(),
  };
}

export function mapDelivery(d: WebhookDeliveryRow): WebhookDeliveryResponse {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    messageId: d.messageId,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    succeededAt: iso(d.succeededAt),
    createdAt: d.createdAt.toISOString(),
    payload: d.payload,
  };
}
