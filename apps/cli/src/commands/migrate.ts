import { withDatabase } from './with-database';

/** Migrates the configured database (the embedded one when DATABASE_URL is unset). */
export async function migrate(): Promise<void> {
  await withDatabase((_url, _config, applied) => {
    process.stdout.write(
      applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n',
    );
    return Promise.resolve();
  });
}
