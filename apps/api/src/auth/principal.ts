import type { Actor } from '@allmende/core';

/** The caller of a request: an actor plus the id that scopes its idempotency keys. */
export interface Principal extends Actor {
  id: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
