import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { NotificationAdminService, PoolNotificationSettingsService } from '@allmende/notifications';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { decodeCursor, Page, toPage } from '../common/pagination';
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
  @ApiOkResponse({ type: NotificationResponse })
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
  @ApiOkResponse({ type: PoolNotificationSettingsResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<PoolNotificationSettingsResponse> {
    return mapPoolSettings(await this.settings.get(actor, id));
  }

  @Put(':id/notification-settings')
  @RequirePermission(Permission.PoolsManage)
  @ApiOkResponse({ type: PoolNotificationSettingsResponse })
  async put(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: PoolNotificationSettingsDto,
  ): Promise<PoolNotificationSettingsResponse> {
    return mapPoolSettings(await this.settings.put(actor, id, dto.reminderOffsetsMinutes));
  }
}
