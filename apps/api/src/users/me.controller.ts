import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission, UsersService } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { mapUser, MeResponse } from './user.dto';

@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission(Permission.Me)
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    const view = await this.users.me(actor);
    return {
      role: actor.role,
      municipalityId: actor.municipalityId,
      poolIds: actor.poolIds,
      tokenName: actor.tokenName,
      user: view ? mapUser(view) : null,
    };
  }
}
