import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode } from '@allmende/core';
import {
  BookingEntity,
  BookingRepository,
  ResourceEntity,
  ResourceRepository,
  UnitOfWork,
  WaitlistEntryEntity,
  WaitlistRepository,
} from '@allmende/database';
import { BookingAccess } from './booking-access';
import { BookingCalendar } from './booking-calendar';
import { BookingJournal } from './booking-journal';
import { overlaps } from './time';

/** Cancelling frees the time (with the operator bookings) and offers it to the waitlist in order. */
@Injectable()
export class CancellationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingRepository,
    private readonly resources: ResourceRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly calendar: BookingCalendar,
    private readonly access: BookingAccess,
    private readonly journal: BookingJournal,
  ) {}

  async cancel(actor: Actor, id: string): Promise<{ booking: BookingEntity; offers: WaitlistEntryEntity[] }> {
    return this.uow.run(actor, async () => {
      const current = await this.access.ownBooking(actor, id);
      if (current.status === 'cancelled') return { booking: current, offers: [] };
      if (current.status !== 'active') {
        throw new DomainError(
          ErrorCode.Conflict,
          `Booking ${id} is ${current.status} and cannot be cancelled.`,
        );
      }
      const operators = await this.bookings.findOperatorsOf(current.id);
      const locked = await this.resources.lockMany([
        current.resourceId,
        ...operators.map((o) => o.resourceId),
      ]);
      const offers: WaitlistEntryEntity[] = [];
      for (const b of [current, ...operators]) {
        const resource = locked.find((r) => r.id === b.resourceId)!;
        await this.bookings.update(b.id, { status: 'cancelled', sequence: b.sequence + 1 });
        await this.calendar.refreshLegAfter(resource, b.startAt);
        await this.journal.record(actor, 'cancelled', b, {
          ...b,
          status: 'cancelled',
          sequence: b.sequence + 1,
        });
        if (b === current) {
          const offer = await this.offerFreedSlot(resource, b);
          if (offer) offers.push(offer);
        }
      }
      return { booking: (await this.bookings.findById(id))!, offers };
    });
  }

  /** A freed slot goes to the first waiting request it can serve, in waitlist order. */
  private async offerFreedSlot(
    resource: ResourceEntity,
    freed: BookingEntity,
  ): Promise<WaitlistEntryEntity | null> {
    const waiting = await this.waitlist.waiting(resource.poolId, resource.type);
    for (const entry of waiting) {
      if (entry.resourceId && entry.resourceId !== resource.id) continue;
      if (!overlaps(entry.startAt, entry.endAt, freed.blockedStart, freed.blockedEnd)) continue;
      const placement = await this.calendar.place(resource, {
        siteId: entry.siteMunicipalityId,
        start: entry.startAt,
        end: entry.endAt,
        bookerMunicipalityId: entry.municipalityId,
      });
      if (placement.conflicts.length > 0) continue;
      const offer = {
        resourceId: resource.id,
        start: entry.startAt.toISOString(),
        end: entry.endAt.toISOString(),
      };
      await this.waitlist.update(entry.id, { status: 'offered', offer });
      await this.journal.offered(entry, offer);
      return { ...entry, status: 'offered', offer };
    }
    return null;
  }
}
