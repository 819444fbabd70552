import { chooseQueueBackend, openQueueConnection } from '@allmende/queue';
import { createApiApp } from '../../../api/src/create-api-app';
import { loadDemoData, printDemoSummary } from '../demo/load-demo-data';
import { withDatabase } from './with-database';

/** Loads the Werra-Meißner demo region into an empty database and prints the demo users' tokens. */
export async function demoData(options: { seed: string }): Promise<void> {
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number (got "${options.seed}")`);
  await withDatabase(async (databaseUrl, config) => {
    const queue = openQueueConnection(chooseQueueBackend(config.redisUrl, databaseUrl));
    const app = await createApiApp(
      {
        config: { ...config, logLevel: 'warn' },
        databaseUrl,
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
  });
}
