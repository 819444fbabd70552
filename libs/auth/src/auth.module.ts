import { Module } from '@nestjs/common';
import { Clock } from './clock';
import { AccountService } from './sign-in/account.service';
import { PasswordHasher } from './sign-in/password-hasher';
import { PasswordsService } from './sign-in/passwords.service';
import { SignInService } from './sign-in/sign-in.service';
import { WebSessionsService } from './sign-in/web-sessions.service';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

const SERVICES = [
  UsersService,
  TokensService,
  Clock,
  PasswordHasher,
  SignInService,
  WebSessionsService,
  PasswordsService,
  AccountService,
];

/** Users, their API tokens, passwords and browser sessions; repositories come from DatabaseModule. */
@Module({ providers: SERVICES, exports: SERVICES })
export class AuthModule {}
