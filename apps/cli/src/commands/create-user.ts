import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule, UsersService } from '@allmende/auth';
import { ConfigError } from '@allmende/config';
import { Actor, DomainError, FieldError, ROLES, Role, SYSTEM_ACTOR } from '@allmende/core';
import { DatabaseModule, MunicipalityRepository } from '@allmende/database';
import { withDatabase } from './with-database';

export interface CreateUserOptions {
  municipality?: string;
  pool?: string[];
  tokenName?: string;
  expiresInDays?: string;
}

/** What the audit log names as the actor of CLI changes. */
const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, tokenName: 'cli' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Bad use of a command: its message is the whole story. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function resolveMunicipality(repo: MunicipalityRepository, given: string): Promise<string> {
  const found = UUID.test(given)
    ? await repo.findById(given)
    : /^\d{8}$/.test(given)
      ? await repo.findByAgs(given)
      : null;
  if (!found)
    throw new UsageError(`--municipality ${given} names no municipality (give its id or 8-digit AGS)`);
  return found.id;
}

/**
 * Creates a user and its first API token, and prints the token once. The way to the first
 * non-admin users without ALLMENDE_ADMIN_TOKEN, e.g. for a municipality's IT.
 */
export async function createUser(
  email: string,
  name: string,
  role: string,
  options: CreateUserOptions,
): Promise<void> {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`role must be one of ${ROLES.join(', ')} (got "${role}")`);
  }
  const expiresInDays = options.expiresInDays === undefined ? undefined : Number(options.expiresInDays);
  if (expiresInDays !== undefined && (!Number.isInteger(expiresInDays) || expiresInDays < 1)) {
    throw new UsageError(`--expires-in-days must be a whole number of days (got "${options.expiresInDays}")`);
  }
  await withDatabase(async (databaseUrl) => {
    @Module({
      imports: [
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: 2, applicationName: 'allmende-cli' }),
        AuthModule,
      ],
    })
    class CreateUserModule {}
    const app = await NestFactory.createApplicationContext(CreateUserModule, { logger: false });
    try {
      const municipalityId = options.municipality
        ? await resolveMunicipality(app.get(MunicipalityRepository), options.municipality)
        : undefined;
      const created = await app.get(UsersService).create(CLI_ACTOR, {
        email,
        name,
        role: role as Role,
        municipalityId,
        poolIds: options.pool,
        token: { name: options.tokenName, expiresInDays },
      });
      const { user } = created.user;
      const { token, secret } = created.issued;
      say(`Created ${user.role} ${user.email} (${user.id}).`);
      say(
        `Token "${token.name}", valid until ${token.expiresAt?.toISOString() ?? 'revoked'}; shown only now:`,
      );
      say(secret);
    } finally {
      await app.close();
    }
  });
}

/** Bad input ends the process with one clear line, never a stack trace. */
export function failCreateUser(error: unknown, command = 'create-user'): never {
  if (error instanceof DomainError) {
    const fields = (error.extra.errors as FieldError[] | undefined) ?? [];
    const detail = fields.map((f) => `${f.field} ${f.message}`).join('; ');
    process.stderr.write(`${command}: ${detail || error.message}\n`);
  } else if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`${command}: ${error.message}\n`);
  } else {
    process.stderr.write(
      `${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}
