import type { UserRole } from '../entities';

/** What the authentication needs of the user behind a token or a session. */
export interface CredentialUser {
  role: UserRole;
  municipalityId: string | null;
  userDisabledAt: Date | null;
  /** The pools the user coordinates. */
  poolIds: string[];
}

/** The select list of a credential's user, joined as `u`. */
export const CREDENTIAL_USER_COLUMNS = `u.role, u.municipality_id, u.disabled_at,
  ARRAY(SELECT up.pool_id::text FROM user_pools up WHERE up.user_id = u.id ORDER BY up.pool_id) AS pool_ids`;

export interface CredentialUserRow {
  role: UserRole;
  municipality_id: string | null;
  disabled_at: Date | null;
  pool_ids: string[];
}

export function credentialUser(r: CredentialUserRow): CredentialUser {
  return {
    role: r.role,
    municipalityId: r.municipality_id,
    userDisabledAt: r.disabled_at,
    poolIds: r.pool_ids,
  };
}
