import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as readline from 'node:readline';
import { AuthModule, PasswordsService } from '@allmende/auth';
import { Actor, SYSTEM_ACTOR } from '@allmende/core';
import { DatabaseModule } from '@allmende/database';
import { failCreateUser, UsageError } from './create-user';
import { withDatabase } from './with-database';

export interface SetPasswordOptions {
  email: string;
  passwordStdin?: boolean;
}

/** What the audit log names as the actor of CLI changes. */
const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, tokenName: 'cli' };

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

/** Asks on the terminal without echoing what is typed. */
async function prompt(question: string): Promise<string> {
  process.stdout.write(question);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

async function readPassword(options: SetPasswordOptions): Promise<string> {
  if (options.passwordStdin) return firstLine(process.stdin);
  if (!process.stdin.isTTY) {
    throw new UsageError('give the password on standard input with --password-stdin, or run in a terminal');
  }
  const first = await prompt('New password (12+ characters): ');
  const again = await prompt('Once more: ');
  if (first !== again) throw new UsageError('the two passwords differ');
  return first;
}

/**
 * Sets or resets a user's password for browser sign-in (argon2id); the user's browser sessions
 * end. The way to the first password without the web app's admin screen.
 */
export async function setPassword(options: SetPasswordOptions): Promise<void> {
  const password = await readPassword(options);
  await withDatabase(async (databaseUrl) => {
    @Module({
      imports: [
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: 2, applicationName: 'allmende-cli' }),
        AuthModule,
      ],
    })
    class SetPasswordModule {}
    const app = await NestFactory.createApplicationContext(SetPasswordModule, { logger: false });
    try {
      const { userId } = await app.get(PasswordsService).setByEmail(CLI_ACTOR, options.email, password);
      process.stdout.write(`Password set for ${options.email} (${userId}); its browser sessions ended.\n`);
    } finally {
      await app.close();
    }
  });
}

export const failSetPassword = (error: unknown): never => failCreateUser(error, 'set-password');
