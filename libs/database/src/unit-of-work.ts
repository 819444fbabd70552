import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '@allmende/core';
import { APP_ROLE } from './app-role';

const current = new AsyncLocalStorage<EntityManager>();

/**
 * One transaction per use case, with the acting tenant set inside it (SET LOCAL, so it cannot
 * leak into a pooled connection). Repositories pick up the transaction's manager from here.
 * The transaction runs as APP_ROLE, which neither owns the tables nor bypasses row-level
 * security: whatever a query forgets to filter, the database filters by the tenant set here.
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
      await manager.query(`SET LOCAL ROLE ${APP_ROLE}`);
      if (actor.municipalityId) {
        // Pools the municipality belongs to: their bookings are visible as busy time. Read as
        // APP_ROLE: the pool_members policy lets a municipality see its own memberships.
        await manager.query(
          `SELECT set_config('allmende.member_pool_ids',
                  coalesce((SELECT string_agg(DISTINCT pool_id::text, ',') FROM pool_members
                             WHERE municipality_id = $1), ''), true)`,
          [actor.municipalityId],
        );
      }
      return current.run(manager, work);
    });
  }

  /**
   * Runs `work` so that its writes can be undone alone if it fails, while the surrounding unit of
   * work goes on (a series that skips conflicting occurrences).
   */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const manager = current.getStore();
    if (!manager) throw new Error('savepoint() needs a running unit of work');
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    await manager.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await manager.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw e;
    }
  }

  /** The manager of the running unit of work, or the plain one outside it. */
  manager(): EntityManager {
    return current.getStore() ?? this.dataSource.manager;
  }
}
