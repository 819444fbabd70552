import { Injectable } from '@nestjs/common';
import { Actor, Conflict, FieldError, NotFound, Role, ValidationFailed } from '@allmende/core';
import { AuditLog, UnitOfWork, UserEntity, UserRepository } from '@allmende/database';
import { policies } from './policies';
import { IssuedToken, TokenRequest, TokensService } from './tokens.service';

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  municipalityId?: string | null;
  /** Pools a coordinator coordinates; only for coordinators. */
  poolIds?: string[];
  token?: TokenRequest;
}

/** A user with the pools it coordinates. */
export interface UserView {
  user: UserEntity;
  poolIds: string[];
}

@Injectable()
export class UsersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly tokens: TokensService,
    private readonly audit: AuditLog,
  ) {}

  /** Creates the user and its first token (shown once). Admins only. */
  create(actor: Actor, input: NewUserInput): Promise<{ user: UserView; issued: IssuedToken }> {
    policies.assertAdmin(actor);
    const poolIds = [...new Set(input.poolIds ?? [])];
    const given = input.municipalityId ?? null;
    const errors: FieldError[] = [];
    if (input.role === 'admin' && given !== null) {
      errors.push({ field: 'municipalityId', message: 'an admin belongs to no municipality' });
    }
    if (input.role !== 'admin' && given === null) {
      errors.push({ field: 'municipalityId', message: `a ${input.role} must belong to a municipality` });
    }
    if (input.role !== 'coordinator' && poolIds.length > 0) {
      errors.push({ field: 'poolIds', message: 'only coordinators are assigned pools' });
    }
    if (input.role === 'coordinator' && poolIds.length === 0) {
      errors.push({ field: 'poolIds', message: 'a coordinator needs the pools it coordinates' });
    }
    if (errors.length > 0) throw new ValidationFailed(errors);

    return this.uow.run(actor, async () => {
      // The municipality by its id or by its AGS (Amtlicher Gemeindeschlüssel), as people know it.
      const municipalityId = given === null ? null : await this.users.resolveMunicipality(given);
      if (given !== null && municipalityId === null) {
        throw new ValidationFailed([
          { field: 'municipalityId', message: 'names no municipality (give its id or its 8-digit AGS)' },
        ]);
      }
      const known = new Set(await this.users.existingPoolIds(poolIds));
      const unknown = poolIds.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new ValidationFailed([{ field: 'poolIds', message: `names no pool: ${unknown.join(', ')}` }]);
      }
      if (await this.users.findByEmail(input.email)) {
        throw new Conflict(`A user with the email ${input.email} exists already.`, { field: 'email' });
      }
      const user = await this.users.insert({
        email: input.email,
        name: input.name,
        role: input.role,
        municipalityId,
        poolIds,
      });
      await this.audit.record(actor, {
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        municipalityId,
        after: { email: user.email, name: user.name, role: user.role, municipalityId, poolIds },
      });
      const issued = await this.tokens.issueWithin(actor, user.id, input.token ?? {});
      return { user: { user, poolIds }, issued };
    });
  }

  /** Admins see all users; coordinators those of their municipality and their pools' members. */
  list(actor: Actor, limit: number, after?: { email: string; id: string }): Promise<UserView[]> {
    return this.uow.run(actor, async () => {
      const scope = policies.isAdmin(actor) ? undefined : await this.municipalityScope(actor);
      const rows = await this.users.list(limit, after, scope);
      return this.withPools(rows);
    });
  }

  get(actor: Actor, id: string): Promise<UserView> {
    return this.uow.run(actor, async () => {
      const user = await this.visibleUser(actor, id);
      return (await this.withPools([user]))[0];
    });
  }

  /** Its tokens stop working at once; the account and its history stay. Admins only. */
  async disable(actor: Actor, id: string): Promise<UserView> {
    const view = await this.disableWithin(actor, id);
    // After the commit: the user's tokens stop working in this process at once.
    this.tokens.forgetCredentials();
    return view;
  }

  private disableWithin(actor: Actor, id: string): Promise<UserView> {
    policies.assertAdmin(actor);
    return this.uow.run(actor, async () => {
      const user = await this.visibleUser(actor, id);
      if (!user.disabledAt) {
        const at = new Date();
        await this.users.setDisabled(id, at);
        await this.audit.record(actor, {
          action: 'user.disabled',
          entityType: 'user',
          entityId: id,
          municipalityId: user.municipalityId,
          before: { disabledAt: null },
          after: { disabledAt: at },
        });
        user.disabledAt = at;
      }
      return (await this.withPools([user]))[0];
    });
  }

  /** The caller's own account; null for the bootstrap admin token, which has none. */
  me(actor: Actor): Promise<UserView | null> {
    const userId = actor.userId;
    if (userId === null) return Promise.resolve(null);
    return this.uow.run(actor, async () => {
      const user = await this.users.findById(userId);
      if (!user) throw new NotFound('User', userId);
      return (await this.withPools([user]))[0];
    });
  }

  private async visibleUser(actor: Actor, id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFound('User', id);
    const coordinated = await this.users.memberMunicipalityIds(
      actor.role === 'coordinator' ? actor.poolIds : [],
    );
    if (!policies.seesUser(actor, user, coordinated)) throw new NotFound('User', id);
    return user;
  }

  private async municipalityScope(actor: Actor): Promise<string[]> {
    const own = actor.municipalityId ? [actor.municipalityId] : [];
    if (actor.role !== 'coordinator') return own;
    return [...new Set([...own, ...(await this.users.memberMunicipalityIds(actor.poolIds))])];
  }

  private async withPools(users: UserEntity[]): Promise<UserView[]> {
    const pools = await this.users.poolIdsOf(users.map((u) => u.id));
    return users.map((user) => ({ user, poolIds: pools.get(user.id) ?? [] }));
  }
}
