/** Who is calling: resolved from the bearer token by the auth guard. */
export interface Principal {
  /** Stable id that scopes idempotency keys and fills the audit log. */
  id: string;
  userId: string | null;
  tokenName: string;
  role: 'admin';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
