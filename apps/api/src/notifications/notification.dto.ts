import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { NotificationRow } from '@allmende/database';
import {
  LANGUAGES,
  NOTIFICATION_KINDS,
  NotificationPreferences,
  PoolNotificationSettings,
  REMINDER_OFFSET_LIMITS,
} from '@allmende/notifications';
import { PageQuery } from '../common/pagination';
import { local, utc } from '../common/dates';

export class NotificationPreferencesDto {
  @ApiProperty({ enum: LANGUAGES, description: 'language of the emails' })
  @IsIn(LANGUAGES)
  language: 'de' | 'en';

  @ApiProperty({
    enum: NOTIFICATION_KINDS,
    isArray: true,
    description: 'kinds switched off; all others are on',
  })
  @IsArray()
  @ArrayMaxSize(NOTIFICATION_KINDS.length)
  @IsIn(NOTIFICATION_KINDS, { each: true })
  disabledKinds: (typeof NOTIFICATION_KINDS)[number][];

  @ApiPropertyOptional({
    type: [Number],
    nullable: true,
    example: [1440, 120],
    description: "minutes before a booking's start; null: the pool's offsets",
  })
  @ValidateIf((o: NotificationPreferencesDto) => o.reminderOffsetsMinutes !== null)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REMINDER_OFFSET_LIMITS.count)
  @IsInt({ each: true })
  @Min(REMINDER_OFFSET_LIMITS.min, { each: true })
  @Max(REMINDER_OFFSET_LIMITS.max, { each: true })
  reminderOffsetsMinutes?: number[] | null;
}

export class NotificationPreferencesResponse {
  @ApiProperty() userId: string;
  @ApiProperty({ enum: LANGUAGES }) language: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS, isArray: true }) disabledKinds: string[];
  @ApiProperty({ type: [Number], nullable: true }) reminderOffsetsMinutes: number[] | null;
}

export function mapPreferences(p: NotificationPreferences): NotificationPreferencesResponse {
  return {
    userId: p.userId,
    language: p.language,
    disabledKinds: p.disabledKinds,
    reminderOffsetsMinutes: p.reminderOffsetsMinutes,
  };
}

export class PoolNotificationSettingsDto {
  @ApiProperty({ type: [Number], example: [1440, 120], description: "minutes before a booking's start" })
  @IsArray()
  @ArrayMaxSize(REMINDER_OFFSET_LIMITS.count)
  @IsInt({ each: true })
  @Min(REMINDER_OFFSET_LIMITS.min, { each: true })
  @Max(REMINDER_OFFSET_LIMITS.max, { each: true })
  reminderOffsetsMinutes: number[];
}

export class PoolNotificationSettingsResponse {
  @ApiProperty() poolId: string;
  @ApiProperty({ type: [Number] }) reminderOffsetsMinutes: number[];
}

export function mapPoolSettings(s: PoolNotificationSettings): PoolNotificationSettingsResponse {
  return { poolId: s.poolId, reminderOffsetsMinutes: s.reminderOffsetsMinutes };
}

const STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;

export class NotificationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
  @ApiPropertyOptional() @IsOptional() @IsUUID() bookingId?: string;
}

export class NotificationResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty() recipientEmail: string;
  @ApiProperty() recipientName: string;
  @ApiPropertyOptional({ nullable: true, type: String }) userId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) bookingId: string | null;
  @ApiProperty() language: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() createdAtLocal: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAtLocal: string | null;
}

export function mapNotification(n: NotificationRow): NotificationResponse {
  return {
    id: n.id,
    kind: n.kind,
    status: n.status,
    recipientEmail: n.recipientEmail,
    recipientName: n.recipientName,
    userId: n.userId,
    bookingId: n.bookingId,
    language: n.language,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: utc(n.createdAt),
    createdAtLocal: local(n.createdAt),
    sentAt: n.sentAt ? utc(n.sentAt) : null,
    sentAtLocal: n.sentAt ? local(n.sentAt) : null,
  };
}
