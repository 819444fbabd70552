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
  /** Messages to hold before answering (a sender "in the middle of sending"), and for how long. */
  hold = { count: 0, ms: 0 };
  /** Messages currently held. */
  holding = 0;
  /** Delay before accepting each message (a slow server). */
  delayMs = 0;
  private readonly closed = new Set<string>();

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onClose: (session) => {
        this.closed.add(session.id);
      },
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
        stream.on('end', () => void this.accept(chunks, session, callback));
      },
    });
    // A sender killed mid-connection resets its socket: expected here, not a test failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  private async accept(
    chunks: Buffer[],
    session: { id: string; envelope: { rcptTo: { address: string }[] } },
    callback: (e?: Error | null) => void,
  ): Promise<void> {
    if (this.hold.count > 0) {
      this.hold.count--;
      this.holding++;
      await new Promise((r) => setTimeout(r, this.hold.ms));
      this.holding--;
    } else if (this.delayMs > 0) {
      await new Promise((r) => setTimeout(r, this.delayMs));
    }
    // The sender hung up before the server accepted: the message never arrived.
    if (this.closed.has(session.id)) return callback(new Error('connection closed'));
    const raw = Buffer.concat(chunks).toString('utf8');
    simpleParser(raw).then(
      (mail) => {
        const ics =
          mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))?.content.toString('utf8') ??
          null;
        for (const rcpt of session.envelope.rcptTo) {
          this.received.push({ to: rcpt.address.toLowerCase(), mail, raw, calendar: ics });
        }
        callback();
      },
      (e: Error) => callback(e),
    );
  }

  /** (recipient, Message-ID) pairs that arrived more than once: the ledger row's id is the Message-ID. */
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const r of this.received) {
      const key = `${r.to} ${r.mail.messageId ?? r.mail.subject ?? ''}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
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
