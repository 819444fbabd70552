import { BookingPriority, ResourceEntity } from '@allmende/database';
import { inspectionOverdue, publicHolidays, Unavailability, withinWorkingHours } from './availability-rules';
import type { RuleFacts } from './booking-calendar';
import { toBerlin } from './time';

export interface RuleInput {
  resource: ResourceEntity;
  start: Date;
  end: Date;
  priority: BookingPriority;
  /** Read with the calendar (BookingCalendar.place). */
  facts: RuleFacts;
}

/**
 * Whether a resource may be booked then, apart from overlaps (which the exclusion constraint
 * decides): membership, holidays, working time, blackouts, inspections. Emergencies (winter
 * service, burst pipes) override holidays and working hours, never safety (inspection, blackout).
 */
export function unavailability(input: RuleInput): Unavailability[] {
  const { resource, start, end, priority, facts } = input;
  const found: Unavailability[] = [];
  if (!resource.active) found.push({ reason: 'resource-inactive', detail: `${resource.name} is retired.` });
  if (!facts.isMember) {
    found.push({
      reason: 'not-a-pool-member',
      detail: 'The booking municipality is not a member of the resource’s pool on every day of the booking.',
    });
  }
  if (priority !== 'emergency') {
    for (const h of publicHolidays(facts.site.state, start, end)) {
      found.push({
        reason: 'public-holiday',
        detail: `${h.date} is a public holiday (${h.name}) in ${facts.site.state}.`,
      });
    }
    if (resource.kind === 'staff') found.push(...workingTime(resource, start, end, facts.weekMinutes));
  }
  for (const b of facts.blackouts) {
    found.push({
      // A staff member's blackout is an absence (holiday, sickness, training).
      reason: resource.kind === 'staff' ? 'absent' : 'blackout',
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

function workingTime(
  resource: ResourceEntity,
  start: Date,
  end: Date,
  weekMinutes: number,
): Unavailability[] {
  const found: Unavailability[] = [];
  if (!withinWorkingHours(start, end, resource.workingHours ?? undefined)) {
    found.push({ reason: 'outside-working-hours', detail: `${resource.name} does not work at that time.` });
  }
  if (resource.weeklyHours) {
    const requested = (end.getTime() - start.getTime()) / 60_000;
    if (weekMinutes + requested > resource.weeklyHours * 60) {
      found.push({
        reason: 'outside-working-hours',
        detail: `${resource.name} would exceed ${resource.weeklyHours} weekly hours in the week of ${toBerlin(start).startOf('week').toISODate()}.`,
      });
    }
  }
  return found;
}
