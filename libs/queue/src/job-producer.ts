import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import { JobName, JobPayloads, queueOf } from './jobs';

/** The one way application code puts work on a queue. */
@Injectable()
export class JobProducer {
  constructor(private readonly moduleRef: ModuleRef) {}

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: JobsOptions & { jobId: string },
  ): Promise<void> {
    const queue = this.moduleRef.get<Queue>(getQueueToken(queueOf(name)), { strict: false });
    await queue.add(name, payload, { removeOnComplete: 1000, removeOnFail: 5000, ...options });
  }
}
