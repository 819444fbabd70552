import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { NotificationRepository, NotificationRow } from '@allmende/database';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import type { MessageFacts } from './facts';
import { buildBookingCalendar } from './ical/booking-event';
import type { NotificationKind } from './kinds';
import { LeaseSpent, Mailer, OutgoingMail } from './mail/mailer';
import { STATEMENT_DOCUMENTS, StatementDocuments } from './statement-documents';
import { renderMessage } from './words/templates';

/** A send job found its row claimed by a live sender: try later (the lease decides). */
export class SendInFlightElsewhere extends Error {}

/** What became of a send job's rows. */
export interface SendOutcome {
  sent: number;
  /** Sent or failed for good before this job came. */
  skipped: number;
  /** Tries that failed (each row back to pending, or failed for good on the last try). */
  failures: Error[];
  /** Held by another live sender, or not started before its lease was half spent: try later. */
  inFlightElsewhere: number;
}

/** Stop retrying the sent-mark this long before the lease ends, so no other try starts meanwhile. */
const MARK_MARGIN_MS = 2_000;

const CANCELLING: NotificationKind[] = ['booking-cancelled', 'booking-displaced'];

/**
 * Sends one ledger row exactly once: claim (status sending, with a lease) before the send, mark
 * sent after. A row already sent is skipped; a sender that died mid-send leaves a lease that runs
 * out, and the next try sends it (the message never completed, so it did not arrive).
 */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);
  private warnedNoDocuments = false;

  constructor(
    private readonly ledger: NotificationRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(STATEMENT_DOCUMENTS) private readonly documents?: StatementDocuments,
  ) {}

  /**
   * Sends the rows of one job: one claim for all, then each message over the SMTP pool side by
   * side, each marked sent as soon as the server has it. Rows already sent are skipped; rows a live
   * sender holds are left to it (the outcome says so, and the job tries again later).
   */
  async sendMany(ids: string[], finalTry: boolean): Promise<SendOutcome> {
    // One statement each, outside a unit of work: the claim and the marks are the hot path.
    const leaseMs = this.config.mailLeaseSeconds * 1000;
    const claimedAt = Date.now();
    const rows = await this.ledger.claimMany(ids, leaseMs);
    const outcome: SendOutcome = { sent: 0, skipped: 0, failures: [], inFlightElsewhere: 0 };
    if (rows.length < ids.length) {
      const claimed = new Set(rows.map((r) => r.id));
      const statuses = await this.ledger.statusesOf(ids.filter((id) => !claimed.has(id)));
      for (const status of statuses.values()) {
        if (status === 'sending') outcome.inFlightElsewhere++;
        else outcome.skipped++;
      }
    }
    await Promise.all(
      rows.map(async (row) => {
        try {
          if ((await this.sendClaimed(row, finalTry, claimedAt, leaseMs)) === 'sent') outcome.sent++;
          else outcome.inFlightElsewhere++;
        } catch (e) {
          outcome.failures.push(e as Error);
        }
      }),
    );
    return outcome;
  }

  /** One row: throws on a failed try or a row another sender holds, as a one-row job would. */
  async send(notificationId: string, finalTry: boolean): Promise<'sent' | 'skipped'> {
    const outcome = await this.sendMany([notificationId], finalTry);
    if (outcome.failures.length > 0) throw outcome.failures[0];
    if (outcome.inFlightElsewhere > 0)
      throw new SendInFlightElsewhere(`notification ${notificationId} is being sent`);
    return outcome.sent > 0 ? 'sent' : 'skipped';
  }

  private async sendClaimed(
    row: NotificationRow,
    finalTry: boolean,
    claimedAt: number,
    leaseMs: number,
  ): Promise<'sent' | 'lease-spent'> {
    const leaseEnds = claimedAt + leaseMs;
    let messageId: string;
    try {
      const mail = await this.compose(row);
      // A message still waiting for a connection when half its lease is spent (a slow server) is
      // not started but handed back: no other worker may take over a row that is half-sent.
      messageId = await this.mailer.send(mail, () => Date.now() - claimedAt <= leaseMs / 2);
    } catch (e) {
      if (e instanceof LeaseSpent) {
        await this.ledger.release(row.id, row.attempts);
        return 'lease-spent';
      }
      const message = (e as Error).message ?? String(e);
      await this.ledger.markTryFailed(row.id, message, finalTry);
      if (finalTry) this.logger.error({ notificationId: row.id, err: e }, 'notification failed for good');
      throw e;
    }
    await this.markSentWithinLease(row.id, messageId, leaseEnds);
    return 'sent';
  }

  /**
   * The message is out: the mark must land before the lease runs out, or another try sends it
   * again. A database that is away for a moment (a restart, a failover) is waited for, with
   * backoff, until shortly before the lease ends; only then does the error surface.
   */
  private async markSentWithinLease(id: string, messageId: string, leaseEnds: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ledger.markSent(id, messageId);
        return;
      } catch (e) {
        const pause = Math.min(100 * 2 ** attempt, 2_000);
        if (Date.now() + pause > leaseEnds - MARK_MARGIN_MS) {
          this.logger.error(
            { notificationId: id, err: e },
            'sent, but could not be marked sent within its lease',
          );
          throw e;
        }
        if (attempt === 0)
          this.logger.warn({ notificationId: id, err: e }, 'sent; marking it sent is retried');
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  private async compose(row: NotificationRow): Promise<OutgoingMail> {
    const facts = row.facts as unknown as MessageFacts;
    const kind = row.kind as NotificationKind;
    const extra: string[] = [];
    let attachments: OutgoingMail['attachments'];
    if (facts.type === 'statement-issued') {
      const found = await this.statementDocuments(facts, row.language);
      if (found) attachments = found;
      extra.push(
        found
          ? row.language === 'de'
            ? 'Die Abrechnung liegt als PDF und als Excel-Datei bei.'
            : 'The statement is attached as PDF and Excel file.'
          : row.language === 'de'
            ? `Sie finden die Abrechnung in allmende unter den Abrechnungen des Verbunds (API: GET /api/v1/pools/${facts.poolId}/statements?period=${facts.period}, als PDF mit format=pdf).`
            : `You find the statement in allmende under the pool's statements (API: GET /api/v1/pools/${facts.poolId}/statements?period=${facts.period}, as PDF with format=pdf).`,
      );
    }
    const words = renderMessage(kind, facts, row.language, row.recipientName, extra);
    let calendar: OutgoingMail['calendar'];
    if (facts.type === 'booking') {
      const method = CANCELLING.includes(kind) || facts.booking.status !== 'active' ? 'CANCEL' : 'REQUEST';
      calendar = {
        method,
        content: buildBookingCalendar(facts.booking, {
          method,
          organizer: { name: this.mailer.from.name, email: this.mailer.from.address },
          attendee: { name: row.recipientName, email: row.recipientEmail },
          language: row.language,
        }),
      };
    }
    return {
      messageId: `<${row.id}@allmende>`,
      to: { name: row.recipientName, address: row.recipientEmail },
      subject: words.subject,
      text: words.text,
      html: words.html,
      calendar,
      attachments,
    };
  }

  private async statementDocuments(
    facts: Extract<MessageFacts, { type: 'statement-issued' }>,
    language: 'de' | 'en',
  ): Promise<OutgoingMail['attachments'] | null> {
    if (!this.documents) {
      if (!this.warnedNoDocuments) {
        this.warnedNoDocuments = true;
        this.logger.warn(
          'No statement renderer is bound (STATEMENT_DOCUMENTS): statement emails go out without PDF/XLSX',
        );
      }
      return null;
    }
    const docs = await this.documents.documentsFor({
      poolId: facts.poolId,
      municipalityId: facts.municipalityId,
      period: facts.period,
      language,
    });
    return docs.map((d) => ({ filename: d.filename, contentType: d.contentType, content: d.content }));
  }
}
