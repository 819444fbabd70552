import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Conflict } from '@allmende/core';
import { UnitOfWork } from '../unit-of-work';
import { UserEntity, UserPoolEntity, UserRole } from '../entities';

/** What signing in needs of a user; the hash never leaves libs/auth. */
export interface SignInAccount {
  id: string;
  email: string;
  passwordHash: string | null;
  disabledAt: Date | null;
}

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  municipalityId: string | null;
  /** Pools a coordinator coordinates. */
  poolIds: string[];
}

/** A unique index was hit: a concurrent twin got there first (the services check beforehand). */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const driver =
    e instanceof QueryFailedError ? (e.driverError as { code?: string; constraint?: string }) : {};
  return driver.code === '23505' && driver.constraint === constraint;
}

@Injectable()
export class UserRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get users() {
    return this.uow.manager().getRepository(UserEntity);
  }

  private get userPools() {
    return this.uow.manager().getRepository(UserPoolEntity);
  }

  async insert(u: NewUser): Promise<UserEntity> {
    let user: UserEntity;
    try {
      user = await this.users.save(
        this.users.create({ email: u.email, name: u.name, role: u.role, municipalityId: u.municipalityId }),
      );
    } catch (e) {
      if (isUniqueViolation(e, 'users_email_idx')) {
        throw new Conflict(`A user with the email ${u.email} exists already.`, { field: 'email' });
      }
      throw e;
    }
    if (u.poolIds.length > 0) {
      await this.userPools.insert(u.poolIds.map((poolId) => ({ userId: user.id, poolId })));
    }
    return user;
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** Keyset page in stable (email, id) order; `municipalityIds` narrows it when given. */
  list(
    limit: number,
    after?: { email: string; id: string },
    municipalityIds?: readonly string[],
  ): Promise<UserEntity[]> {
    const qb = this.users
      .createQueryBuilder('u')
      .orderBy('u.email', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit);
    if (municipalityIds) qb.andWhere('u.municipality_id = ANY(:municipalityIds)', { municipalityIds });
    if (after) qb.andWhere('(u.email, u.id) > (:email, :id)', after);
    return qb.getMany();
  }

  /** The pools each user coordinates, keyed by user id. */
  async poolIdsOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return byUser;
    const rows = await this.userPools
      .createQueryBuilder('up')
      .where('up.user_id = ANY(:userIds)', { userIds })
      .orderBy('up.pool_id')
      .getMany();
    for (const row of rows) byUser.get(row.userId)?.push(row.poolId);
    return byUser;
  }

  async findSignInAccount(email: string): Promise<SignInAccount | null> {
    const rows: { id: string; email: string; password_hash: string | null; disabled_at: Date | null }[] =
      await this.uow
        .manager()
        .query(
          `SELECT id, email, password_hash, disabled_at FROM users WHERE lower(email) = lower($1) LIMIT 1`,
          [email],
        );
    const r = rows[0];
    return r ? { id: r.id, email: r.email, passwordHash: r.password_hash, disabledAt: r.disabled_at } : null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const rows: { password_hash: string | null }[] = await this.uow
      .manager()
      .query(`SELECT password_hash FROM users WHERE id = $1`, [id]);
    return rows[0]?.password_hash ?? null;
  }

  async setPasswordHash(id: string, hash: string, at: Date): Promise<void> {
    await this.uow
      .manager()
      .query(`UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1`, [id, hash, at]);
  }

  async languageOf(id: string): Promise<'de' | 'en'> {
    const rows: { language: 'de' | 'en' }[] = await this.uow
      .manager()
      .query(`SELECT language FROM users WHERE id = $1`, [id]);
    return rows[0]?.language ?? 'de';
  }

  async setLanguage(id: string, language: 'de' | 'en'): Promise<void> {
    await this.uow.manager().query(`UPDATE users SET language = $2 WHERE id = $1`, [id, language]);
  }

  async setDisabled(id: string, at: Date): Promise<void> {
    await this.users.update({ id }, { disabledAt: at });
  }

  /** The id of the municipality named by its id or its 8-digit AGS, if it exists. */
  async resolveMunicipality(idOrAgs: string): Promise<string | null> {
    const byAgs = /^\d{8}$/.test(idOrAgs);
    const rows: { id: string }[] = await this.uow
      .manager()
      .query(`SELECT id FROM municipalities WHERE ${byAgs ? 'ags' : 'id'} = $1`, [
        byAgs ? idOrAgs : idOrAgs.toLowerCase(),
      ]);
    return rows[0]?.id ?? null;
  }

  async municipalityExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.uow
      .manager()
      .query(`SELECT 1 FROM municipalities WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  /** Those of `ids` that name an existing pool (visible to the acting tenant). */
  async existingPoolIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await this.uow
      .manager()
      .query(`SELECT id FROM pools WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => r.id);
  }

  /** Municipalities that are (or were) members of any of the pools. */
  async memberMunicipalityIds(poolIds: readonly string[]): Promise<string[]> {
    if (poolIds.length === 0) return [];
    const rows: { municipality_id: string }[] = await this.uow
      .manager()
      .query(`SELECT DISTINCT municipality_id FROM pool_members WHERE pool_id = ANY($1::uuid[])`, [poolIds]);
    return rows.map((r) => r.municipality_id);
  }
}
