import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 12;
/** Long passphrases are welcome; megabytes are not (argon2 reads all of it). */
export const MAX_PASSWORD_LENGTH = 256;

/** argon2id (the library's default algorithm) with the OWASP-recommended 19 MiB, 2 passes. */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes and checks passwords; the PHC string carries algorithm, parameters and salt. */
@Injectable()
export class PasswordHasher {
  /** Checked against when the account is unknown, so that it answers as slowly as a known one. */
  private readonly decoy: Promise<string> = hash('allmende-decoy-password', OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (passwordHash === null) {
      await verify(await this.decoy, password).catch(() => false);
      return false;
    }
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }
}
