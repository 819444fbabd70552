import { Inject, Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Actor } from '@allmende/core';
import { APP_ROLE } from './app-role';
import type { DatabaseOptions } from './data-source';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/** A running unit of work: its transaction, and its tenant settings while no statement has set them. */
interface Work {
  manager: EntityManager;
  pendingTenant: string[] | null;
  /** Sends what the opening left corked (BEGIN, the tenant) with the first statement; once. */
  flush: () => void;
  /** Savepoints and joined units of work open now: a statement inside one never ends the transaction. */
  depth: number;
  /** The transaction ends with its last statement (query's `last`), in the pipelined mode only. */
  endsWithLast: boolean;
  committed: boolean;
  /** A statement of this work wrote an outbox row (booking_events): wake the relay after the commit. */
  outboxWritten: boolean;
}

const NOTHING_CORKED = () => undefined;

const current = new AsyncLocalStorage<Work>();

const PG_DEADLOCK_DETECTED = '40P01';

/**
 * The acting tenant and the switch to APP_ROLE, in one statement. The select list is evaluated
 * left to right: the member pools (the pools the municipality belongs to, whose bookings it sees
 * as busy time) are read after the tenant settings they are filtered by, and the role is last.
 */
const TENANT_SQL = `
  SELECT set_config('allmende.role', $1, true), set_config('allmende.municipality_id', $2, true),
         set_config('allmende.pool_ids', $3, true), set_config('allmende.user_id', $4, true),
         set_config('allmende.member_pool_ids',
                    coalesce((SELECT string_agg(DISTINCT pool_id::text, ',') FROM pool_members
                               WHERE municipality_id = nullif($2, '')::uuid), ''), true),
         set_config('role', '${APP_ROLE}', true)`;

/**
 * One transaction per use case, with the acting tenant set inside it (SET LOCAL, so it cannot
 * leak into a pooled connection). Repositories pick up the transaction's manager from here.
 * The transaction runs as APP_ROLE, which neither owns the tables nor bypasses row-level
 * security: whatever a query forgets to filter, the database filters by the tenant set here.
 */
@Injectable()
export class UnitOfWork {
  private readonly prepared: boolean;
  private onOutboxCommitted: () => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_OPTIONS) options: Pick<DatabaseOptions, 'preparedStatements'>,
  ) {
    this.prepared = options.preparedStatements ?? false;
  }

  /**
   * Runs `work` in a transaction as `actor`; a nested call joins the outer transaction. A
   * transaction that PostgreSQL chose as a deadlock victim is run again (at most twice): its
   * writes were rolled back, and everything it does lives in the database.
   */
  async run<T>(
    actor: Actor,
    work: () => Promise<T>,
    options: { tenantInFirstStatement?: boolean } = {},
  ): Promise<T> {
    const outer = current.getStore();
    if (outer) {
      // Joins the outer transaction, which goes on after this work: its statements never end it.
      outer.depth++;
      try {
        return await work();
      } finally {
        outer.depth--;
      }
    }
    const tenant = [actor.role, actor.municipalityId ?? '', actor.poolIds.join(','), actor.userId ?? ''];
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.prepared) return await this.pipelined(tenant, work, options.tenantInFirstStatement ?? false);
        let opened: Work | undefined;
        const result = await this.dataSource.transaction(async (manager) => {
          opened = {
            manager,
            pendingTenant: options.tenantInFirstStatement ? tenant : null,
            flush: NOTHING_CORKED,
            depth: 0,
            endsWithLast: false,
            committed: false,
            outboxWritten: false,
          };
          if (!options.tenantInFirstStatement)
            await this.prepare(manager, 'allmende_tenant', TENANT_SQL, tenant);
          return current.run(opened, work);
        });
        if (opened?.outboxWritten) this.onOutboxCommitted();
        return result;
      } catch (e) {
        if ((e as { code?: string }).code !== PG_DEADLOCK_DETECTED || attempt === 3) throw e;
      }
    }
  }

  /**
   * The transaction on a connection of its own session (the pool's clients run in pg's pipeline
   * mode): BEGIN, the tenant statement and the work's first statement leave together, in one
   * write, and come back in one round trip, instead of one each. PostgreSQL runs them in order,
   * so no statement of the work runs before the tenant is set. BEGIN itself cannot fail on a
   * session that goes on outside a transaction: it fails only inside an aborted transaction
   * (where every statement after it fails too) or with the connection. A failed tenant statement
   * aborts the transaction the same way. Either first error is what the caller gets. A work whose
   * last statement says so (query's `last`) is committed by the COMMIT sent right behind it.
   */
  private async pipelined<T>(
    tenant: string[],
    work: () => Promise<T>,
    tenantInFirstStatement: boolean,
  ): Promise<T> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const flush = corkUntilFlushed(client);
      const opening = [client.query('BEGIN')];
      if (!tenantInFirstStatement)
        opening.push(client.query({ name: 'allmende_tenant', text: TENANT_SQL, values: tenant }));
      for (const o of opening) o.catch(() => undefined);
      // TypeORM's own writes (save, upsert) open a transaction of their own unless one is active.
      markTransaction(runner, true);
      const unit: Work = {
        manager: runner.manager,
        pendingTenant: tenantInFirstStatement ? tenant : null,
        flush,
        depth: 0,
        endsWithLast: true,
        committed: false,
        outboxWritten: false,
      };
      let result: T;
      try {
        result = await current.run(unit, work);
        flush();
        await Promise.all(opening);
      } catch (e) {
        flush();
        const failedOpening = await firstFailure(opening);
        // After a COMMIT that failed (a deferred constraint) there is no transaction left to undo.
        if (!unit.committed) await client.query('ROLLBACK').catch(() => undefined);
        markTransaction(runner, false);
        // The work failed after its COMMIT was sent (with its last statement): the rows may be in.
        if (unit.committed && unit.outboxWritten) this.onOutboxCommitted();
        throw failedOpening ?? e;
      }
      try {
        if (!unit.committed) await client.query('COMMIT');
      } finally {
        markTransaction(runner, false);
      }
      if (unit.outboxWritten) this.onOutboxCommitted();
      return result;
    } finally {
      await runner.release();
    }
  }

  /**
   * Says that the statement just run wrote an outbox row (booking_events). Inside a unit of work
   * the relay is woken once that work has committed (never for rows rolled back, never while the
   * transaction runs); outside one the statement committed on its own, and the relay is woken now.
   */
  outboxWritten(): void {
    const work = current.getStore();
    if (work) work.outboxWritten = true;
    else this.onOutboxCommitted();
  }

  /** Who is told of committed outbox rows (OutboxSignal, which wakes the relay). One listener. */
  whenOutboxCommitted(listener: () => void): void {
    this.onOutboxCommitted = listener;
  }

  /** Whether a unit of work is running in this async context. */
  active(): boolean {
    return current.getStore() !== undefined;
  }

  /**
   * Runs `work` so that its writes can be undone alone if it fails, while the surrounding unit of
   * work goes on (a series that skips conflicting occurrences).
   */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const manager = current.getStore() && this.manager();
    if (!manager) throw new Error('savepoint() needs a running unit of work');
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    const unit = current.getStore()!;
    await manager.query(`SAVEPOINT ${name}`);
    unit.depth++;
    try {
      const result = await work();
      await manager.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw e;
    } finally {
      unit.depth--;
    }
  }

  /**
   * Runs one of the hot path's statements. With prepared statements on, it is prepared under
   * `name` once per connection, and PostgreSQL plans it once instead of at every call (the
   * booking engine's statements take longer to plan than to run). `name` must be unique per text.
   *
   * `last`: the caller knows that nothing follows this statement in its transaction. Where the
   * statement runs straight in a unit of work's own transaction (pipelined, not in a savepoint,
   * not nested in a caller's work that goes on), COMMIT is sent right behind it and the unit of
   * work ends with it: one round trip less. A statement that fails turns that COMMIT into a
   * rollback; a COMMIT that fails (a deferred constraint) is this call's error. Elsewhere `last`
   * changes nothing.
   */
  async query<T>(
    name: string,
    text: string,
    values: unknown[],
    options: { last?: boolean } = {},
  ): Promise<T[]> {
    const work = current.getStore();
    if (work?.pendingTenant) {
      const tenant = work.pendingTenant;
      work.pendingTenant = null;
      await this.prepare(work.manager, 'allmende_tenant', TENANT_SQL, tenant);
    }
    if (options.last && this.prepared && work?.endsWithLast && work.depth === 0 && !work.committed)
      return this.statementThenCommit<T>(work, name, text, values);
    return this.prepare<T>(this.manager(), name, text, values);
  }

  private async statementThenCommit<T>(
    work: Work,
    name: string,
    text: string,
    values: unknown[],
  ): Promise<T[]> {
    const client = (await work.manager.queryRunner!.connect()) as PoolClient;
    const flush = corkUntilFlushed(client);
    const statement = client.query({ name, text, values });
    const commit = client.query('COMMIT');
    work.committed = true;
    work.flush();
    flush();
    commit.catch(() => undefined);
    let rows: T[];
    try {
      rows = (await statement).rows as T[];
    } catch (e) {
      await commit.catch(() => undefined);
      throw e;
    }
    await commit;
    return rows;
  }

  /**
   * Runs a hot-path statement whose first four parameters set the unit of work's tenant as the
   * tenant statement does (role, municipality, coordinated pools, user; then SET LOCAL ROLE), or
   * are NULL when it is set already: a unit of work run with `tenantInFirstStatement` begins with
   * one, saving the round trip of the tenant statement. `values` are the parameters after those four.
   */
  async queryAsTenant<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const work = current.getStore();
    if (!work) throw new Error('queryAsTenant() needs a running unit of work');
    const tenant = work.pendingTenant ?? [null, null, null, null];
    work.pendingTenant = null;
    return this.prepare<T>(work.manager, name, text, [...tenant, ...values]);
  }

  private async prepare<T>(
    manager: EntityManager,
    name: string,
    text: string,
    values: unknown[],
  ): Promise<T[]> {
    if (!this.prepared || !manager.queryRunner) return manager.query(text, values);
    const client = (await manager.queryRunner.connect()) as PoolClient;
    const result = client.query({ name, text, values });
    current.getStore()?.flush();
    return (await result).rows as T[];
  }

  /**
   * The manager of the running unit of work, or the plain one outside it. Not before the tenant
   * is set: a statement through it would run without the tenant and the app role.
   */
  manager(): EntityManager {
    const work = current.getStore();
    if (!work) return this.dataSource.manager;
    if (work.pendingTenant) {
      throw new Error(
        'The unit of work has not set its tenant yet: its first statement must be query() or queryAsTenant().',
      );
    }
    return work.manager;
  }
}

/**
 * Holds back what is written to the client's socket until the returned function is called (at
 * the latest on the next turn of the event loop), so that the opening statements leave in one
 * write with the work's first statement instead of one write (and one wake-up of the server) each.
 */
function corkUntilFlushed(client: PoolClient): () => void {
  const socket = (client as unknown as { connection?: { stream?: Writable } }).connection?.stream;
  if (!socket || typeof socket.cork !== 'function') return NOTHING_CORKED;
  socket.cork();
  let corked = true;
  const flush = () => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  setImmediate(flush);
  return flush;
}

/** TypeORM's view of the runner's transaction, which this unit of work opens and ends itself. */
function markTransaction(runner: QueryRunner, active: boolean): void {
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = active;
  state.transactionDepth = active ? 1 : 0;
}

/** The error of the first of `promises` that failed, if one did. */
async function firstFailure(promises: Promise<unknown>[]): Promise<unknown> {
  for (const p of promises) {
    const failure = await p.then(
      () => undefined,
      (e: unknown) => e ?? new Error('failed'),
    );
    if (failure !== undefined) return failure;
  }
  return undefined;
}
