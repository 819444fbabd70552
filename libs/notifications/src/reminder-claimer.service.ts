import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  ClaimedReminder,
  NotificationFactsQuery,
  NotificationRepository,
  QueuedNotification,
  ReminderRepository,
  UnitOfWork,
} from '@allmende/database';
import { SYSTEM_ACTOR } from '@allmende/core';
import { bookingView } from './audience';
import type { MessageFacts } from './facts';
import { NotificationQueue } from './notification-queue';

const BATCH = 500;
const TICK_MS = 1000;

/**
 * Takes due reminders from the database (several workers share the work: SKIP LOCKED), turns
 * each into a ledger row in the same transaction, then queues the sends. A reminder whose
 * booking was cancelled or moved in the meantime, or has begun, is dropped. Rows whose send job
 * is lost (Redis restarted) are re-queued by the sweeper, so every due reminder goes out once.
 */
@Injectable()
export class ReminderClaimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderClaimer.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly reminders: ReminderRepository,
    private readonly facts: NotificationFactsQuery,
    private readonly ledger: NotificationRepository,
    private readonly queue: NotificationQueue,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().then((full) => this.schedule(full ? 0 : TICK_MS));
    }, ms);
  }

  private async tick(): Promise<boolean> {
    try {
      return (await this.claimOnce()) === BATCH;
    } catch (e) {
      this.logger.warn({ err: e }, 'claiming reminders failed; retrying');
      return false;
    }
  }

  /** Claims one batch of due reminders; returns how many were claimed. */
  async claimOnce(): Promise<number> {
    const { claimed, queued } = await this.uow.run(SYSTEM_ACTOR, async () => {
      const claimed = await this.reminders.claimDue(BATCH);
      if (claimed.length === 0) return { claimed, queued: [] as QueuedNotification[] };
      const bookings = new Map(
        (await this.facts.bookings([...new Set(claimed.map((r) => r.bookingId))])).map((b) => [b.id, b]),
      );
      const now = Date.now();
      const rows = claimed.flatMap((r: ClaimedReminder) => {
        const b = bookings.get(r.bookingId);
        if (
          !b ||
          b.status !== 'active' ||
          b.startAt.getTime() !== r.startAt.getTime() ||
          b.startAt.getTime() <= now
        )
          return [];
        const facts: MessageFacts = {
          type: 'booking',
          booking: bookingView(b),
          audience: b.operatorForBookingId || b.resourceKind === 'staff' ? 'operator' : 'booker',
          offsetMinutes: r.offsetMinutes,
        };
        return [
          {
            dedupeKey: `reminder.${r.id}`,
            kind: 'reminder',
            eventId: null,
            bookingId: b.id,
            userId: r.userId,
            recipientEmail: r.recipientEmail,
            recipientName: r.recipientName,
            language: r.language,
            facts: facts,
            dueAt: r.dueAt,
          },
        ];
      });
      return { claimed, queued: await this.ledger.insertMany(rows) };
    });
    if (queued.length > 0) {
      // A failed enqueue leaves pending rows; the sweeper queues them again.
      await this.queue
        .sends(queued)
        .catch((e: unknown) => this.logger.warn({ err: e }, 'queueing reminders failed'));
    }
    return claimed.length;
  }
}
