import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { NotificationPreferencesService } from '@allmende/notifications';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { uuidPipe } from '../common/uuid.pipe';
import {
  mapPreferences,
  NotificationPreferencesDto,
  NotificationPreferencesResponse,
} from './notification.dto';

const input = (dto: NotificationPreferencesDto) => ({
  language: dto.language,
  disabledKinds: dto.disabledKinds,
  reminderOffsetsMinutes: dto.reminderOffsetsMinutes ?? null,
});

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('users')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get('me/notification-preferences')
  @RequirePermission(Permission.Me)
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  async mine(@CurrentActor() actor: Actor): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.get(actor, 'me'));
  }

  @Put('me/notification-preferences')
  @RequirePermission(Permission.Me)
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  async putMine(
    @CurrentActor() actor: Actor,
    @Body() dto: NotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.put(actor, 'me', input(dto)));
  }

  @Get(':id/notification-preferences')
  @RequirePermission(Permission.UsersWrite)
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  async ofUser(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.get(actor, id));
  }

  @Put(':id/notification-preferences')
  @RequirePermission(Permission.UsersWrite)
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  async putOfUser(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: NotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.put(actor, id, input(dto)));
  }
}
