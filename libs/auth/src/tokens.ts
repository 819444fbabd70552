import { createHash, randomBytes } from 'node:crypto';

/** Lets secret scanners and people recognise an allmende API token. */
export const TOKEN_PREFIX = 'alm_';
export const TOKEN_BYTES = 32;

/** A new API token: 32 random bytes, base64url, prefixed. Shown once, never stored. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

/** What is stored and looked up: SHA-256 suffices for 256-bit random secrets (no brute force). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
