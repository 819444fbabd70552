import { Injectable } from '@nestjs/common';
import type { Actor } from '@allmende/core';
import {
  AuditLog,
  auditRecord,
  BookingEntity,
  BookingRepository,
  BookingTrail,
  BookingUsageEntity,
  WaitlistEntryEntity,
} from '@allmende/database';
import { Alternative, alternativeView } from './alternatives';

export type BookingChange = 'created' | 'rescheduled' | 'cancelled' | 'displaced';

const AUDIT_ACTION: Record<BookingChange, string> = {
  created: 'booking.create',
  rescheduled: 'booking.reschedule',
  cancelled: 'booking.cancel',
  displaced: 'booking.displace',
};

type Snapshotted = Pick<
  BookingEntity,
  | 'resourceId'
  | 'municipalityId'
  | 'siteMunicipalityId'
  | 'startAt'
  | 'endAt'
  | 'blockedStart'
  | 'blockedEnd'
  | 'status'
  | 'priority'
  | 'sequence'
  | 'notes'
> & { backdated?: boolean };

/**
 * What the booking engine leaves behind for others: the audit entry of every change and the
 * outbox event (booking_events) the notifications read. The one place that writes either for
 * bookings, waitlist offers and usage, so their shapes cannot drift between code paths.
 */
@Injectable()
export class BookingJournal {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly audit: AuditLog,
  ) {}

  /** The trail of a change, for writers that store it in the change's own statement. */
  trail(
    actor: Actor,
    change: BookingChange,
    before: Snapshotted | null,
    after: Snapshotted & { id: string },
    payload: Record<string, unknown> = {},
    waitlistEntryId: string | null = null,
  ): BookingTrail {
    return {
      event: {
        bookingId: after.id,
        waitlistEntryId,
        municipalityId: after.municipalityId,
        kind: `booking.${change}`,
        payload: { sequence: after.sequence, ...payload, ...(actor.silent ? { silent: true } : {}) },
      },
      audit: auditRecord(actor, {
        action: AUDIT_ACTION[change],
        entityType: 'booking',
        entityId: after.id,
        municipalityId: after.municipalityId,
        before: before ? snapshot(before) : null,
        after: snapshot(after),
      }),
    };
  }

  async record(
    actor: Actor,
    change: BookingChange,
    before: Snapshotted | null,
    after: Snapshotted & { id: string },
  ): Promise<void> {
    await this.bookings.recordTrail(this.trail(actor, change, before, after));
  }

  /** A displaced booking: its entry, and the event telling its municipality where it may go. */
  async displaced(
    actor: Actor,
    before: BookingEntity,
    by: BookingEntity,
    entry: WaitlistEntryEntity | null,
    alternatives: Alternative[],
  ): Promise<void> {
    const after = { ...before, status: 'displaced' as const, sequence: before.sequence + 1 };
    await this.bookings.recordTrail(
      this.trail(
        actor,
        'displaced',
        before,
        after,
        {
          byBookingId: by.id,
          alternatives: alternatives.map(alternativeView),
        },
        entry?.id ?? null,
      ),
    );
  }

  async offered(entry: WaitlistEntryEntity, offer: Record<string, unknown>): Promise<void> {
    await this.bookings.recordEvent({
      bookingId: null,
      waitlistEntryId: entry.id,
      municipalityId: entry.municipalityId,
      kind: 'waitlist.offered',
      payload: offer,
    });
  }

  async usage(
    actor: Actor,
    booking: BookingEntity,
    before: BookingUsageEntity | null,
    after: BookingUsageEntity,
  ): Promise<void> {
    await this.audit.record(actor, {
      action: before ? 'booking.usage.correct' : 'booking.usage',
      entityType: 'booking',
      entityId: booking.id,
      municipalityId: booking.municipalityId,
      before,
      after,
    });
  }
}

function snapshot(b: Snapshotted): Record<string, unknown> {
  return {
    resourceId: b.resourceId,
    municipalityId: b.municipalityId,
    siteMunicipalityId: b.siteMunicipalityId,
    start: b.startAt,
    end: b.endAt,
    blockedStart: b.blockedStart,
    blockedEnd: b.blockedEnd,
    status: b.status,
    priority: b.priority,
    sequence: b.sequence,
    notes: b.notes,
    ...(b.backdated ? { backdated: true } : {}),
  };
}
