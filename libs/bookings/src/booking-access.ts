import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, NotFound } from '@allmende/core';
import {
  BookingEntity,
  BookingFilter,
  BookingRepository,
  ResourceEntity,
  ResourceRepository,
} from '@allmende/database';
import { PoolVisibility } from '@allmende/pools';

/**
 * Who may see and change which bookings and resources, by the pools' visibility policy: what lies
 * outside the pools an actor sees is 404; visible but foreign is 403 for changes.
 */
@Injectable()
export class BookingAccess {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly resources: ResourceRepository,
    private readonly visibility: PoolVisibility,
  ) {}

  /** A resource the actor may book: one of a pool it sees. */
  async usableResource(actor: Actor, id: string): Promise<ResourceEntity> {
    const resource = await this.resources.findById(id);
    if (!resource || !(await this.mayUse(actor, resource))) throw new NotFound('Resource', id);
    return resource;
  }

  /** `memberOf`: the pools of the actor's municipality when already read (with the tenant). */
  async mayUse(actor: Actor, resource: ResourceEntity, memberOf?: string[]): Promise<boolean> {
    return memberOf
      ? this.visibility.maySeePoolOf(actor, resource.poolId, memberOf)
      : this.visibility.maySeePool(actor, resource.poolId);
  }

  /** A booking the actor may read. */
  async visibleBooking(actor: Actor, id: string): Promise<BookingEntity> {
    const booking = await this.bookings.findById(id);
    if (!booking || !(await this.maySee(actor, booking))) throw new NotFound('Booking', id);
    return booking;
  }

  /** A booking the actor may change: invisible ones are 404, visible foreign ones 403. */
  async ownBooking(actor: Actor, id: string): Promise<BookingEntity> {
    const booking = await this.visibleBooking(actor, id);
    policies.assertCanActFor(actor, booking.municipalityId, booking.poolId);
    return booking;
  }

  async maySee(actor: Actor, booking: BookingEntity): Promise<boolean> {
    return (
      actor.municipalityId === booking.municipalityId || this.visibility.maySeePool(actor, booking.poolId)
    );
  }

  /** The filter narrowed to the pools the actor sees; null when it sees none. */
  async scope(actor: Actor, filter: BookingFilter): Promise<BookingFilter | null> {
    const pools = await this.visibility.visiblePoolIds(actor);
    if (pools === null) return filter;
    if (pools.length === 0) return null;
    return { ...filter, poolIds: pools };
  }
}
