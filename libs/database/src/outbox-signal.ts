import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseOptions } from './data-source';
import { GuardedClient } from './guarded-client';
import { DATABASE_OPTIONS, UnitOfWork } from './unit-of-work';

const CHANNEL = 'allmende_outbox';
/**
 * The wake-up, for whoever writes outbox rows with SQL of their own (the benches, test fixtures):
 * sent after the commit, as OutboxSignal.wake sends it.
 */
export const OUTBOX_WAKE_SQL = `SELECT pg_notify('${CHANNEL}', '')`;
/**
 * Wake-ups from one process are at least this far apart: at most 20 a second under load (each is a
 * round trip of its own, and under a burst of creates one per 10 ms were about a fifth of the API's
 * writes to PostgreSQL), for at most 50 ms more before the relay hears of an event.
 */
const WAKE_SPACING_MS = 50;

/**
 * The wake-up signal of the outbox relay. `wake` NOTIFYs the channel after a unit of work that
 * wrote outbox rows has committed (UnitOfWork tells it), in a statement of its own that writes
 * nothing: PostgreSQL's notification lock is then held for an instant, not across the flush of
 * a booking's commit (as the trigger inside the transaction did). A wake-up lost with its process
 * costs latency, not e-mails: the relay polls as well. `listen` (the relay's side) probes that a
 * notification really arrives and says whether the caller can rely on it; on a server whose
 * connections share one session (the embedded PGlite) it does not listen, and nothing is sent.
 */
@Injectable()
export class OutboxSignal implements OnModuleDestroy {
  private readonly logger = new Logger('OutboxSignal');
  private client: Client | null = null;
  private waking = false;
  private wakeAgain = false;
  private closed = false;

  constructor(
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions,
    private readonly dataSource: DataSource,
    uow: UnitOfWork,
  ) {
    uow.whenOutboxCommitted(() => this.wake());
  }

  /** Wakes every listening relay: now, or (under load) once right after the wake-up under way. */
  wake(): void {
    if (!this.options.preparedStatements || this.closed) return;
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    this.dataSource
      .query(OUTBOX_WAKE_SQL)
      .catch((e: unknown) => this.logger.debug({ err: e }, 'outbox wake-up not sent; the relay polls'))
      .finally(() => {
        setTimeout(() => {
          this.waking = false;
          if (!this.wakeAgain) return;
          this.wakeAgain = false;
          this.wake();
        }, WAKE_SPACING_MS).unref();
      });
  }

  async listen(onSignal: () => void, probeMs = 1000): Promise<boolean> {
    // Connections that share one session (the embedded PGlite behind its socket server) would
    // get each other's notifications in the middle of their own exchanges: poll there instead.
    if (!this.options.preparedStatements) return false;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), probeMs + 5000);
      timer.unref();
    });
    const works = await Promise.race([this.tryListen(onSignal, probeMs), giveUp]);
    clearTimeout(timer);
    if (!works) await this.close();
    return works;
  }

  private async tryListen(onSignal: () => void, probeMs: number): Promise<boolean> {
    try {
      const client = new Client({
        connectionString: this.options.url,
        application_name: 'allmende-outbox-listen',
      });
      client.on('error', (e) => this.logger.warn({ err: e }, 'outbox LISTEN connection failed; polling'));
      await client.connect();
      this.client = client;
      let probed: () => void = () => undefined;
      const probe = new Promise<boolean>((resolve) => {
        probed = () => resolve(true);
        setTimeout(() => resolve(false), probeMs).unref();
      });
      client.on('notification', (n) => {
        if (n.channel !== CHANNEL) return;
        if (n.payload === 'probe') probed();
        else onSignal();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      const sender = new GuardedClient({
        connectionString: this.options.url,
        application_name: 'allmende-outbox-probe',
      });
      await sender.connect();
      try {
        await sender.query(`SELECT pg_notify($1, 'probe')`, [CHANNEL]);
      } finally {
        await sender.end();
      }
      return await probe;
    } catch (e) {
      this.logger.warn({ err: e }, 'outbox LISTEN unavailable; polling');
      return false;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.close();
  }
}
