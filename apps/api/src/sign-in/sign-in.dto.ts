import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import type { Account } from '@allmende/auth';
import { MAX_PASSWORD_LENGTH } from '@allmende/auth';
import { ROLES, Role } from '@allmende/core';

export class LoginDto {
  @ApiProperty({ example: 'stefan.koch@eschwege.example' })
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'allmende-demo-2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @ApiProperty({ description: 'At least 12 characters' })
  @IsString()
  newPassword: string;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'At least 12 characters' })
  @IsString()
  password: string;
}

export class LanguageDto {
  @ApiProperty({ enum: ['de', 'en'] })
  @IsIn(['de', 'en'])
  language: 'de' | 'en';
}

export class AccountResponse {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Null for the bootstrap admin token' })
  id: string | null;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({ type: String, nullable: true }) municipalityId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) municipalityName: string | null;
  @ApiProperty({ type: [String] }) poolIds: string[];
  @ApiProperty({ enum: ['de', 'en'] }) language: 'de' | 'en';
}

export class LoginResponse {
  @ApiProperty({ type: AccountResponse }) user: AccountResponse;
}

export function mapAccount(a: Account): AccountResponse {
  return {
    id: a.id,
    name: a.name,
    email: a.email,
    role: a.role,
    municipalityId: a.municipalityId,
    municipalityName: a.municipalityName,
    poolIds: a.poolIds,
    language: a.language,
  };
}
