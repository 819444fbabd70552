import { Injectable } from '@nestjs/common';
import {
  BookingEntity,
  BookingRepository,
  MunicipalityRepository,
  PoolRepository,
  ResourceEntity,
} from '@allmende/database';
import { addMinutes } from './time';
import { DEFAULT_MACHINE_SPEED_KMH, DEFAULT_STAFF_SPEED_KMH, TravelTimes } from './travel';

export interface Placement {
  blockedStart: Date;
  blockedEnd: Date;
  travelInMinutes: number;
  /** Active bookings the new one would collide with, including the next one's transport leg. */
  conflicts: BookingEntity[];
}

export function speedOf(resource: ResourceEntity): number {
  return (
    resource.transportSpeedKmh ??
    (resource.kind === 'staff' ? DEFAULT_STAFF_SPEED_KMH : DEFAULT_MACHINE_SPEED_KMH)
  );
}

/**
 * Where a resource is and how long it takes to get somewhere. A booking blocks its resource from
 * the moment it leaves the previous site (or its depot) until the booking ends; the following
 * booking's transport leg starts from this booking's site. Callers hold the resource's row lock.
 */
@Injectable()
export class BookingCalendar {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly pools: PoolRepository,
  ) {}

  async travelTimes(poolId: string, municipalityIds: string[]): Promise<TravelTimes> {
    const [places, overrides] = await Promise.all([
      this.municipalities.findByIds(municipalityIds),
      this.pools.travelTimes(poolId),
    ]);
    return new TravelTimes(
      new Map(places.map((m) => [m.id, { id: m.id, lat: m.lat, lon: m.lon }])),
      overrides,
    );
  }

  /** Computes the blocked interval of a booking at `siteId` and what it would collide with. */
  async place(
    resource: ResourceEntity,
    siteId: string,
    start: Date,
    end: Date,
    except: string[] = [],
  ): Promise<Placement> {
    const previous = await this.bookings.previous(resource.id, start, except);
    const next = await this.bookings.next(resource.id, start, except);
    const origin = previous?.siteMunicipalityId ?? resource.homeMunicipalityId;
    const travel = await this.travelTimes(resource.poolId, [
      origin,
      siteId,
      ...(next ? [next.siteMunicipalityId] : []),
    ]);
    const travelInMinutes = travel.minutes(origin, siteId, speedOf(resource));
    const blockedStart = addMinutes(start, -travelInMinutes);
    const conflicts = await this.bookings.overlapping(resource.id, blockedStart, end, except);
    if (next && !conflicts.some((c) => c.id === next.id)) {
      const nextLeg = travel.minutes(siteId, next.siteMunicipalityId, speedOf(resource));
      if (addMinutes(next.startAt, -nextLeg) < end) conflicts.push(next);
    }
    return { blockedStart, blockedEnd: end, travelInMinutes, conflicts };
  }

  /**
   * Re-derives the transport leg of the booking that follows `at` on the resource, after the
   * booking before it changed. A leg never reaches back past the end of its predecessor.
   */
  async refreshLegAfter(resource: ResourceEntity, at: Date): Promise<void> {
    const following = await this.bookings.next(resource.id, at);
    if (following) await this.refreshLeg(resource, following);
  }

  async refreshLeg(resource: ResourceEntity, booking: BookingEntity): Promise<void> {
    const previous = await this.bookings.previous(resource.id, booking.startAt, [booking.id]);
    const origin = previous?.siteMunicipalityId ?? resource.homeMunicipalityId;
    const travel = await this.travelTimes(resource.poolId, [origin, booking.siteMunicipalityId]);
    let blockedStart = addMinutes(
      booking.startAt,
      -travel.minutes(origin, booking.siteMunicipalityId, speedOf(resource)),
    );
    if (previous && blockedStart < previous.blockedEnd) blockedStart = previous.blockedEnd;
    if (blockedStart > booking.startAt) blockedStart = booking.startAt;
    if (blockedStart.getTime() !== booking.blockedStart.getTime()) {
      await this.bookings.update(booking.id, { blockedStart });
    }
  }
}
