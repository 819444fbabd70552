import { registerDecorator, ValidationOptions } from 'class-validator';
import { parseInstant } from '@allmende/bookings';

/** ISO 8601 with an offset or Z; a local time without one is ambiguous and rejected. */
export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: {
        message:
          `${propertyName} must be an ISO 8601 instant with an offset, e.g. 2026-10-25T02:30:00+02:00 ` +
          'or 2026-10-25T00:30:00Z (in a query string write the + as %2B)',
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseInstant(value) !== null },
    });
}

/** Converts a validated instant string. */
export function instant(value: string): Date {
  return parseInstant(value)!;
}

/** An optional instant; null (sent for "not given") reads as absent. */
export function optionalInstant(value: string | null | undefined): Date | undefined {
  return value === undefined || value === null ? undefined : instant(value);
}
