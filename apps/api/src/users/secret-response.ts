import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ValidationFailed } from '@allmende/core';

export const SECRET_FIELDS = 'allmende:secret-fields';

/** What a replay says in place of a secret that was shown once and never stored. */
export const SHOWN_ONCE =
  'The secret (token, feed URL or signing secret) was shown only in the first response to this request ' +
  'and is not stored; if it was lost, create a new one and revoke the old one.';

/**
 * The response carries secrets (a token) shown once: an idempotent replay returns it without
 * them, saying so, because the stored response for replays must never hold a secret.
 */
export const SecretInResponse = (...fields: string[]) => SetMetadata(SECRET_FIELDS, fields);

/**
 * For a response whose secret cannot be left out of a replay: such a POST refuses an
 * Idempotency-Key. Prefer `@SecretInResponse`, which lets a replay answer without the secret.
 */
export function refuseIdempotencyKey(request: FastifyRequest): void {
  if (request.headers['idempotency-key'] !== undefined) {
    throw new ValidationFailed([
      {
        field: 'Idempotency-Key',
        message: 'is not accepted here: the response carries a secret that is never stored',
      },
    ]);
  }
}
