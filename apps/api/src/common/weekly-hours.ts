import { registerDecorator, ValidationOptions } from 'class-validator';
import type { WorkingHours } from '@allmende/database';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Why a weekly-hours object is not valid, or null: keys ISO weekdays 1–7, values ["HH:MM", "HH:MM"]. */
export function weeklyHoursProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be an object of ISO weekdays ("1" = Monday … "7" = Sunday) to ["HH:MM", "HH:MM"]';
  }
  for (const [day, span] of Object.entries(value)) {
    if (!/^[1-7]$/.test(day)) return `"${day}" is not an ISO weekday ("1" = Monday … "7" = Sunday)`;
    if (
      !Array.isArray(span) ||
      span.length !== 2 ||
      !span.every((t) => typeof t === 'string' && HH_MM.test(t))
    ) {
      return `day ${day} must be ["HH:MM", "HH:MM"], e.g. ["07:00", "15:30"]`;
    }
    if (span[0] >= span[1]) return `day ${day}: the end must lie after the start`;
  }
  return null;
}

/** Local hours per ISO weekday, e.g. { "1": ["07:00", "15:30"] }; a day left out is not worked. */
export function IsWeeklyHours(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isWeeklyHours',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => weeklyHoursProblem(value) === null,
        defaultMessage: (args) => `${propertyName} ${weeklyHoursProblem(args?.value)}`,
      },
    });
}

export type { WorkingHours };
