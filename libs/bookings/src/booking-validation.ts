import { Injectable } from '@nestjs/common';
import { Actor, Clock, ValidationFailed } from '@allmende/core';
import type { BookingEntity } from '@allmende/database';
import { BookingRequest, validateSpan, validateWindow } from './booking-request';

/** How far in the past a normal booking may start: the minutes it takes to fill in the form. */
export const PAST_GRACE_MINUTES = 15;

/**
 * The checks every booking write runs before any lookup, whichever path it comes by (the API,
 * a series, a waitlist offer, a solver proposal): the span, the flexible window, and the past.
 */
@Injectable()
export class BookingValidation {
  constructor(private readonly clock: Clock) {}

  validateRequest(actor: Actor, request: BookingRequest): void {
    validateSpan(request.start, request.end);
    validateWindow(request.start, request.end, request.flexible);
    if (request.backdated) {
      if (actor.role !== 'admin' && actor.role !== 'coordinator') {
        throw new ValidationFailed([
          {
            field: 'backdated',
            message: 'only a coordinator or an admin may enter a booking after the fact',
          },
        ]);
      }
      return;
    }
    this.assertNotPast(request.start, 'start');
  }

  /** A moved booking may keep a start already past (it runs), but not be moved into the past. */
  validateMove(current: BookingEntity, start: Date, end: Date): void {
    validateSpan(start, end);
    if (start.getTime() !== current.startAt.getTime()) this.assertNotPast(start, 'start');
    if (end.getTime() !== current.endAt.getTime()) this.assertNotPast(end, 'end');
  }

  /** Whether an instant lies before now (less the grace). */
  isPast(at: Date): boolean {
    return at.getTime() < this.clock.now().getTime() - PAST_GRACE_MINUTES * 60_000;
  }

  private assertNotPast(at: Date, field: string): void {
    if (this.isPast(at)) {
      throw new ValidationFailed([
        {
          field,
          message:
            'must not lie in the past; a coordinator or admin may enter a past booking with "backdated": true',
        },
      ]);
    }
  }
}
