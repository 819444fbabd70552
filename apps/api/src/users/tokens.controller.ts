import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission, TokensService } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { uuidPipe } from '../common/uuid.pipe';
import { mapToken, TokenResponse } from './user.dto';

@ApiTags('users')
@ApiBearerAuth()
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post(':id/revoke')
  @HttpCode(200)
  @RequirePermission(Permission.OwnTokens)
  @ApiOperation({
    summary: 'Revoke a token',
    description: 'Own, or any as admin; it stops working at once. Revoking twice is harmless.',
  })
  @ApiOkResponse({ type: TokenResponse })
  async revoke(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<TokenResponse> {
    return mapToken(await this.tokens.revoke(actor, id));
  }
}
