import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppLogger } from '@allmende/config';
import { WorkerModule, WorkerRuntime } from './worker.module';

/** The worker as an application context: no HTTP, graceful shutdown lets active jobs finish. */
export async function createWorker(
  runtime: WorkerRuntime,
  options: { shutdownHooks?: boolean } = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(runtime), { bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  await app.init();
  return app;
}
