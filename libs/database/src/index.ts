export * from './entities';
export * from './repositories';
export * from './data-source';
export * from './database.module';
export * from './database-health';
export * from './database-runtime';
export * from './embedded-postgres';
export * from './migrate';
export { MIGRATIONS } from './migrations';
