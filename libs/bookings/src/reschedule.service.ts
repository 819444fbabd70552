import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode, ValidationFailed } from '@allmende/core';
import {
  BookingEntity,
  BookingRepository,
  MunicipalityEntity,
  MunicipalityRepository,
  ResourceEntity,
  ResourceRepository,
} from '@allmende/database';
import { BookingAccess } from './booking-access';
import { BookingCalendar } from './booking-calendar';
import { BookingJournal } from './booking-journal';
import { assertAvailable } from './booking-placement';
import { RescheduleRequest } from './booking-request';
import { BookingValidation } from './booking-validation';
import { conflictOf, ConflictTranslation } from './conflict-translation';
import { OperatorAssignment } from './operator-assignment';

/**
 * Moves a booking in time, to another resource or site. It keeps its id and bumps its sequence;
 * its operator bookings move with it; an operator booking alone may only change hands.
 */
@Injectable()
export class RescheduleService {
  constructor(
    private readonly bookings: BookingRepository,
    private readonly resources: ResourceRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly calendar: BookingCalendar,
    private readonly access: BookingAccess,
    private readonly operators: OperatorAssignment,
    private readonly validation: BookingValidation,
    private readonly journal: BookingJournal,
    private readonly conflicts: ConflictTranslation,
  ) {}

  async reschedule(actor: Actor, id: string, change: RescheduleRequest): Promise<BookingEntity> {
    return this.conflicts.write(actor, async () => {
      const current = await this.access.ownBooking(actor, id);
      if (current.status !== 'active') {
        throw new DomainError(
          ErrorCode.Conflict,
          `Booking ${id} is ${current.status} and cannot be changed.`,
        );
      }
      const timeChanged =
        (change.start !== undefined && change.start.getTime() !== current.startAt.getTime()) ||
        (change.end !== undefined && change.end.getTime() !== current.endAt.getTime()) ||
        (change.siteMunicipalityId !== undefined && change.siteMunicipalityId !== current.siteMunicipalityId);
      if (current.operatorForBookingId && timeChanged) {
        // Another operator may take over; time and site follow the machine booking.
        throw new DomainError(
          ErrorCode.Conflict,
          'An operator booking moves with its machine booking; change that one.',
        );
      }
      const start = change.start ?? current.startAt;
      const end = change.end ?? current.endAt;
      this.validation.validateMove(current, start, end);
      const target = change.resourceId ? await this.access.usableResource(actor, change.resourceId) : null;
      if (target && target.poolId !== current.poolId) {
        throw new ValidationFailed([{ field: 'resourceId', message: 'must be a resource of the same pool' }]);
      }
      const site = await this.municipality(change.siteMunicipalityId ?? current.siteMunicipalityId);
      if (target && current.operatorForBookingId) {
        const [machineBooking] = await this.bookings.findByIds([current.operatorForBookingId]);
        const machine = machineBooking ? await this.resources.findById(machineBooking.resourceId) : null;
        if (machine) this.operators.assertQualified(machine, target, 'resourceId');
      }
      const operatorBookings = await this.bookings.findOperatorsOf(current.id);
      const locked = await this.resources.lockMany([
        current.resourceId,
        target?.id ?? current.resourceId,
        ...operatorBookings.map((o) => o.resourceId),
      ]);
      const byId = new Map(locked.map((r) => [r.id, r]));
      const oldResource = byId.get(current.resourceId)!;
      const newResource = byId.get(target?.id ?? current.resourceId)!;
      if (newResource.kind !== oldResource.kind) {
        throw new ValidationFailed([
          { field: 'resourceId', message: `must be a ${oldResource.kind} like the booked one` },
        ]);
      }
      if (newResource.id !== oldResource.id && newResource.kind === 'machine') {
        // The machine's operators must be able to operate the new machine too.
        for (const op of operatorBookings)
          this.operators.assertQualified(newResource, byId.get(op.resourceId)!);
      }

      const moved = await this.move(actor, current, newResource, oldResource, site, start, end, change.notes);
      for (const op of operatorBookings) {
        const opResource = byId.get(op.resourceId)!;
        await this.move(actor, op, opResource, opResource, site, start, end, change.notes);
      }
      return moved;
    });
  }

  private async move(
    actor: Actor,
    current: BookingEntity,
    resource: ResourceEntity,
    oldResource: ResourceEntity,
    site: MunicipalityEntity,
    start: Date,
    end: Date,
    notes: string | null | undefined,
  ): Promise<BookingEntity> {
    const placement = await this.calendar.place(resource, {
      siteId: site.id,
      start,
      end,
      bookerMunicipalityId: current.municipalityId,
      except: [current.id],
    });
    if (placement.conflicts.length > 0) {
      throw conflictOf(resource, site.id, { start, end, priority: current.priority }, placement.conflicts);
    }
    assertAvailable(resource, placement, start, end, current.priority);
    const outsideWindow =
      current.flexibleStart !== null &&
      current.flexibleEnd !== null &&
      (start < current.flexibleStart || end > current.flexibleEnd);
    const patch: Partial<BookingEntity> = {
      ...(outsideWindow ? { flexibleStart: null, flexibleEnd: null } : {}),
      resourceId: resource.id,
      siteMunicipalityId: site.id,
      startAt: start,
      endAt: end,
      blockedStart: placement.blockedStart,
      blockedEnd: placement.blockedEnd,
      sequence: current.sequence + 1,
      ...(notes !== undefined ? { notes } : {}),
    };
    await this.bookings.update(current.id, patch);
    await this.calendar.refreshLegAfter(oldResource, current.startAt);
    // The booking now followed by this one: its leg, as the placement derived it.
    if (placement.followerLeg)
      await this.bookings.update(placement.followerLeg.bookingId, {
        blockedStart: placement.followerLeg.blockedStart,
      });
    await this.journal.record(actor, 'rescheduled', current, { ...current, ...patch });
    return (await this.bookings.findById(current.id))!;
  }

  private async municipality(id: string): Promise<MunicipalityEntity> {
    const [m] = await this.municipalities.findByIds([id]);
    if (!m)
      throw new ValidationFailed([
        { field: 'siteMunicipalityId', message: `municipality ${id} does not exist` },
      ]);
    return m;
  }
}
