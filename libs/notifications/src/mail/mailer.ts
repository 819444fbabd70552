import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Transporter, TransportOptions } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '@allmende/config';

export interface OutgoingMail {
  /** Deterministic per ledger row, e.g. "<id@allmende>". */
  messageId: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** An invite: sent as text/calendar with its METHOD, the way calendar clients expect it. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

/** Connections per process to the SMTP server (nodemailer's pool). */
export const SMTP_POOL_CONNECTIONS = 5;

/** Messages handed to nodemailer at once: one waiting beside each busy connection. */
const IN_FLIGHT = 2 * SMTP_POOL_CONNECTIONS;

/**
 * A message whose turn came too late (its ledger lease half spent): not sent; the sender hands
 * its row back.
 */
export class LeaseSpent extends Error {
  constructor() {
    super('the lease was half spent before the message could be sent');
  }
}

/**
 * Sends mail over SMTP_URL (pooled), or without it writes each message as an .eml file into
 * `<ALLMENDE_DATA_DIR>/mail`, and says so once in the log. nodemailer is loaded and its transport
 * made on the first message: the API process, which sends none, never holds it.
 */
@Injectable()
export class Mailer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Mailer');
  private transport: Promise<Transporter> | null = null;
  private readonly smtpUrl: string | undefined;
  private readonly mailDir: string | null;
  readonly from: { name: string; address: string };
  private announced = false;
  private sending = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.from = parseAddress(config.mailFrom);
    this.smtpUrl = config.smtpUrl || undefined;
    this.mailDir = this.smtpUrl ? null : path.join(config.dataDir, 'mail');
  }

  private transporter(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      this.smtpUrl
        ? nodemailer.createTransport({
            url: this.smtpUrl,
            pool: true,
            maxConnections: SMTP_POOL_CONNECTIONS,
            maxMessages: Infinity,
            connectionTimeout: 10_000,
            greetingTimeout: 10_000,
            socketTimeout: 20_000,
          } as unknown as TransportOptions)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
    );
    return this.transport;
  }

  /** Where mail goes, for the start-up log. */
  describe(): string {
    return this.mailDir ? `.eml files in ${this.mailDir} (SMTP_URL is unset)` : 'SMTP (SMTP_URL)';
  }

  onModuleInit(): void {
    this.logger.log({ mailDir: this.mailDir }, `mail goes to ${this.describe()}`);
  }

  /**
   * Sends one message. At most twice as many go to nodemailer at once as it has connections (so
   * that one is ready whenever a connection frees up); the rest wait here, and `stillInTime` is
   * asked when a message's turn comes: false throws LeaseSpent and nothing is sent.
   */
  async send(mail: OutgoingMail, stillInTime: () => boolean = () => true): Promise<string> {
    await this.turn();
    try {
      if (!stillInTime()) throw new LeaseSpent();
      return await this.deliver(mail);
    } finally {
      this.nextTurn();
    }
  }

  private turn(): Promise<void> {
    if (this.sending < IN_FLIGHT) {
      this.sending++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private nextTurn(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.sending--;
  }

  private async deliver(mail: OutgoingMail): Promise<string> {
    const transport = await this.transporter();
    const info = (await transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      icalEvent: mail.calendar
        ? { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.content }
        : undefined,
      attachments: mail.attachments,
      headers: { 'Auto-Submitted': 'auto-generated' },
      // The MIME boundaries from the message id's random hex (a ledger row's uuid) rather than
      // fresh random bytes for every part of every message.
      baseBoundary: boundaryOf(mail.messageId),
    })) as { messageId: string; message?: Buffer };
    if (this.mailDir) {
      await mkdir(this.mailDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[<>@]/g, '_')}.eml`;
      const file = path.join(this.mailDir, name);
      await writeFile(file, info.message ?? Buffer.alloc(0));
      if (!this.announced) {
        this.announced = true;
        this.logger.log(
          { mailDir: this.mailDir },
          `SMTP_URL is unset: mail is written as .eml files to ${this.mailDir}`,
        );
      }
      this.logger.debug({ file }, 'mail written');
    }
    return info.messageId ?? mail.messageId;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.transport) (await this.transport).close();
  }
}

/** The hex digits of a message id, when there are enough of them to be unguessable. */
function boundaryOf(messageId: string): string | undefined {
  const hex = messageId.replace(/[^0-9a-f]/gi, '');
  return hex.length >= 24 ? hex : undefined;
}

/** "allmende <noreply@x>" or "noreply@x". */
export function parseAddress(value: string): { name: string; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  return m ? { name: m[1].trim(), address: m[2].trim() } : { name: '', address: value.trim() };
}
