import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createDataSource, DatabaseOptions } from './data-source';
import { ENTITIES } from './entities';
import { REPOSITORIES } from './repositories';
import { DatabaseHealth } from './database-health';
import { DATABASE_OPTIONS, UnitOfWork } from './unit-of-work';
import { OutboxSignal } from './outbox-signal';
import { PoolWarmup } from './pool-warmup';

/** TypeORM lives here and nowhere else: the rest of the code sees repositories. */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => createDataSource(options).options,
          dataSourceFactory: async (opts) => new DataSource(opts!).initialize(),
        }),
        TypeOrmModule.forFeature(ENTITIES),
      ],
      providers: [
        ...REPOSITORIES,
        DatabaseHealth,
        UnitOfWork,
        OutboxSignal,
        PoolWarmup,
        { provide: DATABASE_OPTIONS, useValue: options },
      ],
      exports: [...REPOSITORIES, DatabaseHealth, UnitOfWork, OutboxSignal, PoolWarmup],
    };
  }
}
