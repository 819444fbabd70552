import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/** Where this process's database is: an external PostgreSQL, or the embedded one it started. */
export interface DatabaseRuntime {
  url: string;
  embedded?: EmbeddedPostgres;
  /** Pool size per DataSource; small for the embedded server's connection limit. */
  poolSize: number;
}

export const EMBEDDED_MAX_CONNECTIONS = 48;

export async function resolveDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort: number;
  poolSize: number;
}): Promise<DatabaseRuntime> {
  if (options.databaseUrl) return { url: options.databaseUrl, poolSize: options.poolSize };
  const embedded = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    port: options.embeddedPort,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  return { url: embedded.url, embedded, poolSize: 4 };
}
