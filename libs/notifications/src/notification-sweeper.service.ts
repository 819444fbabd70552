import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NotificationRepository, UnitOfWork } from '@allmende/database';
import { SYSTEM_ACTOR } from '@allmende/core';
import { NotificationQueue } from './notification-queue';

const TICK_MS = 10_000;
/** A pending row untouched this long has probably lost its job (Redis flushed, enqueue failed). */
export const STALE_PENDING_MS = 60_000;

/**
 * The database is the source of truth, the queue only carries work: rows whose job may be lost
 * (pending for long, or a sender's lease ran out) get a new generation and a new job. The claim
 * in the sender keeps a duplicate job from sending twice.
 */
@Injectable()
export class NotificationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: NotificationRepository,
    private readonly queue: NotificationQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), TICK_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(staleMs = STALE_PENDING_MS): Promise<number> {
    try {
      const rows = await this.uow.run(SYSTEM_ACTOR, () => this.ledger.requeueStale(staleMs, 1000));
      if (rows.length > 0) {
        this.logger.log({ count: rows.length }, 're-queueing notifications whose job was lost');
        await this.queue.sends(rows);
      }
      return rows.length;
    } catch (e) {
      this.logger.warn({ err: e }, 'notification sweep failed');
      return 0;
    }
  }
}
