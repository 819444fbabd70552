import { Injectable } from '@nestjs/common';
import type { Actor } from '@allmende/core';
import {
  BookingEntity,
  BookingRepository,
  MunicipalityRepository,
  ResourceEntity,
  ResourceRepository,
  UnitOfWork,
} from '@allmende/database';

export interface NamedResource {
  id: string;
  name: string;
  type: string;
  kind: ResourceEntity['kind'];
  needsOperator: boolean;
}

/** A booking with the names people read beside its ids, and the operator booking staffing it. */
export interface BookingView {
  booking: BookingEntity;
  resource: NamedResource | null;
  municipalityName: string | null;
  siteMunicipalityName: string | null;
  /** Machine bookings: the operator booked with it. */
  operatorBooking: BookingView | null;
}

export function namedResource(r: ResourceEntity): NamedResource {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    kind: r.kind,
    needsOperator: r.kind === 'machine' && r.requiredQualification !== null,
  };
}

/** Names for bookings, in three reads however many bookings (a page of a list). */
@Injectable()
export class BookingViews {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingRepository,
    private readonly resources: ResourceRepository,
    private readonly municipalities: MunicipalityRepository,
  ) {}

  async of(actor: Actor, bookings: BookingEntity[]): Promise<BookingView[]> {
    if (bookings.length === 0) return [];
    return this.uow.run(actor, async () => {
      const machineBookings = bookings.filter((b) => !b.operatorForBookingId).map((b) => b.id);
      const operators = await this.bookings.findOperatorsOfMany(machineBookings);
      const all = [...bookings, ...operators];
      const [resources, places] = await Promise.all([
        this.resources.findByIds(all.map((b) => b.resourceId)),
        this.municipalities.findByIds(all.flatMap((b) => [b.municipalityId, b.siteMunicipalityId])),
      ]);
      const resourceById = new Map(resources.map((r) => [r.id, namedResource(r)]));
      const placeName = new Map(places.map((m) => [m.id, m.name]));
      const view = (b: BookingEntity, operatorBooking: BookingView | null): BookingView => ({
        booking: b,
        resource: resourceById.get(b.resourceId) ?? null,
        municipalityName: placeName.get(b.municipalityId) ?? null,
        siteMunicipalityName: placeName.get(b.siteMunicipalityId) ?? null,
        operatorBooking,
      });
      return bookings.map((b) => {
        const op = operators.find((o) => o.operatorForBookingId === b.id);
        return view(b, op ? view(op, null) : null);
      });
    });
  }

  async one(actor: Actor, booking: BookingEntity): Promise<BookingView> {
    return (await this.of(actor, [booking]))[0];
  }
}
