import 'reflect-metadata';
import { failStartup, loadConfig, StartupError } from '@allmende/config';
import { migrateDatabase, PoolWarmup } from '@allmende/database';
import { chooseQueueBackend, migrateQueueSchema, openQueueConnection } from '@allmende/queue';
import { isApiProcessOfSupervisor, superviseApiProcesses } from './api-processes';

/**
 * The API as its own process (deployments scale it to several replicas, or ALLMENDE_API_PROCESSES
 * runs several on one port). It needs an external DATABASE_URL: the embedded database lives inside
 * `npm start`, which runs API and worker together.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new StartupError(
      'The API process needs DATABASE_URL; `npm start` runs everything on the embedded database.',
    );
  }
  const backend = chooseQueueBackend(config.redisUrl, config.databaseUrl);
  // With several API processes the supervisor migrates once, before it forks them.
  if (!isApiProcessOfSupervisor()) {
    await migrateDatabase(config.databaseUrl);
    if (backend.kind === 'postgres') await migrateQueueSchema(config.databaseUrl);
    if (config.apiProcesses > 1) return superviseApiProcesses(config.apiProcesses);
  }
  const queue = openQueueConnection(backend);
  // Loaded here, not at the top: a supervisor never serves and does not hold the app's modules.
  const { createApiApp } = await import('./create-api-app');
  const app = await createApiApp(
    {
      config,
      databaseUrl: config.databaseUrl,
      databasePoolSize: config.databasePoolSize,
      preparedStatements: true,
      queueConnection: queue.connection,
    },
    { shutdownHooks: false },
  );
  await app.get(PoolWarmup).warmUp();
  await app.listen(config.port, config.host);
  // Only a serving API has requests to finish on SIGTERM. Before, the signal ends the process at
  // once: a graceful close racing the start (its pool, its listen) could wait forever.
  app.enableShutdownHooks();
}

main().catch(failStartup);
