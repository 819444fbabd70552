import 'reflect-metadata';
import { failStartup, loadConfig, StartupError } from '@allmende/config';
import { migrateDatabase } from '@allmende/database';
import {
  chooseQueueBackend,
  migrateQueueSchema,
  openQueueConnection,
  redisEvictionProblem,
} from '@allmende/queue';
import { createWorker } from './create-worker';

/** The worker as its own process; like the API it needs an external DATABASE_URL. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new StartupError(
      'The worker process needs DATABASE_URL; `npm start` runs everything on the embedded database.',
    );
  }
  if (config.redisUrl) {
    const problem = await redisEvictionProblem(config.redisUrl);
    if (problem) throw new StartupError(problem);
  }
  await migrateDatabase(config.databaseUrl);
  const backend = chooseQueueBackend(config.redisUrl, config.databaseUrl);
  if (backend.kind === 'postgres') await migrateQueueSchema(config.databaseUrl);
  const queue = openQueueConnection(backend);
  await createWorker({
    config,
    databaseUrl: config.databaseUrl,
    databasePoolSize: config.databasePoolSize,
    preparedStatements: true,
    queueConnection: queue.connection,
  });
}

main().catch(failStartup);
