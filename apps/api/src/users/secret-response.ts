import { SetMetadata } from '@nestjs/common';

export const SECRET_FIELDS = 'allmende:secret-fields';

/** What a replay says in place of a secret that was shown once and never stored. */
export const SHOWN_ONCE =
  'The token was shown only in the first response to this request and is not stored; ' +
  'if it was lost, issue a new one (POST /api/v1/users/{id}/tokens) and revoke the old one.';

/**
 * The response carries secrets (a token) shown once: an idempotent replay returns it without
 * them, saying so, because the stored response for replays must never hold a secret.
 */
export const SecretInResponse = (...fields: string[]) => SetMetadata(SECRET_FIELDS, fields);
