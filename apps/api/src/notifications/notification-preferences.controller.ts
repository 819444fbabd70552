import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { NotificationPreferencesService } from '@allmende/notifications';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { ApiDoc } from '../common/api-doc';
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
  @ApiDoc({
    summary: 'My notification preferences',
    description:
      'Language, the kinds of notification switched off and my own reminder offsets (null: the pool ' +
      'defaults). Any signed-in user; 400 for the installation admin token, which has no user.',
    ok: NotificationPreferencesResponse,
  })
  async mine(@CurrentActor() actor: Actor): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.get(actor, 'me'));
  }

  @Put('me/notification-preferences')
  @RequirePermission(Permission.Me)
  @ApiDoc({
    summary: 'Set my notification preferences',
    description:
      'Replaces language, switched-off kinds and reminder offsets (left out or null: the pool defaults). ' +
      'Any signed-in user; 400 for the installation admin token; 422 for an unknown language or kind or ' +
      'bad offsets.',
    ok: NotificationPreferencesResponse,
  })
  async putMine(
    @CurrentActor() actor: Actor,
    @Body() dto: NotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.put(actor, 'me', input(dto)));
  }

  @Get(':id/notification-preferences')
  @RequirePermission(Permission.UsersWrite)
  @ApiDoc({
    summary: "A user's notification preferences",
    description:
      'For admins managing users (a caller other than an admin sees only their own: 404 otherwise); 404 ' +
      'for an unknown user.',
    ok: NotificationPreferencesResponse,
  })
  async ofUser(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.get(actor, id));
  }

  @Put(':id/notification-preferences')
  @RequirePermission(Permission.UsersWrite)
  @ApiDoc({
    summary: "Set a user's notification preferences",
    description:
      'Replaces language, switched-off kinds and reminder offsets of the user. Admins (a caller other ' +
      'than an admin may change only their own: 404 otherwise); 404 for an unknown user; 422 for an ' +
      'unknown language or kind or bad offsets.',
    ok: NotificationPreferencesResponse,
  })
  async putOfUser(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: NotificationPreferencesDto,
  ): Promise<NotificationPreferencesResponse> {
    return mapPreferences(await this.preferences.put(actor, id, input(dto)));
  }
}
