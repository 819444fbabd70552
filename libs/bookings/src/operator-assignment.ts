import { Injectable } from '@nestjs/common';
import { ResourceUnavailable, ValidationFailed } from '@allmende/core';
import { BookingPriority, ResourceEntity, ResourceRepository } from '@allmende/database';
import { Unavailability } from './availability-rules';
import { BookingCalendar, PlaceRequest } from './booking-calendar';
import { unavailability } from './booking-rules';

/** Why one candidate cannot operate the machine then (all reasons, not only the first). */
export interface CandidateVerdict {
  operatorId: string;
  operatorName: string;
  reasons: Unavailability[];
  /** Minutes from where the operator is before the booking to the site. */
  travelInMinutes: number;
}

/** The one qualification check: a machine that requires a qualification takes staff holding it. */
export function qualifiedToOperate(machine: ResourceEntity, staff: ResourceEntity): boolean {
  return (
    staff.kind === 'staff' &&
    staff.poolId === machine.poolId &&
    (!machine.requiredQualification || staff.qualifications.includes(machine.requiredQualification))
  );
}

function notQualified(machine: ResourceEntity, operator: ResourceEntity): Unavailability {
  return {
    reason: 'operator-not-qualified',
    detail: `${operator.name} does not hold ${machine.requiredQualification}, which ${machine.name} needs.`,
  };
}

/** Which staff member operates a machine booking: the one asked for, checked, or the best free one. */
@Injectable()
export class OperatorAssignment {
  constructor(
    private readonly resources: ResourceRepository,
    private readonly calendar: BookingCalendar,
  ) {}

  /** Throws unless `operator` may operate `machine` (field: the request field that named it). */
  assertQualified(machine: ResourceEntity, operator: ResourceEntity, field = 'operatorId'): void {
    if (operator.kind !== 'staff' || operator.poolId !== machine.poolId) {
      throw new ValidationFailed([{ field, message: 'must be a staff member of the machine’s pool' }]);
    }
    if (!qualifiedToOperate(machine, operator)) {
      throw new ResourceUnavailable(`${operator.name} is not qualified to operate ${machine.name}.`, [
        notQualified(machine, operator),
      ]);
    }
  }

  /**
   * The operator a machine booking takes: the requested one (among the already `locked` rows), or
   * one picked when the machine needs one. Null for machines without an operator.
   */
  /** Whether booking `machine` books an operator too when the request names none. */
  needsOperator(machine: ResourceEntity): boolean {
    return machine.kind !== 'staff' && !!machine.requiredQualification;
  }

  async operatorFor(
    machine: ResourceEntity,
    request: { operatorId?: string; priority?: BookingPriority } & PlaceRequest,
    locked: ResourceEntity[],
  ): Promise<ResourceEntity | null> {
    if (machine.kind === 'staff') {
      if (request.operatorId) {
        throw new ValidationFailed([{ field: 'operatorId', message: 'only machines take an operator' }]);
      }
      return null;
    }
    if (!request.operatorId) {
      if (!this.needsOperator(machine)) return null;
      return this.pick(machine, request, request.priority ?? 'normal');
    }
    const operator = locked.find((r) => r.id === request.operatorId);
    if (!operator) {
      throw new ValidationFailed([
        { field: 'operatorId', message: 'must be a staff member of the machine’s pool' },
      ]);
    }
    this.assertQualified(machine, operator);
    return operator;
  }

  /**
   * Every staff member of the pool judged for the machine then: qualified and free (no reasons),
   * or why not. Free ones first, the shortest trip first.
   */
  async candidates(
    machine: ResourceEntity,
    where: PlaceRequest,
    priority: BookingPriority,
  ): Promise<CandidateVerdict[]> {
    const staff = await this.resources.listByPool(machine.poolId, 'staff');
    const verdicts: CandidateVerdict[] = [];
    for (const s of staff) {
      if (!qualifiedToOperate(machine, s)) {
        verdicts.push({
          operatorId: s.id,
          operatorName: s.name,
          reasons: [notQualified(machine, s)],
          travelInMinutes: 0,
        });
        continue;
      }
      const placement = await this.calendar.place(s, where);
      const reasons: Unavailability[] = [];
      if (placement.conflicts.length > 0) {
        reasons.push({ reason: 'busy', detail: `${s.name} is booked elsewhere then (including travel).` });
      }
      reasons.push(
        ...unavailability({
          resource: s,
          start: where.start,
          end: where.end,
          priority,
          facts: placement.facts,
        }),
      );
      verdicts.push({
        operatorId: s.id,
        operatorName: s.name,
        reasons,
        travelInMinutes: placement.travelInMinutes,
      });
    }
    return verdicts.sort(
      (a, b) =>
        Number(a.reasons.length > 0) - Number(b.reasons.length > 0) ||
        a.travelInMinutes - b.travelInMinutes ||
        a.operatorName.localeCompare(b.operatorName, 'de'),
    );
  }

  /** The qualified free staff member with the least travel to the site; else why each one cannot. */
  private async pick(
    machine: ResourceEntity,
    where: PlaceRequest,
    priority: BookingPriority,
  ): Promise<ResourceEntity> {
    const verdicts = await this.candidates(machine, where, priority);
    const best = verdicts.find((v) => v.reasons.length === 0);
    if (best) {
      const [locked] = await this.resources.lockMany([best.operatorId]);
      return locked;
    }
    const qualified = verdicts.filter((v) => !v.reasons.some((r) => r.reason === 'operator-not-qualified'));
    const error = new ResourceUnavailable(
      qualified.length === 0
        ? `No staff member of the pool holds ${machine.requiredQualification}, which ${machine.name} needs.`
        : `None of the ${qualified.length} staff members holding ${machine.requiredQualification} can operate ${machine.name} then.`,
      [
        {
          reason: qualified.length === 0 ? 'operator-not-qualified' : 'no-operator-available',
          detail: `${machine.name} needs an operator with ${machine.requiredQualification}.`,
        },
      ],
    );
    error.extra.operatorCandidates = qualified.map((v) => ({
      operatorId: v.operatorId,
      operatorName: v.operatorName,
      reasons: v.reasons,
    }));
    throw error;
  }
}
