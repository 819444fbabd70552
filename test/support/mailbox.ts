import { AddressInfo } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string;
  mail: ParsedMail;
  raw: string;
  /** The text/calendar part, if any. */
  calendar: string | null;
}

/** A real SMTP server in the test process; keeps what arrives, parsed. Addresses can be refused. */
export class Mailbox {
  readonly received: Received[] = [];
  readonly refused = new Set<string>();
  private server: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refused.has(address.address.toLowerCase())) {
          const e = new Error('mailbox unavailable') as Error & { responseCode: number };
          e.responseCode = 550;
          return callback(e);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (mail) => {
              const ics =
                mail.attachments
                  .find((a) => a.contentType.startsWith('text/calendar'))
                  ?.content.toString('utf8') ?? null;
              for (const rcpt of session.envelope.rcptTo) {
                this.received.push({ to: rcpt.address.toLowerCase(), mail, raw, calendar: ics });
              }
              callback();
            },
            (e: Error) => callback(e),
          );
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): Received[] {
    return this.received.filter((r) => r.to === address.toLowerCase());
  }

  async waitFor(predicate: (r: Received[]) => boolean, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > until) {
        throw new Error(
          `timed out waiting for mail; got: ${this.received.map((r) => `${r.to}: ${r.mail.subject}`).join(' | ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
