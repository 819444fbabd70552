import { DataSource } from 'typeorm';

/** hashtext('allmende:migrations'), fixed so every process and version agrees on it. */
export const MIGRATION_LOCK_KEY = 7_311_402_118;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so processes starting at
 * once against one empty database migrate it exactly once: the second waits, then finds nothing.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Opens a short-lived connection, migrates the application schema, and closes it again. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const { createDataSource } = await import('./data-source');
  const dataSource = await createDataSource({
    url,
    poolSize: 2,
    applicationName: 'allmende-migrate',
  }).initialize();
  try {
    return await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
