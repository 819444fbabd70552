import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, ResourceUnavailable } from '@allmende/core';
import {
  BookingEntity,
  BookingPriority,
  BookingRepository,
  BookingTrail,
  LegChange,
  NewBooking,
  PlacementContext,
  ResourceEntity,
} from '@allmende/database';
import { BookingCalendar, Placement } from './booking-calendar';
import { BookingJournal } from './booking-journal';
import { unavailability } from './booking-rules';
import type { BookingRequest } from './booking-request';
import { BookingView, namedResource } from './booking-views';
import { conflictOf } from './conflict-translation';
import { Displacement } from './displacement.service';

/** Where one resource's booking goes, for whom: the request as the placement sees it. */
export interface PlacementRequest extends BookingRequest {
  siteMunicipalityId: string;
  priority: BookingPriority;
}

/**
 * Puts one booking of one locked resource into the calendar: transport leg, conflicts (an
 * emergency displaces normal bookings), the availability rules, then the insert with its trail.
 */
@Injectable()
export class BookingPlacement {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly calendar: BookingCalendar,
    private readonly displacement: Displacement,
    private readonly journal: BookingJournal,
  ) {}

  /**
   * The booking as the answer shows it (with its resource and the places' names), from what the
   * placement read: no read after the write. `context`: the resource's calendar when already read
   * with its lock. `last`: nothing follows this booking in the transaction (no operator to book);
   * unless this placement displaced bookings (they are settled after it), the insert then ends
   * the transaction (UnitOfWork.query's `last`).
   */
  async insert(
    actor: Actor,
    resource: ResourceEntity,
    request: PlacementRequest,
    displaced: BookingEntity[],
    operatorForBookingId: string | null = null,
    context: PlacementContext | null = null,
    last = false,
  ): Promise<BookingView> {
    const siteId = request.siteMunicipalityId;
    const where = {
      siteId,
      start: request.start,
      end: request.end,
      bookerMunicipalityId: request.municipalityId,
    };
    let placement = context
      ? await this.calendar.placeIn(resource, where, context)
      : await this.calendar.place(resource, where);
    if (placement.conflicts.length > 0) {
      if (request.priority === 'emergency' && placement.conflicts.every((c) => c.priority === 'normal')) {
        for (const c of placement.conflicts) displaced.push(...(await this.displacement.displace(c)));
        placement = await this.calendar.place(resource, where);
      }
      if (placement.conflicts.length > 0) throw conflictOf(resource, siteId, request, placement.conflicts);
    }
    assertAvailable(resource, placement, request.start, request.end, request.priority);
    const entry = this.entryFor(actor, resource, request, placement, operatorForBookingId);
    const inserted = await this.bookings.insertRecorded(entry.booking, entry.leg, entry.trail, {
      last: last && displaced.length === 0,
    });
    return viewOf(inserted, resource, placement);
  }

  /** The new booking of a placement the rules allow, with the leg it moves and its trail. */
  entryFor(
    actor: Actor,
    resource: ResourceEntity,
    request: PlacementRequest,
    placement: Placement,
    operatorForBookingId: string | null,
  ): BookingEntry {
    const booking = {
      id: randomUUID(),
      poolId: resource.poolId,
      resourceId: resource.id,
      municipalityId: request.municipalityId,
      siteMunicipalityId: request.siteMunicipalityId,
      startAt: request.start,
      endAt: request.end,
      blockedStart: placement.blockedStart,
      blockedEnd: placement.blockedEnd,
      priority: request.priority,
      operatorForBookingId,
      seriesId: request.seriesId ?? null,
      flexibleStart: request.flexible?.start ?? null,
      flexibleEnd: request.flexible?.end ?? null,
      notes: request.notes ?? null,
      contact: request.contact ?? null,
      createdBy: actor.userId,
    };
    return {
      booking,
      leg: placement.followerLeg,
      trail: this.journal.trail(actor, 'created', null, {
        ...booking,
        status: 'active',
        sequence: 0,
        backdated: request.backdated,
      }),
    };
  }
}

/** A booking about to be inserted, with the following booking's leg it moves and its trail. */
export interface BookingEntry {
  booking: NewBooking & { id: string };
  leg: LegChange | null;
  trail: BookingTrail;
}

/** The booking as the answer shows it, from what its placement read: no read after the write. */
export function viewOf(booking: BookingEntity, resource: ResourceEntity, placement: Placement): BookingView {
  return {
    booking,
    resource: namedResource(resource),
    municipalityName: placement.booker.name,
    siteMunicipalityName: placement.facts.site.name,
    operatorBooking: null,
  };
}

/** Throws with every reason the rules find (holiday, working hours, blackout, inspection, ...). */
export function assertAvailable(
  resource: ResourceEntity,
  placement: Placement,
  start: Date,
  end: Date,
  priority: BookingPriority,
): void {
  const problems = unavailability({ resource, start, end, priority, facts: placement.facts });
  if (problems.length > 0) {
    throw new ResourceUnavailable(`${resource.name} cannot be booked then: ${problems[0].detail}`, problems);
  }
}
