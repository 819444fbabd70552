import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import { NotificationFactsQuery, NotificationRepository, UnitOfWork } from '@allmende/database';
import { SYSTEM_ACTOR } from '@allmende/core';
import { NotificationQueue } from './notification-queue';

const MAX_TICK_MS = 10_000;

/**
 * The database is the source of truth, the queue only carries work: rows whose job is lost
 * (pending for long, or a sender's lease ran out, and no live job in the queue) get a new
 * generation and a new job. The claim in the sender keeps a duplicate job from sending twice.
 */
@Injectable()
export class NotificationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  /** A pending row untouched as long as a send may take has probably lost its job. */
  private readonly staleMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly ledger: NotificationRepository,
    private readonly facts: NotificationFactsQuery,
    private readonly queue: NotificationQueue,
  ) {
    this.staleMs = config.mailLeaseSeconds * 1000;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), Math.min(MAX_TICK_MS, this.staleMs / 2));
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(staleMs = this.staleMs): Promise<number> {
    try {
      const stale = await this.uow.run(SYSTEM_ACTOR, () => this.ledger.stale(staleMs, 1000));
      // Only rows whose job is gone: in a backlog longer than the lease, re-queueing every waiting
      // row added a second job for each, every sweep, and the queue grew faster than it drained.
      // A sending row whose lease ran out lost its sender: its job may still look active in the
      // queue until the queue's stall check, so it is queued again at once, as before.
      const lost = [
        ...stale.filter((r) => r.status === 'sending'),
        ...(await this.queue.withoutLiveJob(stale.filter((r) => r.status === 'pending'))),
      ];
      const rows = await this.uow.run(SYSTEM_ACTOR, () => this.ledger.newGeneration(lost));
      if (rows.length > 0) {
        this.logger.log({ count: rows.length }, 're-queueing notifications whose job was lost');
        await this.queue.sends(rows);
      }
      // Events whose fan-out job the queue lost (handed over, never turned into ledger rows): the
      // same job id again, so an event still waiting in a backlog keeps its one job.
      const events = await this.uow.run(SYSTEM_ACTOR, () => this.facts.awaitingFanout(staleMs, 1000));
      if (events.length > 0) {
        this.logger.log({ count: events.length }, 're-queueing events whose fan-out job was lost');
        await this.queue.events(events);
      }
      return rows.length + events.length;
    } catch (e) {
      this.logger.warn({ err: e }, 'notification sweep failed');
      return 0;
    }
  }
}
