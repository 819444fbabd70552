import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_TOKEN_LIFETIME_DAYS, tokenStatus, TokenStatus, UserView } from '@allmende/auth';
import { ROLES, Role } from '@allmende/core';
import { ApiTokenEntity } from '@allmende/database';
import { local } from '../common/dates';

const TOKEN_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._:@/-]*$/u;

export class CreateTokenDto {
  @ApiProperty({ example: 'finance-export', description: 'Unique among the live tokens of the user' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(TOKEN_NAME, { message: 'name must start with a letter or digit and use no control characters' })
  name: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOKEN_LIFETIME_DAYS, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TOKEN_LIFETIME_DAYS)
  expiresInDays?: number;
}

export class CreateUserDto {
  @ApiProperty({ example: 'stefan.koch@eschwege.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Stefan Koch' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'Required unless the role is admin' })
  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  @ApiPropertyOptional({ type: [String], description: 'The pools a coordinator coordinates' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  poolIds?: string[];

  @ApiPropertyOptional({ example: 'default', description: "Name of the user's first token" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(TOKEN_NAME, {
    message: 'tokenName must start with a letter or digit and use no control characters',
  })
  tokenName?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOKEN_LIFETIME_DAYS, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TOKEN_LIFETIME_DAYS)
  tokenExpiresInDays?: number;
}

export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) municipalityId: string | null;
  @ApiProperty({ type: [String], description: 'Pools the user coordinates' }) poolIds: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) createdAtLocal: string;
  @ApiProperty({ nullable: true, type: String }) disabledAt: string | null;
  @ApiProperty({ nullable: true, type: String }) disabledAtLocal: string | null;
}

export class TokenResponse {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: TokenStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'Europe/Berlin wall clock' }) createdAtLocal: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) expiresAtLocal: string | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedAtLocal: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAtLocal: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Precise to a minute' }) lastUsedAt:
    string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class IssuedTokenResponse extends TokenResponse {
  @ApiProperty({ description: 'The bearer token. Shown only in this response; store it now.' })
  token: string;
}

export class CreatedUserResponse extends UserResponse {
  @ApiProperty({ description: 'The bearer token. Shown only in this response; store it now.' })
  token: string;

  @ApiProperty({ type: TokenResponse }) tokenDetails: TokenResponse;
}

export class MeResponse {
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) municipalityId: string | null;
  @ApiProperty({ type: [String] }) poolIds: string[];
  @ApiProperty({ description: 'The name of the token this request used' }) tokenName: string;
  @ApiProperty({ type: UserResponse, nullable: true, description: 'Null for ALLMENDE_ADMIN_TOKEN' })
  user: UserResponse | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const wallClock = (d: Date | null): string | null => (d ? local(d) : null);

export function mapUser(v: UserView): UserResponse {
  return {
    id: v.user.id,
    email: v.user.email,
    name: v.user.name,
    role: v.user.role,
    municipalityId: v.user.municipalityId,
    poolIds: v.poolIds,
    createdAt: v.user.createdAt.toISOString(),
    createdAtLocal: local(v.user.createdAt),
    disabledAt: iso(v.user.disabledAt),
    disabledAtLocal: wallClock(v.user.disabledAt),
  };
}

export function mapToken(t: ApiTokenEntity): TokenResponse {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    status: tokenStatus(t),
    createdAt: t.createdAt.toISOString(),
    createdAtLocal: local(t.createdAt),
    expiresAt: iso(t.expiresAt),
    expiresAtLocal: wallClock(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    lastUsedAtLocal: wallClock(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
    revokedAtLocal: wallClock(t.revokedAt),
  };
}
