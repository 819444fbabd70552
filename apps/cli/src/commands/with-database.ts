import { AppConfig, loadConfig } from '@allmende/config';
import { migrateDatabase, resolveDatabase } from '@allmende/database';
import { chooseQueueBackend, migrateQueueSchema } from '@allmende/queue';

/**
 * For one-shot CLI commands: the configured database, migrated, and stopped again afterwards.
 * Without DATABASE_URL that is the embedded one; while `npm start` runs on the same data folder,
 * the CLI connects to the server it announced there instead of opening the files itself.
 */
export async function withDatabase<T>(
  work: (databaseUrl: string, config: AppConfig, applied: string[]) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = await resolveDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedDbPort,
    poolSize: 2,
    joinRunning: true,
  });
  try {
    const applied = await migrateDatabase(database.url);
    if (chooseQueueBackend(config.redisUrl, database.url).kind === 'postgres') {
      await migrateQueueSchema(database.url);
    }
    return await work(database.url, config, applied);
  } finally {
    await database.embedded?.stop();
  }
}
