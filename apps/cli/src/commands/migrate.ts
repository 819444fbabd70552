import { loadConfig } from '@allmende/config';
import { migrateDatabase, resolveDatabase } from '@allmende/database';
import { chooseQueueBackend, migrateQueueSchema } from '@allmende/queue';

/** Migrates the configured database (the embedded one when DATABASE_URL is unset). */
export async function migrate(): Promise<void> {
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
    process.stdout.write(
      applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n',
    );
  } finally {
    await database.embedded?.stop();
  }
}
