import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from './jobs';

/** Readiness of the queue backend: a cheap read that must answer within the timeout. */
@Injectable()
export class QueueHealth {
  constructor(@InjectQueue(QueueName.Maintenance) private readonly queue: Queue) {}

  async check(timeoutMs = 3000): Promise<{ ok: boolean; detail?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.queue.getJobCounts('waiting'), timeout]);
      return { ok: true };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}
