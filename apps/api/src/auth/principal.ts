import type { Actor } from '@allmende/core';

/** The caller of a request: an actor, plus what scopes its idempotency keys and rate limit. */
export interface Principal extends Actor {
  /** Scopes idempotency keys: per user (`user:<id>`), or `admin` for ALLMENDE_ADMIN_TOKEN. */
  id: string;
  /** The credential used (API token, later a browser session): the rate limit counts per credential. */
  credentialId: string;
  /** Set when the credential is a browser session (logout ends it; a password change keeps it). */
  sessionId?: string;
}
