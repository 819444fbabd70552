export * from './portable-model';
export * from './run-pool-solver';
