import { loadConfig } from '@allmende/config';
import { migrateDatabase, resolveDatabase } from '@allmende/database';
import { chooseQueueBackend, migrateQueueSchema, openQueueConnection } from '@allmende/queue';
import { createApiApp } from '../../../api/src/create-api-app';
import { loadDemoData, printDemoSummary } from '../demo/load-demo-data';

/** Loads the Werra-Meißner demo region into an empty database and prints the demo users' tokens. */
export async function demoData(options: { seed: string }): Promise<void> {
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number (got "${options.seed}")`);
  const config = loadConfig();
  const database = await resolveDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedDbPort,
    poolSize: 2,
  });
  try {
    await migrateDatabase(database.url);
    const backend = chooseQueueBackend(config.redisUrl, database.url);
    if (backend.kind === 'postgres') await migrateQueueSchema(database.url);
    const queue = openQueueConnection(backend);
    const app = await createApiApp(
      {
        config: { ...config, logLevel: 'warn' },
        databaseUrl: database.url,
        databasePoolSize: 2,
        queueConnection: queue.connection,
      },
      { shutdownHooks: false },
    );
    try {
      const summary = await loadDemoData(app, seed);
      if (summary) printDemoSummary(summary, (line) => process.stdout.write(`${line}\n`));
      else process.stdout.write('The database is not empty; demo data is loaded only into an empty one.\n');
    } finally {
      await app.close();
      await queue.close();
    }
  } finally {
    await database.embedded?.stop();
  }
}
