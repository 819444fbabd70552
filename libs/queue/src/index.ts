export * from './jobs';
export * from './queue-connection';
export * from './queue-migrations';
export * from './job-producer';
export * from './queue.module';
export * from './queue-health';
export * from './app-runtime';
export * from './redis-policy';
