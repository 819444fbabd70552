import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'Who am I',
    description: 'The caller’s role, municipality, pools and the name of the token used.',
  })
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
