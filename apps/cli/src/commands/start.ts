import { createServer } from 'node:net';
import { failStartup, loadConfig, StartupError } from '@allmende/config';
import { migrateDatabase, resolveDatabase } from '@allmende/database';
import {
  chooseQueueBackend,
  describeQueueBackend,
  migrateQueueSchema,
  openQueueConnection,
  redactUrl,
  redisEvictionProblem,
} from '@allmende/queue';
import { createApiApp } from '../../../api/src/create-api-app';
import { createWorker } from '../../../worker/src/create-worker';
import { loadDemoData, printDemoSummary } from '../demo/load-demo-data';

/** Resolves when the port can be listened on; rejects with the listen error (EADDRINUSE) if not. */
function portFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * The main job: database (embedded unless DATABASE_URL), migrations, worker and API in one
 * process. SIGTERM/SIGINT close the API, let active jobs finish, and stop the database cleanly.
 */
export async function startMainJob(): Promise<void> {
  const config = loadConfig();
  // A port in use (an allmende already running) is told before the database starts and migrates.
  await portFree(config.port, config.host);
  const database = await resolveDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedDbPort,
    poolSize: config.databasePoolSize,
  });
  const backend = chooseQueueBackend(config.redisUrl, database.url);
  if (backend.kind === 'redis') {
    const problem = await redisEvictionProblem(backend.url);
    if (problem) throw new StartupError(problem);
  }
  say(
    database.embedded
      ? `allmende: embedded PostgreSQL (PGlite) with data in ${database.embedded.dataDir}; queues on ${describeQueueBackend(backend)}`
      : `allmende: PostgreSQL at ${redactUrl(database.url)}; queues on ${describeQueueBackend(backend)}`,
  );
  const applied = await migrateDatabase(database.url);
  if (applied.length > 0) say(`allmende: applied migrations ${applied.join(', ')}`);
  if (backend.kind === 'postgres') await migrateQueueSchema(database.url);
  const queue = openQueueConnection(backend);
  const runtime = {
    config,
    databaseUrl: database.url,
    databasePoolSize: database.poolSize,
    preparedStatements: !database.embedded,
    queueConnection: queue.connection,
  };
  const worker = await createWorker(runtime, { shutdownHooks: false });
  const api = await createApiApp(runtime, { shutdownHooks: false });
  if (config.loadDemoData) {
    const summary = await loadDemoData(api);
    if (summary) printDemoSummary(summary, say);
  }
  await api.listen(config.port, config.host);
  const base = `http://localhost:${config.port}`;
  say(`allmende: web app on ${base}/ (sign in with email and password)`);
  say(`allmende: API on ${base}/api/v1, docs on ${base}/docs, health on ${base}/health`);
  if (!config.adminToken) {
    say('allmende: ALLMENDE_ADMIN_TOKEN is not set; set it (32+ characters) to call the API as admin.');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`allmende: ${signal} received, shutting down`);
    try {
      await api.close();
      await worker.close();
      await queue.close();
      await database.embedded?.stop();
      process.exit(0);
    } catch (e) {
      process.stderr.write(`allmende: unclean shutdown: ${(e as Error).message}\n`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

export function runStart(): void {
  startMainJob().catch(failStartup);
}
