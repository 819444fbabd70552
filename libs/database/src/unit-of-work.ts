import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '@allmende/core';

const current = new AsyncLocalStorage<EntityManager>();

/**
 * One transaction per use case, with the acting tenant set inside it (SET LOCAL, so it cannot
 * leak into a pooled connection). Repositories pick up the transaction's manager from here.
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in a transaction as `actor`; a nested call joins the outer transaction. */
  async run<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    if (current.getStore()) return work();
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `SELECT set_config('allmende.role', $1, true), set_config('allmende.municipality_id', $2, true),
                set_config('allmende.pool_ids', $3, true), set_config('allmende.user_id', $4, true)`,
        [actor.role, actor.municipalityId ?? '', actor.poolIds.join(','), actor.userId ?? ''],
      );
      return current.run(manager, work);
    });
  }

  /** The manager of the running unit of work, or the plain one outside it. */
  manager(): EntityManager {
    return current.getStore() ?? this.dataSource.manager;
  }

  inTransaction(): boolean {
    return current.getStore() !== undefined;
  }
}
