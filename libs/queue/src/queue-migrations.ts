import { Client } from 'pg';
import { runMigrations } from 'bullmq';

/** Creates or upgrades BullMQ's own tables in schema `bullmq` (it takes its own advisory lock). */
export async function migrateQueueSchema(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'allmende-migrate' });
  await client.connect();
  try {
    await runMigrations(client, 'bullmq');
  } finally {
    await client.end();
  }
}
