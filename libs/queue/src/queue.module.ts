import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { ConnectionOptions } from 'bullmq';
import { ALL_QUEUES } from './jobs';
import { JobProducer } from './job-producer';
import { QueueHealth } from './queue-health';

@Module({})
export class QueueModule {
  /** `prefix` namespaces Redis keys (tests give each file its own); PostgreSQL ignores it. */
  static forRoot(connection: ConnectionOptions, prefix?: string): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({ connection, ...(prefix ? { prefix } : {}) }),
        BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
      ],
      providers: [JobProducer, QueueHealth],
      exports: [BullModule, JobProducer, QueueHealth],
    };
  }
}
