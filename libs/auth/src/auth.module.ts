import { Module } from '@nestjs/common';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

/** Users and their API tokens; the repositories come from the global DatabaseModule. */
@Module({
  providers: [UsersService, TokensService],
  exports: [UsersService, TokensService],
})
export class AuthModule {}
