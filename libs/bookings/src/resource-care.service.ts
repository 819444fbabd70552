import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { policies } from '@allmende/auth';
import { Actor, Clock, NotFound, ValidationFailed } from '@allmende/core';
import {
  AuditLog,
  BookingEntity,
  BookingRepository,
  InspectionEntity,
  InspectionResult,
  MunicipalityRepository,
  ResourceChange,
  ResourceEntity,
  ResourceRepository,
  UnitOfWork,
} from '@allmende/database';
import { PoolVisibility } from '@allmende/pools';
import { BookingCalendar } from './booking-calendar';
import { berlinDate, ZONE } from './time';

export interface InspectionInput {
  inspectedOn: string;
  result: InspectionResult;
  /** Overrides the date computed from the resource's inspection interval. */
  nextDue?: string;
  notes?: string;
}

export interface RetirementOutcome {
  resource: ResourceEntity;
  /** Active bookings from now on: they still stand, and their municipalities should rebook. */
  bookingsToRebook: BookingEntity[];
}

/** What a future booking list of a retired machine is capped at (it is a to-do list, not a report). */
const REBOOK_LIST_LIMIT = 500;

/**
 * Looking after machines and staff once they exist: changing them, recording inspections (the
 * next due date follows from the interval), retiring them. Coordinators of the pool; audited.
 */
@Injectable()
export class ResourceCareService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly resources: ResourceRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly bookings: BookingRepository,
    private readonly calendar: BookingCalendar,
    private readonly visibility: PoolVisibility,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async change(actor: Actor, id: string, change: ResourceChange): Promise<ResourceEntity> {
    return this.uow.run(actor, async () => {
      const before = await this.managed(actor, id);
      assertFitsKind(before, change);
      if (change.homeMunicipalityId && change.homeMunicipalityId !== before.homeMunicipalityId) {
        const [home] = await this.municipalities.findByIds([change.homeMunicipalityId]);
        if (!home) throw new ValidationFailed([{ field: 'homeMunicipalityId', message: 'does not exist' }]);
      }
      const after = await this.resources.update(id, change);
      if (
        after.homeMunicipalityId !== before.homeMunicipalityId ||
        after.transportSpeedKmh !== before.transportSpeedKmh
      ) {
        // The trips to its sites change: the first future booking's leg starts at the depot, the
        // others depend on the speed.
        for (const b of await this.bookings.list(
          { resourceId: id, from: this.clock.now(), status: 'active' },
          REBOOK_LIST_LIMIT,
        )) {
          await this.calendar.refreshLeg(after, b);
        }
      }
      await this.audit.record(actor, {
        action: 'resource.change',
        entityType: 'resource',
        entityId: id,
        municipalityId: after.homeMunicipalityId,
        before,
        after,
      });
      return after;
    });
  }

  async recordInspection(
    actor: Actor,
    id: string,
    input: InspectionInput,
  ): Promise<{ inspection: InspectionEntity; resource: ResourceEntity }> {
    const today = berlinDate(this.clock.now());
    if (input.inspectedOn > today) {
      throw new ValidationFailed([{ field: 'inspectedOn', message: `must not lie after today (${today})` }]);
    }
    if (input.nextDue !== undefined && input.nextDue <= input.inspectedOn) {
      throw new ValidationFailed([{ field: 'nextDue', message: 'must lie after inspectedOn' }]);
    }
    return this.uow.run(actor, async () => {
      const before = await this.managed(actor, id, true);
      let nextDue: string | null;
      if (input.result === 'failed') {
        // Not fit for use: due (overdue) from the day before the inspection, until one passes.
        nextDue = DateTime.fromISO(input.inspectedOn, { zone: ZONE }).minus({ days: 1 }).toISODate()!;
      } else if (input.nextDue) {
        nextDue = input.nextDue;
      } else if (before.inspectionIntervalMonths) {
        nextDue = DateTime.fromISO(input.inspectedOn, { zone: ZONE })
          .plus({ months: before.inspectionIntervalMonths })
          .toISODate()!;
      } else {
        throw new ValidationFailed([
          {
            field: 'nextDue',
            message:
              'the resource has no inspection interval: give nextDue, or set inspectionIntervalMonths first',
          },
        ]);
      }
      const inspection = await this.resources.insertInspection({
        resourceId: id,
        inspectedOn: input.inspectedOn,
        result: input.result,
        nextDue: input.result === 'failed' ? null : nextDue,
        notes: input.notes ?? null,
        recordedBy: actor.userId,
      });
      const resource = await this.resources.update(id, { nextInspectionDue: nextDue });
      await this.audit.record(actor, {
        action: 'resource.inspection',
        entityType: 'resource',
        entityId: id,
        municipalityId: resource.homeMunicipalityId,
        before: { nextInspectionDue: before.nextInspectionDue },
        after: { ...inspection, nextInspectionDue: nextDue },
      });
      return { inspection, resource };
    });
  }

  async inspections(actor: Actor, id: string): Promise<InspectionEntity[]> {
    return this.uow.run(actor, async () => {
      await this.visible(actor, id);
      return this.resources.inspections(id);
    });
  }

  /** Retires a resource: no new bookings from now on; the bookings still ahead are listed for rebooking. */
  async retire(actor: Actor, id: string): Promise<RetirementOutcome> {
    return this.uow.run(actor, async () => {
      const before = await this.managed(actor, id, true);
      const now = this.clock.now();
      const resource = before.active
        ? await this.resources.update(id, { active: false, retiredAt: now })
        : before;
      if (before.active) {
        await this.audit.record(actor, {
          action: 'resource.retire',
          entityType: 'resource',
          entityId: id,
          municipalityId: resource.homeMunicipalityId,
          before: { active: true, retiredAt: null },
          after: { active: false, retiredAt: now },
        });
      }
      const bookingsToRebook = await this.bookings.list(
        { resourceId: id, from: now, status: 'active' },
        REBOOK_LIST_LIMIT,
      );
      return { resource, bookingsToRebook };
    });
  }

  /**
   * What takes the pool's machines out of service in [from, to): inspections falling due and
   * retirements (facts for availability and the bottleneck findings).
   */
  async outOfService(
    actor: Actor,
    poolId: string,
    from: Date,
    to: Date,
  ): Promise<{ inspectionsDue: ResourceEntity[]; retired: ResourceEntity[] }> {
    return this.uow.run(actor, async () => {
      if (!(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
      return this.resources.outOfServiceIn(poolId, from, to);
    });
  }

  private async visible(actor: Actor, id: string): Promise<ResourceEntity> {
    const r = await this.resources.findById(id);
    if (!r || !(await this.visibility.maySeePool(actor, r.poolId))) throw new NotFound('Resource', id);
    return r;
  }

  private async managed(actor: Actor, id: string, evenRetired = false): Promise<ResourceEntity> {
    const r = await this.visible(actor, id);
    policies.assertCoordinates(actor, r.poolId);
    if (!r.active && !evenRetired) {
      throw new ValidationFailed([{ field: 'id', message: `${r.name} is retired and cannot be changed` }]);
    }
    return r;
  }
}

function assertFitsKind(resource: ResourceEntity, change: ResourceChange): void {
  const errors: { field: string; message: string }[] = [];
  if (resource.kind === 'staff') {
    for (const field of ['requiredQualification', 'nextInspectionDue', 'inspectionIntervalMonths'] as const) {
      if (change[field] !== undefined && change[field] !== null)
        errors.push({ field, message: 'only machines have this' });
    }
  } else {
    for (const field of ['weeklyHours', 'workingHours'] as const) {
      if (change[field] !== undefined && change[field] !== null)
        errors.push({ field, message: 'only staff have working hours' });
    }
  }
  if (errors.length) throw new ValidationFailed(errors);
}
