import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { GuardedClient } from './guarded-client';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  applicationName: string;
  /** See UnitOfWork.query: off unless the server gives each connection a session of its own. */
  preparedStatements?: boolean;
}

export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: options.applicationName,
    extra: {
      max: options.poolSize,
      connectionTimeoutMillis: 10_000,
      // Connections stay open through quiet minutes: a new one pays its first statements dearly
      // (catalog and plans, see PoolWarmup), pg's default closes them after 10 s idle.
      idleTimeoutMillis: 300_000,
      // A unit of work sends its opening statements together (UnitOfWork.pipelined); only on a
      // server that gives each connection a session of its own.
      pipeline: options.preparedStatements ?? false,
      Client: GuardedClient,
    },
  });
}
