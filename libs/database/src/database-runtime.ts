import { EmbeddedPostgres, runningEmbeddedUrl, startEmbeddedPostgres } from './embedded-postgres';

/** Where this process's database is: an external PostgreSQL, or the embedded one it started. */
export interface DatabaseRuntime {
  url: string;
  embedded?: EmbeddedPostgres;
  /** Pool size per DataSource; small for the embedded server's connection limit. */
  poolSize: number;
  /** The embedded server of a running main job, joined over the wire (CLI beside `npm start`). */
  joined?: boolean;
}

export const EMBEDDED_MAX_CONNECTIONS = 48;

export async function resolveDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort: number;
  poolSize: number;
  /** Connect to the embedded server of a main job already running on the data folder, if any. */
  joinRunning?: boolean;
}): Promise<DatabaseRuntime> {
  if (options.databaseUrl) return { url: options.databaseUrl, poolSize: options.poolSize };
  const running = options.joinRunning ? runningEmbeddedUrl(options.dataDir) : null;
  if (running) return { url: running, poolSize: 2, joined: true };
  const embedded = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    port: options.embeddedPort,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  return { url: embedded.url, embedded, poolSize: 4 };
}
