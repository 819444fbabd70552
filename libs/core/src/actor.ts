export const ROLES = ['admin', 'coordinator', 'yard-manager', 'finance', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who acts: resolved from the bearer token. Domain services take it to decide what the caller
 * may do; the database gets it too (row-level security) through the unit of work.
 */
export interface Actor {
  /** Null for the bootstrap admin token (ALLMENDE_ADMIN_TOKEN). */
  userId: string | null;
  tokenName: string;
  role: Role;
  /** The user's municipality; null only for admin. */
  municipalityId: string | null;
  /** Pools the user coordinates (coordinator role). */
  poolIds: string[];
  /**
   * Booking changes made as this actor send no e-mail (their outbox events say `silent`): data
   * that existed before anyone could be told, such as the demo region's season and history.
   * The audit log, webhooks and reminders see them as usual.
   */
  silent?: boolean;
}

/** The installation itself, for the CLI and jobs (demo data, solver runs). */
export const SYSTEM_ACTOR: Actor = {
  userId: null,
  tokenName: 'system',
  role: 'admin',
  municipalityId: null,
  poolIds: [],
};
