import { Body, Controller, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AccountService,
  PasswordsService,
  Permission,
  SignInService,
  WebSessionsService,
} from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { CurrentActor } from '../auth/current-actor.decorator';
import type { Principal } from '../auth/principal';
import { Public } from '../auth/public.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { clearSessionCookies, writeSessionCookies } from '../auth/session-cookies';
import { refuseIdempotencyKey } from '../users/secret-response';
import {
  AccountResponse,
  ChangePasswordDto,
  LanguageDto,
  LoginDto,
  LoginResponse,
  mapAccount,
} from './sign-in.dto';

/** Browser sign-in: a session cookie (HttpOnly) and a CSRF cookie for the web app. */
@ApiTags('sign-in')
@ApiCookieAuth('allmende_session')
@Controller('auth')
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: WebSessionsService,
    private readonly passwords: PasswordsService,
    private readonly accounts: AccountService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password; sets the allmende_session and allmende_csrf cookies',
    description:
      'Wrong or unknown credentials are one 401. Five failures for an account within 15 minutes lock it for 15 minutes (423 with Retry-After); twenty from one address answer 429. The session cookie is HttpOnly and SameSite=Strict; send the allmende_csrf value as X-CSRF-Token on every state-changing request.',
  })
  @ApiOkResponse({ type: LoginResponse })
  async login(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
    @Body() dto: LoginDto,
  ): Promise<LoginResponse> {
    refuseIdempotencyKey(request);
    const session = await this.signIn.signIn(dto.email, dto.password, {
      address: request.ip || 'unknown',
      userAgent: request.headers['user-agent'] ?? null,
    });
    writeSessionCookies(request, response, session);
    const actor = await this.sessions.authenticate(session.sessionSecret);
    if (!actor) throw new Error('a session just created does not authenticate');
    return { user: mapAccount(await this.accounts.describe(actor.actor)) };
  }

  @Get('me')
  @RequirePermission(Permission.Me)
  @ApiOperation({
    summary: 'Who is signed in: name, role, municipality, pools, language',
    description:
      'The account behind the session cookie (or bearer token): what the web app shows and which screens it offers. 401 when not signed in.',
  })
  @ApiOkResponse({ type: AccountResponse })
  async me(@CurrentActor() actor: Actor): Promise<AccountResponse> {
    return mapAccount(await this.accounts.describe(actor));
  }

  @Put('me/language')
  @RequirePermission(Permission.Me)
  @ApiOperation({
    summary: 'The interface language the web app starts in after sign-in',
    description:
      'Stores `de` or `en` on the account; anything else is 422. Needs X-CSRF-Token with a session cookie.',
  })
  @ApiOkResponse({ type: AccountResponse })
  async language(@CurrentActor() actor: Actor, @Body() dto: LanguageDto): Promise<AccountResponse> {
    return mapAccount(await this.accounts.setLanguage(actor, dto.language));
  }

  @Post('logout')
  @HttpCode(204)
  @RequirePermission(Permission.Me)
  @ApiOperation({
    summary: 'End the session (server-side) and clear its cookies',
    description: 'Revokes the session in the database, so its cookie is worthless even if kept; answers 204.',
  })
  @ApiNoContentResponse()
  async logout(
    @CurrentActor() actor: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<void> {
    if (actor.sessionId) await this.sessions.signOut(actor.sessionId);
    clearSessionCookies(request, response);
  }

  @Post('password')
  @HttpCode(204)
  @RequirePermission(Permission.Me)
  @ApiOperation({
    summary: 'Change one’s own password (12+ characters); other sessions end',
    description:
      'Needs the current password (422 naming `currentPassword` when wrong) and a new one of 12 to 256 characters (422 naming `newPassword`). Stored as an argon2id hash.',
  })
  @ApiNoContentResponse()
  async changePassword(@CurrentActor() actor: Principal, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.passwords.change(actor, dto.currentPassword, dto.newPassword, actor.sessionId);
  }
}
