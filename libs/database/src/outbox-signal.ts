import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import type { DatabaseOptions } from './data-source';
import { GuardedClient } from './guarded-client';
import { DATABASE_OPTIONS } from './unit-of-work';

const CHANNEL = 'allmende_outbox';

/**
 * The wake-up signal of the outbox relay: LISTEN on the channel the booking_events trigger
 * notifies. `listen` probes that a notification really arrives and says whether the caller can
 * rely on it; on a server whose connections share one session (the embedded PGlite) it does not
 * listen at all.
 */
@Injectable()
export class OutboxSignal implements OnModuleDestroy {
  private readonly logger = new Logger('OutboxSignal');
  private client: Client | null = null;

  constructor(@Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions) {}

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
    await this.close();
  }
}
