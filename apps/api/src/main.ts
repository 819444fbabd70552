import 'reflect-metadata';
import { failStartup, loadConfig, StartupError } from '@allmende/config';
import { migrateDatabase } from '@allmende/database';
import { chooseQueueBackend, migrateQueueSchema, openQueueConnection } from '@allmende/queue';
import { createApiApp } from './create-api-app';

/**
 * The API as its own process (deployments scale it to several replicas). It needs an external
 * DATABASE_URL: the embedded database lives inside `npm start`, which runs API and worker together.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new StartupError(
      'The API process needs DATABASE_URL; `npm start` runs everything on the embedded database.',
    );
  }
  await migrateDatabase(config.databaseUrl);
  const backend = chooseQueueBackend(config.redisUrl, config.databaseUrl);
  if (backend.kind === 'postgres') await migrateQueueSchema(config.databaseUrl);
  const queue = openQueueConnection(backend);
  const app = await createApiApp({
    config,
    databaseUrl: config.databaseUrl,
    databasePoolSize: config.databasePoolSize,
    preparedStatements: true,
    queueConnection: queue.connection,
  });
  await app.listen(config.port, config.host);
}

main().catch(failStartup);
