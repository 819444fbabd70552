import { ValidationFailed } from '@allmende/core';
import type { BookingEntity, BookingPriority } from '@allmende/database';
import type { BookingView } from './booking-views';

export interface BookingRequest {
  resourceId: string;
  municipalityId: string;
  siteMunicipalityId?: string;
  start: Date;
  end: Date;
  priority?: BookingPriority;
  operatorId?: string;
  notes?: string;
  contact?: string;
  seriesId?: string;
  /** A window the solver may move the booking within (same duration). */
  flexible?: { start: Date; end: Date };
  /** A booking entered after the fact (coordinator or admin): it may start in the past. */
  backdated?: boolean;
}

export interface RescheduleRequest {
  start?: Date;
  end?: Date;
  resourceId?: string;
  siteMunicipalityId?: string;
  notes?: string | null;
}

export interface BookingOutcome {
  booking: BookingEntity;
  operatorBooking: BookingEntity | null;
  displaced: BookingEntity[];
  /** The booking as the answer shows it, with its operator booking. */
  view: BookingView;
}

const MAX_SPAN_DAYS = 366;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/** A flexible window must contain the booking itself. */
export function validateWindow(start: Date, end: Date, window: { start: Date; end: Date } | undefined): void {
  if (window && (window.start > start || window.end < end)) {
    throw new ValidationFailed([{ field: 'flexibleWindow', message: 'must contain start and end' }]);
  }
}

/** Checks of the request itself, before any lookup: they hold for every booking. */
export function validateSpan(start: Date, end: Date): void {
  const errors: { field: string; message: string }[] = [];
  for (const [field, d] of [
    ['start', start],
    ['end', end],
  ] as const) {
    const year = d.getUTCFullYear();
    if (year < MIN_YEAR || year > MAX_YEAR)
      errors.push({ field, message: `must lie between ${MIN_YEAR} and ${MAX_YEAR}` });
  }
  if (end.getTime() <= start.getTime()) errors.push({ field: 'end', message: 'must be after start' });
  else if (end.getTime() - start.getTime() > MAX_SPAN_DAYS * 86_400_000) {
    errors.push({ field: 'end', message: `a booking may last at most ${MAX_SPAN_DAYS} days` });
  }
  if (errors.length) throw new ValidationFailed(errors);
}
