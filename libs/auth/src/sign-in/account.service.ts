import { Injectable } from '@nestjs/common';
import type { Actor } from '@allmende/core';
import { MunicipalityRepository, UnitOfWork, UserRepository } from '@allmende/database';

/** Who is signed in, as the web app shows it. */
export interface Account {
  /** Null for the bootstrap admin token, which has no account. */
  id: string | null;
  name: string;
  email: string | null;
  role: Actor['role'];
  municipalityId: string | null;
  municipalityName: string | null;
  poolIds: string[];
  language: 'de' | 'en';
}

@Injectable()
export class AccountService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly municipalities: MunicipalityRepository,
  ) {}

  describe(actor: Actor): Promise<Account> {
    const userId = actor.userId;
    return this.uow.run(actor, async () => {
      const municipality = actor.municipalityId
        ? await this.municipalities.findById(actor.municipalityId)
        : null;
      const user = userId ? await this.users.findById(userId) : null;
      return {
        id: user?.id ?? null,
        name: user?.name ?? 'Administrator',
        email: user?.email ?? null,
        role: actor.role,
        municipalityId: actor.municipalityId,
        municipalityName: municipality?.name ?? null,
        poolIds: actor.poolIds,
        language: userId ? await this.users.languageOf(userId) : 'de',
      };
    });
  }

  /** The interface language the user chose; the web app starts in it after sign-in. */
  async setLanguage(actor: Actor, language: 'de' | 'en'): Promise<Account> {
    const userId = actor.userId;
    if (userId) await this.uow.run(actor, () => this.users.setLanguage(userId, language));
    return this.describe(actor);
  }
}
