import { Injectable, Logger } from '@nestjs/common';
import { NotificationFactsQuery, NotificationOutboxEvent } from '@allmende/database';
import type { StatementIssuedPayload } from '@allmende/cost-sharing';
import { Audience, bookerFirst, bookingView } from './audience';
import type { AlternativeView, MessageFacts, PlannedMessage } from './facts';
import { NotificationKind, OutboxKind } from './kinds';

const BOOKING_KINDS: Record<string, NotificationKind> = {
  [OutboxKind.BookingCreated]: 'booking-confirmed',
  [OutboxKind.BookingRescheduled]: 'booking-changed',
  [OutboxKind.BookingCancelled]: 'booking-cancelled',
  [OutboxKind.BookingDisplaced]: 'booking-displaced',
};

interface DisplacedPayload {
  alternatives?: { resourceId: string; start: string; end: string }[];
}

export interface ProposalAppliedPayload {
  proposalId: string;
  poolId: string;
  bookingIds: string[];
}

export interface WebhookDisabledNotice {
  endpointId: string;
  url: string;
  ownerUserId: string;
  disabledAt: string;
  lastError: string | null;
}

/**
 * Who hears what about one outbox event: the booking municipality's yard managers (the booker
 * first), the operator, the machine's home municipality when it leaves its depot, the pool's
 * coordinators for emergencies, displacements and applied proposals; finance users for issued
 * statements; a webhook's owner when it is disabled. Facts only: words come at the send.
 */
@Injectable()
export class EventPlanner {
  private readonly logger = new Logger(EventPlanner.name);

  constructor(private readonly facts: NotificationFactsQuery) {}

  async plan(event: NotificationOutboxEvent): Promise<PlannedMessage[]> {
    // Written by a silent actor (the demo region's bookings): nobody is told.
    if (event.payload?.silent === true) return [];
    const bookingKind = BOOKING_KINDS[event.kind];
    if (bookingKind && event.bookingId) return this.aboutBooking(event, bookingKind);
    switch (event.kind) {
      case OutboxKind.WaitlistOffered:
        return event.waitlistEntryId ? this.waitlistOffer(event.waitlistEntryId) : [];
      case OutboxKind.ProposalApplied:
        return this.proposalApplied(event.payload as unknown as ProposalAppliedPayload);
      case OutboxKind.StatementIssued:
        return this.statementIssued(event.payload as unknown as StatementIssuedPayload);
      case OutboxKind.WebhookDisabled:
        return this.webhookDisabled(event.payload as unknown as WebhookDisabledNotice);
      default:
        this.logger.debug({ kind: event.kind, eventId: event.id }, 'no notification for this event kind');
        return [];
    }
  }

  private async aboutBooking(
    event: NotificationOutboxEvent,
    kind: NotificationKind,
  ): Promise<PlannedMessage[]> {
    const b = await this.facts.booking(event.bookingId!);
    if (!b) return [];
    const view = bookingView(b);
    const alternatives = kind === 'booking-displaced' ? await this.alternatives(event.payload) : undefined;
    const facts = (audience: 'booker' | 'operator' | 'owner' | 'coordinator'): MessageFacts => ({
      type: 'booking',
      booking: view,
      audience,
      ...(alternatives ? { alternatives } : {}),
    });
    const audience = new Audience(kind);
    if (b.operatorForBookingId) {
      // An operator's booking: the operator hears of it; the machine booking's event tells the rest.
      return audience.address(b.resourceEmail, b.resourceName, facts('operator')).list();
    }
    const booker = b.createdBy ? await this.facts.user(b.createdBy) : null;
    audience.users(
      bookerFirst(booker, await this.facts.usersOf(b.municipalityId, 'yard-manager')),
      facts('booker'),
    );
    if (b.resourceKind === 'staff') audience.address(b.resourceEmail, b.resourceName, facts('operator'));
    if (b.resourceKind === 'machine' && b.homeMunicipalityId !== b.municipalityId) {
      audience.users(await this.facts.usersOf(b.homeMunicipalityId, 'yard-manager'), facts('owner'));
    }
    if (kind === 'booking-displaced' || b.priority === 'emergency') {
      audience.users(await this.facts.coordinatorsOf(b.poolId), facts('coordinator'));
    }
    return audience.list();
  }

  private async alternatives(payload: DisplacedPayload): Promise<AlternativeView[]> {
    const out: AlternativeView[] = [];
    for (const a of payload.alternatives ?? []) {
      const name = await this.facts.resourceName(a.resourceId);
      if (name) out.push({ resourceName: name, start: a.start, end: a.end });
    }
    return out;
  }

  private async waitlistOffer(entryId: string): Promise<PlannedMessage[]> {
    const w = await this.facts.waitlistEntry(entryId);
    if (!w) return [];
    const creator = w.createdBy ? await this.facts.user(w.createdBy) : null;
    const facts: MessageFacts = {
      type: 'waitlist-offer',
      waitlistEntryId: w.id,
      poolName: w.poolName,
      resourceType: w.resourceType,
      resourceName: w.offerResourceName,
      municipalityName: w.municipalityName,
      siteName: w.siteName,
      start: w.startAt.toISOString(),
      end: w.endAt.toISOString(),
    };
    return new Audience('waitlist-offer')
      .users(bookerFirst(creator, await this.facts.usersOf(w.municipalityId, 'yard-manager')), facts)
      .list();
  }

  private async proposalApplied(p: ProposalAppliedPayload): Promise<PlannedMessage[]> {
    const poolName = await this.facts.poolName(p.poolId);
    if (!poolName) return [];
    const changes = (await this.facts.bookings(p.bookingIds ?? []))
      .filter((b) => b.status === 'active')
      .sort((a, b) => a.startAt.getTime() - b.startAt.getTime())
      .map(bookingView);
    return new Audience('proposal-applied')
      .users(await this.facts.coordinatorsOf(p.poolId), { type: 'proposal-applied', poolName, changes })
      .list();
  }

  private async statementIssued(p: StatementIssuedPayload): Promise<PlannedMessage[]> {
    const [poolName, municipalityName] = await Promise.all([
      this.facts.poolName(p.poolId),
      this.facts.municipalityName(p.municipalityId),
    ]);
    if (!poolName || !municipalityName) return [];
    return new Audience('statement-issued')
      .users(await this.facts.usersOf(p.municipalityId, 'finance'), {
        type: 'statement-issued',
        poolId: p.poolId,
        poolName,
        municipalityId: p.municipalityId,
        municipalityName,
        period: p.period,
        statementNumber: p.statementNumber,
      })
      .list();
  }

  private async webhookDisabled(p: WebhookDisabledNotice): Promise<PlannedMessage[]> {
    const owner = p.ownerUserId ? await this.facts.user(p.ownerUserId) : null;
    return new Audience('webhook-disabled')
      .users([owner], {
        type: 'webhook-disabled',
        url: p.url,
        disabledAt: p.disabledAt,
        lastError: p.lastError ?? null,
      })
      .list();
  }
}
