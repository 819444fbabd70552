import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import {
  CREDENTIAL_USER_COLUMNS,
  CredentialUser,
  credentialUser,
  CredentialUserRow,
} from './credential-user';

export interface NewWebSession {
  userId: string;
  sessionHash: string;
  csrfHash: string;
  createdAt: Date;
  expiresAt: Date;
  clientAddress: string | null;
  userAgent: string | null;
}

/** A session found by its secret's hash, with its user as the authentication needs it. */
export interface WebSessionCredential extends CredentialUser {
  sessionId: string;
  userId: string;
  csrfHash: string;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

interface CredentialRow extends CredentialUserRow {
  id: string;
  user_id: string;
  csrf_hash: string;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Browser sessions: only hashes of their secrets are stored. */
@Injectable()
export class WebSessionRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(s: NewWebSession): Promise<string> {
    const rows: { id: string }[] = await this.uow.manager().query(
      `INSERT INTO web_sessions (user_id, session_hash, csrf_hash, created_at, last_seen_at, expires_at,
                                 client_address, user_agent)
            VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id`,
      [s.userId, s.sessionHash, s.csrfHash, s.createdAt, s.expiresAt, s.clientAddress, s.userAgent],
    );
    return rows[0].id;
  }

  async findCredential(sessionHash: string): Promise<WebSessionCredential | null> {
    const rows: CredentialRow[] = await this.uow.manager().query(
      `SELECT s.id, s.user_id, s.csrf_hash, s.last_seen_at, s.expires_at, s.revoked_at, ${CREDENTIAL_USER_COLUMNS}
         FROM web_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.session_hash = $1`,
      [sessionHash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      sessionId: r.id,
      userId: r.user_id,
      csrfHash: r.csrf_hash,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      ...credentialUser(r),
    };
  }

  /** Records activity (the idle expiry counts from it), at most once a minute per session. */
  async touch(id: string, at: Date): Promise<void> {
    await this.uow.manager().query(
      `UPDATE web_sessions SET last_seen_at = $2
        WHERE id = $1 AND last_seen_at < $2::timestamptz - interval '1 minute'`,
      [id, at],
    );
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.uow
      .manager()
      .query(`UPDATE web_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
  }

  /** Ends every live session of the user but `except` (the one that changed the password). */
  async revokeAllOf(userId: string, at: Date, except?: string): Promise<number> {
    const rows: unknown[] = await this.uow.manager().query(
      `UPDATE web_sessions SET revoked_at = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
        RETURNING id`,
      [userId, at, except ?? null],
    );
    return rows.length;
  }
}
