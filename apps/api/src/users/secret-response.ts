import { Request } from 'express';
import { ValidationFailed } from '@allmende/core';

/**
 * A response that carries a token secret must not be stored for idempotent replay (the secret
 * would then sit in the database in plain text): such POSTs refuse an Idempotency-Key.
 */
export function refuseIdempotencyKey(request: Request): void {
  if (request.header('idempotency-key') !== undefined) {
    throw new ValidationFailed([
      {
        field: 'Idempotency-Key',
        message: 'is not accepted here: the response carries a token that is never stored',
      },
    ]);
  }
}
