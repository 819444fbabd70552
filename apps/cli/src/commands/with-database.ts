import { AppConfig, loadConfig } from '@allmende/config';
import { migrateDatabase, resolveDatabase } from '@allmende/database';
import { chooseQueueBackend, migrateQueueSchema } from '@allmende/queue';

/**
 * For one-shot CLI commands: the configured database (the embedded one when DATABASE_URL is
 * unset), migrated, and stopped again afterwards.
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
