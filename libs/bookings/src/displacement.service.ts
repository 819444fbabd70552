import { Injectable } from '@nestjs/common';
import type { Actor } from '@allmende/core';
import { BookingEntity, BookingRepository, ResourceRepository, WaitlistRepository } from '@allmende/database';
import { AlternativesFinder } from './alternatives';
import { BookingCalendar } from './booking-calendar';
import { BookingJournal } from './booking-journal';

/**
 * Emergencies (winter service, burst pipes) take the slot of normal bookings: those step aside
 * with their linked machine or operator booking, go to the waitlist, and are told the alternatives.
 */
@Injectable()
export class Displacement {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly resources: ResourceRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly calendar: BookingCalendar,
    private readonly alternatives: AlternativesFinder,
    private readonly journal: BookingJournal,
  ) {}

  /** Takes `booking` and its linked bookings out of the calendar; returns them as displaced. */
  async displace(booking: BookingEntity): Promise<BookingEntity[]> {
    const linked = booking.operatorForBookingId
      ? await this.bookings.findByIds([booking.operatorForBookingId])
      : await this.bookings.findOperatorsOf(booking.id);
    const all = [booking, ...linked.filter((l) => l.status === 'active')];
    for (const b of all) await this.bookings.update(b.id, { status: 'displaced', sequence: b.sequence + 1 });
    return all;
  }

  /** Once the emergency booking is in: legs re-derived, the waitlist entry, audit and event. */
  async settle(actor: Actor, displaced: BookingEntity, by: BookingEntity): Promise<void> {
    const resource = (await this.resources.findById(displaced.resourceId))!;
    await this.calendar.refreshLegAfter(resource, displaced.startAt);
    if (displaced.operatorForBookingId) {
      // The machine booking carries the waitlist entry and the alternatives.
      await this.journal.displaced(actor, displaced, by, null, []);
      return;
    }
    const alternatives = await this.alternatives.find(
      resource,
      displaced.siteMunicipalityId,
      displaced.startAt,
      displaced.endAt,
    );
    const entry = await this.waitlist.insert({
      poolId: displaced.poolId,
      resourceType: resource.type,
      resourceId: null,
      municipalityId: displaced.municipalityId,
      siteMunicipalityId: displaced.siteMunicipalityId,
      startAt: displaced.startAt,
      endAt: displaced.endAt,
      priority: displaced.priority,
      reason: 'displaced',
      flexibleStart: displaced.flexibleStart,
      flexibleEnd: displaced.flexibleEnd,
      displacedBookingId: displaced.id,
      createdBy: actor.userId,
    });
    await this.journal.displaced(actor, displaced, by, entry, alternatives);
  }
}
