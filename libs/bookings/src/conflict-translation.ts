import { Injectable } from '@nestjs/common';
import { Actor, BookingConflict } from '@allmende/core';
import {
  BookingEntity,
  BookingPriority,
  PG_EXCLUSION_VIOLATION,
  ResourceEntity,
  UnitOfWork,
} from '@allmende/database';
import { AlternativesFinder, alternativeView } from './alternatives';

/** A conflict found by the calendar check; its alternatives are looked up once the write is undone. */
export class ConflictNeedingAlternatives extends BookingConflict {
  constructor(
    message: string,
    conflictingBookingIds: string[],
    readonly context: {
      resource: ResourceEntity;
      siteId: string;
      start: Date;
      end: Date;
      priority: BookingPriority;
    },
  ) {
    super(message, conflictingBookingIds, { alternatives: [] });
  }
}

/** The conflict of placing `resource` at a time taken by `conflicts` (including transport time). */
export function conflictOf(
  resource: ResourceEntity,
  siteId: string,
  request: { start: Date; end: Date; priority?: BookingPriority },
  conflicts: BookingEntity[],
): ConflictNeedingAlternatives {
  return new ConflictNeedingAlternatives(
    `${resource.name} is booked then (including transport time).`,
    conflicts.map((c) => c.id),
    { resource, siteId, start: request.start, end: request.end, priority: request.priority ?? 'normal' },
  );
}

/**
 * Every booking write runs through here: in a transaction of its own, or in a savepoint of the
 * caller's (series, waitlist, planning), so that a refused write is undone alone and the
 * alternatives can still be read. A conflict gets its alternatives after the write is undone, so
 * the resource lock is held briefly; an exclusion-constraint violation that slipped past the
 * checks (a concurrent write) becomes the same 409.
 */
@Injectable()
export class ConflictTranslation {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly alternatives: AlternativesFinder,
  ) {}

  async write<T>(
    actor: Actor,
    work: () => Promise<T>,
    options: { tenantInFirstStatement?: boolean } = {},
  ): Promise<T> {
    const nested = this.uow.active();
    try {
      return nested ? await this.uow.savepoint(work) : await this.uow.run(actor, work, options);
    } catch (e) {
      throw await this.translate(actor, e);
    }
  }

  private async translate(actor: Actor, e: unknown): Promise<unknown> {
    if (e instanceof ConflictNeedingAlternatives) {
      const { resource, siteId, start, end, priority } = e.context;
      const found = await this.uow.run(actor, () =>
        this.alternatives.find(resource, siteId, start, end, priority),
      );
      e.extra.alternatives = found.map(alternativeView);
      return e;
    }
    if ((e as { code?: string }).code === PG_EXCLUSION_VIOLATION) {
      return new BookingConflict('The resource was booked concurrently for that time.', []);
    }
    return e;
  }
}
