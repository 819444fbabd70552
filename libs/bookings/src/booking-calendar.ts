import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '@allmende/core';
import {
  BlackoutEntity,
  BookingEntity,
  BookingRepository,
  LegChange,
  LockedPlacement,
  MunicipalityEntity,
  MunicipalityRepository,
  PlacementContext,
  PlacementContextQuery,
  PoolRepository,
  ResourceEntity,
  ResourceRepository,
} from '@allmende/database';
import { addMinutes, localDays, toBerlin } from './time';
import { DEFAULT_MACHINE_SPEED_KMH, DEFAULT_STAFF_SPEED_KMH, TravelTimes } from './travel';

/** Where and when a booking would be, and for whom. */
export interface PlaceRequest {
  siteId: string;
  start: Date;
  end: Date;
  bookerMunicipalityId: string;
  /** Bookings to leave out (the one being moved). */
  except?: string[];
}

/** What the availability rules need to know beyond the resource and the request. */
export interface RuleFacts {
  site: MunicipalityEntity;
  /** The booking municipality is a member of the pool on every local day of the booking. */
  isMember: boolean;
  /** Blackouts overlapping the blocked interval. */
  blackouts: BlackoutEntity[];
  /** Staff: minutes already booked in the local week of the start. */
  weekMinutes: number;
}

export interface Placement {
  /** The booking municipality (its name goes into the answer). */
  booker: MunicipalityEntity;
  blockedStart: Date;
  blockedEnd: Date;
  travelInMinutes: number;
  /** Active bookings the new one would collide with, including the next one's transport leg. */
  conflicts: BookingEntity[];
  /** The following booking's transport leg once this booking is in place, when it changes. */
  followerLeg: LegChange | null;
  facts: RuleFacts;
}

/** Busy time is read this far before a booking: overridden legs are at most a day (the matrix's cap). */
export const LOOKBACK_MINUTES = 24 * 60;

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
    private readonly resources: ResourceRepository,
    private readonly context: PlacementContextQuery,
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

  /**
   * Computes the blocked interval of a booking, what it would collide with, the next booking's new
   * transport leg and the facts of the availability rules, from one read of the calendar.
   */
  async place(resource: ResourceEntity, request: PlaceRequest): Promise<Placement> {
    const { start, end } = request;
    const days = localDays(start, end);
    const ctx = await this.context.read({
      resourceId: resource.id,
      poolId: resource.poolId,
      start,
      end,
      except: request.except ?? [],
      lookbackFrom: addMinutes(start, -LOOKBACK_MINUTES),
      municipalityIds: [resource.homeMunicipalityId, request.siteId, request.bookerMunicipalityId],
      member: {
        municipalityId: request.bookerMunicipalityId,
        firstDay: days[0],
        lastDay: days[days.length - 1],
      },
      week: resource.kind === 'staff' && resource.weeklyHours ? localWeek(start) : null,
    });
    return this.placeIn(resource, request, ctx);
  }

  /**
   * Locks resources (in id order) and reads the calendar of one of them for a booking, in one
   * round trip; the placement follows with placeIn once the caller has checked the locked rows.
   * As the first statement of a unit of work it also sets the tenant.
   */
  async lockAndRead(lock: string[], resourceId: string, request: PlaceRequest): Promise<LockedPlacement> {
    const { start, end } = request;
    const days = localDays(start, end);
    return this.context.lockAndRead(lock, {
      resourceId,
      start,
      end,
      except: request.except ?? [],
      lookbackFrom: addMinutes(start, -LOOKBACK_MINUTES),
      siteId: request.siteId,
      bookerMunicipalityId: request.bookerMunicipalityId,
      firstDay: days[0],
      lastDay: days[days.length - 1],
    });
  }

  /** The placement of a booking of `resource` from a read of its calendar (place, lockAndRead). */
  async placeIn(resource: ResourceEntity, request: PlaceRequest, ctx: PlacementContext): Promise<Placement> {
    const { siteId, start, end } = request;
    const except = request.except ?? [];
    const lookbackFrom = addMinutes(start, -LOOKBACK_MINUTES);
    const site = ctx.municipalities.get(siteId);
    if (!site) throw unknownMunicipality('siteMunicipalityId', siteId);
    if (!ctx.municipalities.has(request.bookerMunicipalityId))
      throw unknownMunicipality('municipalityId', request.bookerMunicipalityId);

    const { previous, next } = ctx;
    const travel = new TravelTimes(ctx.municipalities, ctx.travelOverrides);
    const origin = previous?.siteMunicipalityId ?? resource.homeMunicipalityId;
    const travelInMinutes = travel.minutes(origin, siteId, speedOf(resource));
    const blockedStart = addMinutes(start, -travelInMinutes);
    const overlapsBlocked = (s: Date, e: Date) => e > blockedStart && s < end;
    let near = ctx.near;
    let blackouts = ctx.blackouts;
    if (blockedStart < lookbackFrom) {
      // A leg longer than the lookback (a distant site by great circle): read its span directly.
      [near, blackouts] = await Promise.all([
        this.bookings.overlapping(resource.id, blockedStart, end, except),
        this.resources.blackoutsOverlapping([resource.id], blockedStart, end),
      ]);
    }
    const conflicts = near.filter(
      (b) => overlapsBlocked(b.blockedStart, b.blockedEnd) && overlapsBlocked(b.startAt, b.endAt),
    );
    let followerLeg: LegChange | null = null;
    if (next && !conflicts.some((c) => c.id === next.id)) {
      const nextLegStart = addMinutes(
        next.startAt,
        -travel.minutes(siteId, next.siteMunicipalityId, speedOf(resource)),
      );
      if (nextLegStart < end) conflicts.push(next);
      else if (nextLegStart.getTime() !== next.blockedStart.getTime())
        followerLeg = { bookingId: next.id, blockedStart: nextLegStart };
    }
    return {
      blockedStart,
      blockedEnd: end,
      booker: ctx.municipalities.get(request.bookerMunicipalityId)!,
      travelInMinutes,
      conflicts,
      followerLeg,
      facts: {
        site,
        isMember: ctx.isMember,
        blackouts: blackouts.filter((b) => overlapsBlocked(b.startAt, b.endAt)),
        weekMinutes: ctx.weekMinutes,
      },
    };
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

/** The local Monday-to-Monday week of an instant. */
function localWeek(at: Date): { from: Date; to: Date } {
  const monday = toBerlin(at).startOf('week');
  return { from: monday.toJSDate(), to: monday.plus({ weeks: 1 }).toJSDate() };
}

function unknownMunicipality(field: string, id: string): ValidationFailed {
  return new ValidationFailed([{ field, message: `municipality ${id} does not exist` }]);
}
