import type { ConnectionOptions } from 'bullmq';
import type { AppConfig } from '@allmende/config';
import type { Clock } from '@allmende/core';

/** What an API or worker needs at boot once the database and queue backend are resolved. */
export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  databasePoolSize: number;
  /**
   * Named prepared statements for the hot queries (planned once per connection). Off for the
   * embedded PGlite, whose connections share one session and so one namespace of statements.
   */
  preparedStatements?: boolean;
  queueConnection: ConnectionOptions;
  /** Redis key prefix for the queues (tests isolate themselves with it). */
  queuePrefix?: string;
  /** The time for rules that speak of "now"; the system clock unless a test sets one. */
  clock?: Clock;
}
