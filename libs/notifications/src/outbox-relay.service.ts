import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NotificationFactsQuery, OutboxSignal, UnitOfWork } from '@allmende/database';
import { SYSTEM_ACTOR } from '@allmende/core';
import { NotificationQueue } from './notification-queue';

const BATCH = 200;
/** The safety net when LISTEN works; the pace when it does not (embedded PGlite). */
const SLOW_POLL_MS = 5000;
const FAST_POLL_MS = 500;

/**
 * Moves committed outbox rows (booking_events) into the queue with deterministic job ids and
 * then marks them delivered: if the queue is away the rows stay undelivered and wait; if the mark
 * is lost after the enqueue, the same job ids make the next pass a no-op. Woken by LISTEN/NOTIFY
 * after each commit that wrote outbox rows (OutboxSignal.wake), with a slow poll as safety net.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private pollMs = SLOW_POLL_MS;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly facts: NotificationFactsQuery,
    private readonly queue: NotificationQueue,
    private readonly signal: OutboxSignal,
  ) {}

  onApplicationBootstrap(): void {
    // Relay at once (polling fast); whether LISTEN works is found out beside it, never holding up
    // the start (the embedded PGlite may not answer it).
    this.pollMs = FAST_POLL_MS;
    this.kick();
    void this.signal
      .listen(() => this.kick())
      .then((listening) => {
        if (this.stopped) return;
        this.pollMs = listening ? SLOW_POLL_MS : FAST_POLL_MS;
        this.logger.log(
          { listening, pollMs: this.pollMs },
          listening
            ? 'outbox relay woken by LISTEN/NOTIFY'
            : 'outbox relay polling (LISTEN/NOTIFY unavailable)',
        );
      });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.signal.close();
  }

  /** Relays now (or right after the pass in progress). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    clearTimeout(this.timer);
    void this.drain().finally(() => {
      this.running = false;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.timer = setTimeout(() => this.kick(), this.pollMs);
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.relayBatch()) === BATCH);
    } catch (e) {
      this.logger.warn({ err: e }, 'outbox relay pass failed; the rows stay for the next pass');
    }
  }

  /**
   * One batch; returns how many rows it delivered. No transaction is held across the enqueue: on
   * the embedded PGlite every connection shares one session, so the queue's own statements (the
   * PostgreSQL backend) would wait for that transaction to end. Read, enqueue, mark: a crash
   * between them enqueues the same job ids again, which the queue and the send ledger make a no-op.
   */
  async relayBatch(): Promise<number> {
    const ids = await this.uow.run(SYSTEM_ACTOR, () => this.facts.lockUndelivered(BATCH));
    if (ids.length === 0) return 0;
    await this.queue.events(ids);
    await this.uow.run(SYSTEM_ACTOR, () => this.facts.markDelivered(ids));
    return ids.length;
  }
}
