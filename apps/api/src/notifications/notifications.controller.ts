import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { NotificationAdminService, PoolNotificationSettingsService } from '@allmende/notifications';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { ApiDoc, PageOf } from '../common/api-doc';
import { uuidPipe } from '../common/uuid.pipe';
import {
  mapNotification,
  mapPoolSettings,
  NotificationQuery,
  NotificationResponse,
  PoolNotificationSettingsDto,
  PoolNotificationSettingsResponse,
} from './notification.dto';

/** The ledger for admins: what was sent and what failed; a failed notification can be retried. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly admin: NotificationAdminService) {}

  @Get()
  @RequirePermission(Permission.NotificationsAdmin)
  @ApiDoc({
    summary: 'The notification ledger',
    description:
      'Every e-mail notification with its status and attempts, last changed first; filter by status ' +
      'and booking. Admins only (403 otherwise); 422 for a bad filter or cursor.',
    ok: PageOf(NotificationResponse),
  })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: NotificationQuery,
  ): Promise<Page<NotificationResponse>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, ['updatedAt', 'id']);
    const rows = await this.admin.list(
      actor,
      { status: query.status, bookingId: query.bookingId },
      limit + 1,
      after,
    );
    return toPage(rows, limit, mapNotification, (n) => ({ updatedAt: n.updatedAt.toISOString(), id: n.id }));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @RequirePermission(Permission.NotificationsAdmin)
  @ApiDoc({
    summary: 'Retry a failed notification',
    description:
      'Queues the notification to be sent again. Admins only (403 otherwise); 404 for an unknown ' +
      'notification; 409 unless it failed.',
    ok: NotificationResponse,
  })
  async retry(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<NotificationResponse> {
    return mapNotification(await this.admin.retry(actor, id));
  }
}

/** A pool's default reminder offsets (24 h and 2 h unless changed). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('pools')
export class PoolNotificationSettingsController {
  constructor(private readonly settings: PoolNotificationSettingsService) {}

  @Get(':id/notification-settings')
  @RequirePermission(Permission.PoolsRead)
  @ApiDoc({
    summary: "A pool's reminder defaults",
    description:
      'The reminder offsets (minutes before the start) a booking of the pool gets unless its user set ' +
      'their own; 24 h and 2 h unless changed. Anyone who sees the pool; 404 otherwise.',
    ok: PoolNotificationSettingsResponse,
  })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<PoolNotificationSettingsResponse> {
    return mapPoolSettings(await this.settings.get(actor, id));
  }

  @Put(':id/notification-settings')
  @RequirePermission(Permission.PoolsManage)
  @ApiDoc({
    summary: "Set a pool's reminder defaults",
    description:
      'Replaces the reminder offsets (minutes before the start) of the pool. Pool coordinators and ' +
      'admins only (403); 404 for an unseen pool; 422 for bad offsets.',
    ok: PoolNotificationSettingsResponse,
  })
  async put(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: PoolNotificationSettingsDto,
  ): Promise<PoolNotificationSettingsResponse> {
    return mapPoolSettings(await this.settings.put(actor, id, dto.reminderOffsetsMinutes));
  }
}
