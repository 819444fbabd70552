import type { ConnectionOptions } from 'bullmq';
import type { AppConfig } from '@allmende/config';

/** What an API or worker needs at boot once the database and queue backend are resolved. */
export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  databasePoolSize: number;
  queueConnection: ConnectionOptions;
  /** Redis key prefix for the queues (tests isolate themselves with it). */
  queuePrefix?: string;
}
