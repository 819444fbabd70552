import { Injectable } from '@nestjs/common';

import {
  BookingPriority,
  BookingRepository,
  MunicipalityEntity,
  PoolRepository,
  ResourceEntity,
  ResourceRepository,
} from '@allmende/database';
import { inspectionOverdue, publicHolidays, Unavailability, withinWorkingHours } from './availability-rules';
import { localDays, toBerlin } from './time';

export interface RuleInput {
  resource: ResourceEntity;
  bookerMunicipalityId: string;
  site: MunicipalityEntity;
  start: Date;
  end: Date;
  blockedStart: Date;
  priority: BookingPriority;
  /** Bookings to leave out of the weekly working-time sum (the one being rescheduled). */
  except?: string[];
}

/**
 * Whether a resource may be booked then, apart from overlaps (which the exclusion constraint
 * decides): membership, holidays, working time, blackouts, inspections. Emergencies (winter
 * service, burst pipes) override holidays and working hours, never safety (inspection, blackout).
 */
@Injectable()
export class BookingRules {
  constructor(
    private readonly pools: PoolRepository,
    private readonly resources: ResourceRepository,
    private readonly bookings: BookingRepository,
  ) {}

  async check(input: RuleInput): Promise<Unavailability[]> {
    const { resource, start, end, priority } = input;
    const found: Unavailability[] = [];
    if (!resource.active) found.push({ reason: 'resource-inactive', detail: `${resource.name} is retired.` });

    const days = localDays(start, end);
    const member = await this.pools.isMemberThroughout(
      resource.poolId,
      input.bookerMunicipalityId,
      days[0],
      days[days.length - 1],
    );
    if (!member) {
      found.push({
        reason: 'not-a-pool-member',
        detail:
          'The booking municipality is not a member of the resource’s pool on every day of the booking.',
      });
    }

    if (priority !== 'emergency') {
      for (const h of publicHolidays(input.site.state, start, end)) {
        found.push({
          reason: 'public-holiday',
          detail: `${h.date} is a public holiday (${h.name}) in ${input.site.state}.`,
        });
      }
      if (resource.kind === 'staff')
        found.push(...(await this.workingTime(resource, start, end, input.except ?? [])));
    }

    const blackouts = await this.resources.blackoutsOverlapping([resource.id], input.blockedStart, end);
    for (const b of blackouts) {
      found.push({
        reason: 'blackout',
        detail: `${resource.name} is unavailable from ${b.startAt.toISOString()} to ${b.endAt.toISOString()}: ${b.reason}`,
      });
    }
    if (inspectionOverdue(resource.nextInspectionDue, end)) {
      found.push({
        reason: 'inspection-overdue',
        detail: `${resource.name} is due for inspection on ${resource.nextInspectionDue} and may not be used after it.`,
      });
    }
    return found;
  }

  private async workingTime(
    resource: ResourceEntity,
    start: Date,
    end: Date,
    except: string[],
  ): Promise<Unavailability[]> {
    const found: Unavailability[] = [];
    if (!withinWorkingHours(start, end, resource.workingHours ?? undefined)) {
      found.push({ reason: 'outside-working-hours', detail: `${resource.name} does not work at that time.` });
    }
    if (resource.weeklyHours) {
      const weekStart = toBerlin(start).startOf('week');
      const booked = await this.bookings.bookedMinutes(
        resource.id,
        weekStart.toJSDate(),
        weekStart.plus({ weeks: 1 }).toJSDate(),
        except,
      );
      const requested = (end.getTime() - start.getTime()) / 60_000;
      if (booked + requested > resource.weeklyHours * 60) {
        found.push({
          reason: 'outside-working-hours',
          detail: `${resource.name} would exceed ${resource.weeklyHours} weekly hours in the week of ${weekStart.toISODate()}.`,
        });
      }
    }
    return found;
  }
}
