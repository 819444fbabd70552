import { Injectable } from '@nestjs/common';
import { Conflict } from '@allmende/core';
import { UnitOfWork } from '../unit-of-work';
import { ApiTokenEntity } from '../entities';
import { isUniqueViolation } from './user.repository';
import {
  CREDENTIAL_USER_COLUMNS,
  CredentialUser,
  credentialUser,
  CredentialUserRow,
} from './credential-user';

export interface NewApiToken {
  userId: string;
  name: string;
  tokenHash: string;
  expiresAt: Date;
}

/** A token as the authentication needs it: the token, its user, and the pools the user coordinates. */
export interface TokenCredential extends CredentialUser {
  tokenId: string;
  tokenName: string;
  userId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

interface CredentialRow extends CredentialUserRow {
  id: string;
  name: string;
  user_id: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

@Injectable()
export class ApiTokenRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get tokens() {
    return this.uow.manager().getRepository(ApiTokenEntity);
  }

  async insert(t: NewApiToken): Promise<ApiTokenEntity> {
    try {
      return await this.tokens.save(this.tokens.create(t));
    } catch (e) {
      if (isUniqueViolation(e, 'api_tokens_user_name_idx')) {
        throw new Conflict(`This user has a live token named "${t.name}" already.`, { field: 'name' });
      }
      throw e;
    }
  }

  async findCredential(tokenHash: string): Promise<TokenCredential | null> {
    const rows: CredentialRow[] = await this.uow.manager().query(
      `SELECT t.id, t.name, t.user_id, t.expires_at, t.revoked_at, t.last_used_at, ${CREDENTIAL_USER_COLUMNS}
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [tokenHash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      tokenId: r.id,
      tokenName: r.name,
      userId: r.user_id,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
      ...credentialUser(r),
    };
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ id });
  }

  listByUser(userId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.tokens
      .createQueryBuilder()
      .update()
      .set({ revokedAt: at })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
  }

  /** Records use, at most once a minute per token: not a write on every request. */
  async touch(id: string): Promise<void> {
    await this.uow.manager().query(
      `UPDATE api_tokens SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
