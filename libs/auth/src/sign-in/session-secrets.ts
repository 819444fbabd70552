import { createHash, randomBytes } from 'node:crypto';

/** A session id or CSRF token: 32 random bytes, base64url. Only its SHA-256 is stored. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
