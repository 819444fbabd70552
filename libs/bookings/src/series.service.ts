import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, BookingConflict, DomainError, ErrorCode, ValidationFailed } from '@allmende/core';
import { BookingEntity, UnitOfWork } from '@allmende/database';
import { BookingRequest, validateSpan } from './booking-request';
import { BookingsService } from './bookings.service';
import { expandRecurrence } from './recurrence';
import { berlinWallClock } from './time';

export type SeriesConflictPolicy = 'fail' | 'skip';

export interface SkippedOccurrence {
  start: Date;
  end: Date;
  code: string;
  detail: string;
  conflictingBookingIds: string[];
}

export interface SeriesOutcome {
  seriesId: string;
  created: BookingEntity[];
  skipped: SkippedOccurrence[];
}

/** Recurring bookings: all occurrences or none, or the free ones with a report of the rest. */
@Injectable()
export class SeriesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingsService,
  ) {}

  async create(
    actor: Actor,
    request: BookingRequest,
    rrule: string,
    onConflict: SeriesConflictPolicy,
  ): Promise<SeriesOutcome> {
    validateSpan(request.start, request.end);
    const occurrences = expandRecurrence(rrule, request.start, request.end);
    const seriesId = randomUUID();
    return this.uow.run(actor, async () => {
      const created: BookingEntity[] = [];
      const skipped: SkippedOccurrence[] = [];
      for (const o of occurrences) {
        try {
          // A refused occurrence is undone alone (create runs in a savepoint of this unit of work).
          const outcome = await this.bookings.create(actor, {
            ...request,
            start: o.start,
            end: o.end,
            seriesId,
            flexible: undefined,
          });
          created.push(outcome.booking);
        } catch (e) {
          // An occurrence in the past is refused by validation (the span was checked above).
          if (
            !(e instanceof DomainError) ||
            ![ErrorCode.BookingConflict, ErrorCode.ResourceUnavailable, ErrorCode.ValidationFailed].includes(
              e.code,
            )
          ) {
            throw e;
          }
          skipped.push({
            start: o.start,
            end: o.end,
            code: e.code,
            detail:
              e instanceof ValidationFailed
                ? e.errors.map((x) => `${x.field} ${x.message}`).join('; ')
                : e.message,
            conflictingBookingIds: (e.extra.conflictingBookingIds as string[] | undefined) ?? [],
          });
        }
      }
      if (skipped.length > 0 && onConflict === 'fail') {
        throw new BookingConflict(
          `${skipped.length} of ${occurrences.length} occurrences cannot be booked; nothing was booked.`,
          [...new Set(skipped.flatMap((s) => s.conflictingBookingIds))],
          {
            conflictingOccurrences: skipped.map((s) => ({
              start: s.start.toISOString(),
              end: s.end.toISOString(),
              startLocal: berlinWallClock(s.start),
              endLocal: berlinWallClock(s.end),
              code: s.code,
              detail: s.detail,
              conflictingBookingIds: s.conflictingBookingIds,
            })),
          },
        );
      }
      return { seriesId, created, skipped };
    });
  }
}
