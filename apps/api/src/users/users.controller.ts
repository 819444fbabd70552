import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PasswordsService, Permission, TokensService, UsersService } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { PageOf } from '../common/api-doc';
import { uuidPipe } from '../common/uuid.pipe';
import { SecretInResponse } from './secret-response';
import { SetPasswordDto } from '../sign-in/sign-in.dto';
import {
  CreatedUserResponse,
  CreateTokenDto,
  CreateUserDto,
  IssuedTokenResponse,
  mapToken,
  mapUser,
  TokenResponse,
  UserResponse,
} from './user.dto';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly passwords: PasswordsService,
  ) {}

  @Post()
  @RequirePermission(Permission.UsersWrite)
  @SecretInResponse('token')
  @ApiOperation({
    summary: 'Create a user with a first API token (shown once)',
    description:
      'municipalityId takes the id or the 8-digit AGS. Takes an Idempotency-Key: a replay returns the ' +
      'user with `token: null` and `secretsShownOnce` saying the token was shown only the first time.',
  })
  @ApiCreatedResponse({ type: CreatedUserResponse })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<CreatedUserResponse> {
    const { tokenName, tokenExpiresInDays, ...user } = dto;
    const created = await this.users.create(actor, {
      ...user,
      token: { name: tokenName, expiresInDays: tokenExpiresInDays },
    });
    return {
      ...mapUser(created.user),
      token: created.issued.secret,
      tokenDetails: mapToken(created.issued.token),
    };
  }

  @Get()
  @RequirePermission(Permission.UsersRead)
  @ApiOperation({
    summary: 'List users',
    description: 'All for admins; for coordinators, those of their pools’ member municipalities. By email.',
  })
  @ApiOkResponse({ type: PageOf(UserResponse) })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<Page<UserResponse>> {
    const limit = query.limit ?? 100;
    const rows = await this.users.list(actor, limit + 1, decodeCursor(query.cursor, ['email', 'id']));
    return toPage(rows, limit, mapUser, (v) => ({ email: v.user.email, id: v.user.id }));
  }

  @Get(':id')
  @RequirePermission(Permission.UsersRead)
  @ApiOperation({ summary: 'One user', description: 'Role, municipality and the pools it coordinates.' })
  @ApiOkResponse({ type: UserResponse })
  async get(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<UserResponse> {
    return mapUser(await this.users.get(actor, id));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermission(Permission.UsersWrite)
  @ApiOperation({
    summary: 'Disable a user',
    description: 'Its tokens stop working at once; the user and its history stay.',
  })
  @ApiOkResponse({ type: UserResponse })
  async disable(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<UserResponse> {
    return mapUser(await this.users.disable(actor, id));
  }

  @Put(':id/password')
  @HttpCode(204)
  @RequirePermission(Permission.UsersWrite)
  @ApiOperation({
    summary: 'Set or reset a user’s password (admins; 12+ characters); its sessions end',
    description:
      'Admins only (403 otherwise; 404 for an unknown user). The password is stored as an argon2id hash; the user signs in with it in the web app.',
  })
  @ApiNoContentResponse()
  async setPassword(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: SetPasswordDto,
  ): Promise<void> {
    await this.passwords.set(actor, id, dto.password);
  }

  @Post(':id/tokens')
  @RequirePermission(Permission.OwnTokens)
  @SecretInResponse('token')
  @ApiOperation({
    summary: 'Issue a token (own, or any as admin); shown once',
    description:
      'Takes an Idempotency-Key: a replay returns the token details with `token: null` and ' +
      '`secretsShownOnce` saying the secret was shown only the first time.',
  })
  @ApiCreatedResponse({ type: IssuedTokenResponse })
  async issueToken(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: CreateTokenDto,
  ): Promise<IssuedTokenResponse> {
    const issued = await this.tokens.issue(actor, id, dto);
    return { ...mapToken(issued.token), token: issued.secret };
  }

  @Get(':id/tokens')
  @RequirePermission(Permission.OwnTokens)
  @ApiOperation({
    summary: 'A user’s tokens',
    description: 'Own, or any as admin; names, status, expiry and last use, never the secrets.',
  })
  @ApiOkResponse({ type: [TokenResponse] })
  async listTokens(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<TokenResponse[]> {
    return (await this.tokens.list(actor, id)).map(mapToken);
  }
}
