import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, NotFound } from '@allmende/core';
import { BookingEntity, BookingFilter, BookingRepository, UnitOfWork } from '@allmende/database';
import { BookingAccess } from './booking-access';
import { BookingCalendar } from './booking-calendar';
import { BookingPlacement } from './booking-placement';
import { BookingOutcome, BookingRequest } from './booking-request';
import { BookingValidation } from './booking-validation';
import { ConflictTranslation } from './conflict-translation';
import { CreateBatches } from './create-batches';
import { Displacement } from './displacement.service';
import { OperatorAssignment } from './operator-assignment';

/**
 * New bookings and reading them. Overlaps are impossible by construction (the exclusion
 * constraint on bookings); placing, operators, displacement and the trail each have their own
 * service. Every path in (the API, series, waitlist offers, solver proposals) runs the same
 * validation, conflict translation and alternatives.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingRepository,
    private readonly calendar: BookingCalendar,
    private readonly access: BookingAccess,
    private readonly validation: BookingValidation,
    private readonly placement: BookingPlacement,
    private readonly operators: OperatorAssignment,
    private readonly displacement: Displacement,
    private readonly conflicts: ConflictTranslation,
    private readonly batches: CreateBatches,
  ) {}

  /**
   * Books a resource (and its operator): in a transaction of its own, or inside the caller's
   * (series, waitlist acceptance, applying a proposal), where a refusal undoes only this booking.
   * On its own: begin; the tenant, the locks and the machine's calendar in one statement; the
   * booking with its leg, audit entry and event in one; commit. The answer's view is built from
   * what those read. A plain create that arrives while others of its tenant run may share their
   * next transaction (CreateBatches), with the answer it would have had alone.
   */
  async create(actor: Actor, request: BookingRequest): Promise<BookingOutcome> {
    this.validation.validateRequest(actor, request);
    const alone = () =>
      this.conflicts.write(actor, () => this.place(actor, request), { tenantInFirstStatement: true });
    return this.batches.takes(request) ? this.batches.submit(actor, request, alone) : alone();
  }

  private async place(actor: Actor, request: BookingRequest): Promise<BookingOutcome> {
    const siteId = request.siteMunicipalityId ?? request.municipalityId;
    // Lock first (in id order), and read the machine's calendar after the locks: stable to commit.
    const { locked, context, memberPoolIds } = await this.calendar.lockAndRead(
      [request.resourceId, ...(request.operatorId ? [request.operatorId] : [])],
      request.resourceId,
      { siteId, start: request.start, end: request.end, bookerMunicipalityId: request.municipalityId },
    );
    const machine = locked.find((r) => r.id === request.resourceId);
    if (!machine || !context || !(await this.access.mayUse(actor, machine, memberPoolIds)))
      throw new NotFound('Resource', request.resourceId);
    policies.assertCanActFor(actor, request.municipalityId, machine.poolId);
    const placed = {
      ...request,
      siteMunicipalityId: siteId,
      priority: request.priority ?? 'normal',
    };
    // The machine first: a holiday or a conflict of the machine is the answer before any operator's.
    // Without an operator to book, its insert is the transaction's last statement.
    const displaced: BookingEntity[] = [];
    const last = !request.operatorId && !this.operators.needsOperator(machine);
    const view = await this.placement.insert(actor, machine, placed, displaced, null, context, last);
    const booking = view.booking;
    const operator = await this.operators.operatorFor(
      machine,
      { ...placed, siteId: placed.siteMunicipalityId, bookerMunicipalityId: request.municipalityId },
      locked,
    );
    const operatorView = operator
      ? await this.placement.insert(
          actor,
          operator,
          { ...placed, resourceId: operator.id },
          displaced,
          booking.id,
        )
      : null;
    for (const d of displaced) await this.displacement.settle(actor, d, booking);
    return {
      booking,
      operatorBooking: operatorView?.booking ?? null,
      displaced,
      view: { ...view, operatorBooking: operatorView },
    };
  }

  async get(actor: Actor, id: string): Promise<BookingEntity> {
    return this.uow.run(actor, () => this.access.visibleBooking(actor, id));
  }

  async list(
    actor: Actor,
    filter: BookingFilter,
    limit: number,
    after?: { startAt: string; id: string },
  ): Promise<BookingEntity[]> {
    return this.uow.run(actor, async () => {
      const scoped = await this.access.scope(actor, filter);
      return scoped ? this.bookings.list(scoped, limit, after) : [];
    });
  }
}
