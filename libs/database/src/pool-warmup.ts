import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { APP_ROLE } from './app-role';
import type { DatabaseOptions } from './data-source';
import { DATABASE_OPTIONS } from './unit-of-work';

/**
 * Opens every connection of the pool before the API serves, and on each reads an empty calendar
 * through the booking engine's functions in a transaction it rolls back. A new PostgreSQL
 * connection spends its first booking create loading the catalog (tables, indexes, policies) and
 * planning the functions' statements: ~40 ms, against ~2.5 ms warm. Without this, the first
 * creates after a start each pay that on a connection of their own, and a steady 50 creates/s
 * queued for a second behind them.
 */
@Injectable()
export class PoolWarmup {
  private readonly logger = new Logger(PoolWarmup.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions,
  ) {}

  /** Never fails: a database that is away now is found by the readiness check, not here. */
  async warmUp(): Promise<void> {
    // Connections that share one session (the embedded PGlite) have nothing of their own to warm.
    if (!this.options.preparedStatements) return;
    const started = Date.now();
    // Each connection is warmed and handed back on its own: one that fails must not release the
    // others while they are still being opened (a runner released before its connection arrives
    // would keep that connection checked out for good, and the pool could never close).
    const results = await Promise.allSettled(
      Array.from({ length: this.options.poolSize }, () => this.warm(this.dataSource.createQueryRunner())),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === 0) {
      this.logger.log(
        { connections: results.length, ms: Date.now() - started },
        'database connections opened and warmed',
      );
    } else {
      this.logger.warn(
        { err: failed[0].reason as unknown, failed: failed.length, connections: results.length },
        'database connections not warmed; they warm on first use',
      );
    }
  }

  private async warm(runner: QueryRunner): Promise<void> {
    try {
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query(
          `SELECT set_config('allmende.role', 'admin', true), set_config('role', '${APP_ROLE}', true)`,
        );
        const nobody = randomUUID();
        // The lock (of nothing) and the placement read of a resource that does not exist: every
        // statement planned, nothing found, nothing locked.
        await runner.query(
          `SELECT allmende_lock_and_place(NULL, NULL, NULL, NULL, '{}', $1, now(), now() + interval '1 hour', '{}',
                  now() - interval '1 day', $1, $1, current_date, current_date)`,
          [nobody],
        );
        await runner.query(
          `SELECT allmende_placement($1, $1, now(), now() + interval '1 hour', '{}', now() - interval '1 day', ARRAY[$1]::uuid[],
                  $1, current_date, current_date, now(), now() + interval '7 days')`,
          [nobody],
        );
      } finally {
        // A connection that broke is not handed on: the pool drops a client that cannot be queried.
        await runner.rollbackTransaction().catch(() => undefined);
      }
    } finally {
      await runner.release().catch(() => undefined);
    }
  }
}
