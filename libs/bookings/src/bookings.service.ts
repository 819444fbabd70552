import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { policies } from '@allmende/auth';
import {
  Actor,
  BookingConflict,
  DomainError,
  ErrorCode,
  NotFound,
  ResourceUnavailable,
  ValidationFailed,
} from '@allmende/core';
import {
  AuditLog,
  auditRecord,
  BookingEntity,
  BookingFilter,
  BookingPriority,
  BookingRepository,
  BookingTrail,
  BookingUsageEntity,
  MunicipalityEntity,
  MunicipalityRepository,
  PG_EXCLUSION_VIOLATION,
  ResourceEntity,
  ResourceRepository,
  UnitOfWork,
  WaitlistEntryEntity,
  WaitlistRepository,
} from '@allmende/database';
import { PoolVisibility } from '@allmende/pools';
import { AvailabilityService } from './availability.service';
import { Unavailability } from './availability-rules';
import { BookingCalendar, Placement } from './booking-calendar';
import { unavailability } from './booking-rules';
import { overlaps } from './time';

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
}

export interface RescheduleRequest {
  start?: Date;
  end?: Date;
  resourceId?: string;
  siteMunicipalityId?: string;
  notes?: string | null;
}

export interface Alternative {
  resourceId: string;
  resourceName: string;
  start: Date;
  end: Date;
  kind: 'other-resource' | 'other-time';
}

export interface BookingOutcome {
  booking: BookingEntity;
  operatorBooking: BookingEntity | null;
  displaced: BookingEntity[];
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

/**
 * The booking engine. Overlaps are impossible by construction (the exclusion constraint on
 * bookings); this service derives the blocked intervals (transport legs), applies the
 * availability rules, displaces for emergencies, and keeps waitlist, events and audit log.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingRepository,
    private readonly resources: ResourceRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly calendar: BookingCalendar,
    private readonly availability: AvailabilityService,
    private readonly audit: AuditLog,
    private readonly visibility: PoolVisibility,
  ) {}

  async create(actor: Actor, request: BookingRequest): Promise<BookingOutcome> {
    validateSpan(request.start, request.end);
    validateWindow(request.start, request.end, request.flexible);
    return this.withConflictTranslation(actor, () =>
      this.uow.run(actor, () => this.createInTransaction(actor, request)),
    );
  }

  /** Used by series and waitlist acceptance, which run inside their own unit of work. */
  async createInTransaction(actor: Actor, request: BookingRequest): Promise<BookingOutcome> {
    // Lock first (one statement, in id order): the calendar read after it stays valid to commit.
    const locked = await this.resources.lockMany([
      request.resourceId,
      ...(request.operatorId ? [request.operatorId] : []),
    ]);
    const machine = locked.find((r) => r.id === request.resourceId);
    if (!machine || !(await this.mayUse(actor, machine))) throw new NotFound('Resource', request.resourceId);
    policies.assertCanActFor(actor, request.municipalityId, machine.poolId);
    const siteId = request.siteMunicipalityId ?? request.municipalityId;
    const priority = request.priority ?? 'normal';

    let operator = await this.operatorFor(machine, request, locked);
    if (operator && !request.operatorId) [operator] = await this.resources.lockMany([operator.id]);

    const displaced: BookingEntity[] = [];
    const booking = await this.placeAndInsert(actor, machine, siteId, request, priority, displaced);
    let operatorBooking: BookingEntity | null = null;
    if (operator) {
      operatorBooking = await this.placeAndInsert(
        actor,
        operator,
        siteId,
        { ...request, resourceId: operator.id, notes: request.notes, contact: request.contact },
        priority,
        displaced,
        booking.id,
      );
    }
    for (const d of displaced) await this.afterDisplacement(actor, d, booking);
    return { booking, operatorBooking, displaced };
  }

  private async placeAndInsert(
    actor: Actor,
    resource: ResourceEntity,
    siteId: string,
    request: BookingRequest,
    priority: BookingPriority,
    displaced: BookingEntity[],
    operatorForBookingId: string | null = null,
  ): Promise<BookingEntity> {
    const where = {
      siteId,
      start: request.start,
      end: request.end,
      bookerMunicipalityId: request.municipalityId,
    };
    let placement = await this.calendar.place(resource, where);
    if (placement.conflicts.length > 0) {
      if (priority === 'emergency' && placement.conflicts.every((c) => c.priority === 'normal')) {
        for (const c of placement.conflicts) displaced.push(...(await this.displace(actor, c)));
        placement = await this.calendar.place(resource, where);
      }
      if (placement.conflicts.length > 0) {
        throw this.conflict(resource, siteId, request, placement.conflicts);
      }
    }
    this.assertAvailable(resource, placement, request.start, request.end, priority);
    const booking = {
      id: randomUUID(),
      poolId: resource.poolId,
      resourceId: resource.id,
      municipalityId: request.municipalityId,
      siteMunicipalityId: siteId,
      startAt: request.start,
      endAt: request.end,
      blockedStart: placement.blockedStart,
      blockedEnd: placement.blockedEnd,
      priority,
      operatorForBookingId,
      seriesId: request.seriesId ?? null,
      flexibleStart: request.flexible?.start ?? null,
      flexibleEnd: request.flexible?.end ?? null,
      notes: request.notes ?? null,
      contact: request.contact ?? null,
      createdBy: actor.userId,
    };
    return this.bookings.insertRecorded(
      booking,
      placement.followerLeg,
      this.trail(actor, 'created', null, { ...booking, status: 'active', sequence: 0 }),
    );
  }

  async get(actor: Actor, id: string): Promise<BookingEntity> {
    return this.uow.run(actor, async () => {
      const booking = await this.bookings.findById(id);
      if (!booking || !(await this.maySee(actor, booking))) throw new NotFound('Booking', id);
      return booking;
    });
  }

  async list(
    actor: Actor,
    filter: BookingFilter,
    limit: number,
    after?: { startAt: string; id: string },
  ): Promise<BookingEntity[]> {
    return this.uow.run(actor, async () => {
      const scoped = await this.scope(actor, filter);
      return scoped ? this.bookings.list(scoped, limit, after) : [];
    });
  }

  async reschedule(actor: Actor, id: string, change: RescheduleRequest): Promise<BookingEntity> {
    return this.withConflictTranslation(actor, () =>
      this.uow.run(actor, async () => {
        const current = await this.ownBooking(actor, id);
        if (current.status !== 'active') {
          throw new DomainError(
            ErrorCode.Conflict,
            `Booking ${id} is ${current.status} and cannot be changed.`,
          );
        }
        const timeChanged =
          (change.start !== undefined && change.start.getTime() !== current.startAt.getTime()) ||
          (change.end !== undefined && change.end.getTime() !== current.endAt.getTime()) ||
          (change.siteMunicipalityId !== undefined &&
            change.siteMunicipalityId !== current.siteMunicipalityId);
        if (current.operatorForBookingId && timeChanged) {
          // Another operator may take over; time and site follow the machine booking.
          throw new DomainError(
            ErrorCode.Conflict,
            'An operator booking moves with its machine booking; change that one.',
          );
        }
        const start = change.start ?? current.startAt;
        const end = change.end ?? current.endAt;
        validateSpan(start, end);
        const target = change.resourceId ? await this.visibleResource(actor, change.resourceId) : null;
        if (target && target.poolId !== current.poolId) {
          throw new ValidationFailed([
            { field: 'resourceId', message: 'must be a resource of the same pool' },
          ]);
        }
        const site = await this.municipality(
          change.siteMunicipalityId ?? current.siteMunicipalityId,
          'siteMunicipalityId',
        );
        if (target && current.operatorForBookingId)
          await this.assertQualifiedOperator(current.operatorForBookingId, target);
        const operators = await this.bookings.findOperatorsOf(current.id);
        const lockIds = [
          current.resourceId,
          target?.id ?? current.resourceId,
          ...operators.map((o) => o.resourceId),
        ];
        const locked = await this.resources.lockMany(lockIds);
        const byId = new Map(locked.map((r) => [r.id, r]));
        const oldResource = byId.get(current.resourceId)!;
        const newResource = byId.get(target?.id ?? current.resourceId)!;

        const moved = await this.move(
          actor,
          current,
          newResource,
          oldResource,
          site,
          start,
          end,
          change.notes,
        );
        for (const op of operators) {
          const opResource = byId.get(op.resourceId)!;
          await this.move(actor, op, opResource, opResource, site, start, end, change.notes);
        }
        return moved;
      }),
    );
  }

  private async move(
    actor: Actor,
    current: BookingEntity,
    resource: ResourceEntity,
    oldResource: ResourceEntity,
    site: MunicipalityEntity,
    start: Date,
    end: Date,
    notes: string | null | undefined,
  ): Promise<BookingEntity> {
    const placement = await this.calendar.place(resource, {
      siteId: site.id,
      start,
      end,
      bookerMunicipalityId: current.municipalityId,
      except: [current.id],
    });
    if (placement.conflicts.length > 0) {
      throw this.conflict(resource, site.id, { start, end }, placement.conflicts);
    }
    this.assertAvailable(resource, placement, start, end, current.priority);
    const outsideWindow =
      current.flexibleStart !== null &&
      current.flexibleEnd !== null &&
      (start < current.flexibleStart || end > current.flexibleEnd);
    const patch: Partial<BookingEntity> = {
      ...(outsideWindow ? { flexibleStart: null, flexibleEnd: null } : {}),
      resourceId: resource.id,
      siteMunicipalityId: site.id,
      startAt: start,
      endAt: end,
      blockedStart: placement.blockedStart,
      blockedEnd: placement.blockedEnd,
      sequence: current.sequence + 1,
      ...(notes !== undefined ? { notes } : {}),
    };
    await this.bookings.update(current.id, patch);
    await this.calendar.refreshLegAfter(oldResource, current.startAt);
    // The booking now followed by this one: its leg, as the placement derived it.
    if (placement.followerLeg)
      await this.bookings.update(placement.followerLeg.bookingId, {
        blockedStart: placement.followerLeg.blockedStart,
      });
    await this.recordChange(actor, 'rescheduled', current, { ...current, ...patch });
    return (await this.bookings.findById(current.id))!;
  }

  async cancel(actor: Actor, id: string): Promise<{ booking: BookingEntity; offers: WaitlistEntryEntity[] }> {
    return this.uow.run(actor, async () => {
      const current = await this.ownBooking(actor, id);
      if (current.status === 'cancelled') return { booking: current, offers: [] };
      if (current.status !== 'active') {
        throw new DomainError(
          ErrorCode.Conflict,
          `Booking ${id} is ${current.status} and cannot be cancelled.`,
        );
      }
      const operators = await this.bookings.findOperatorsOf(current.id);
      const locked = await this.resources.lockMany([
        current.resourceId,
        ...operators.map((o) => o.resourceId),
      ]);
      const offers: WaitlistEntryEntity[] = [];
      for (const b of [current, ...operators]) {
        const resource = locked.find((r) => r.id === b.resourceId)!;
        await this.bookings.update(b.id, { status: 'cancelled', sequence: b.sequence + 1 });
        await this.calendar.refreshLegAfter(resource, b.startAt);
        await this.recordChange(actor, 'cancelled', b, {
          ...b,
          status: 'cancelled',
          sequence: b.sequence + 1,
        });
        if (b === current) {
          const offer = await this.offerFreedSlot(resource, b);
          if (offer) offers.push(offer);
        }
      }
      return { booking: (await this.bookings.findById(id))!, offers };
    });
  }

  async recordUsage(
    actor: Actor,
    id: string,
    usage: { operatingHours?: number; meterStart?: number; meterEnd?: number; notes?: string },
  ): Promise<BookingUsageEntity> {
    return this.uow.run(actor, async () => {
      const booking = await this.ownBooking(actor, id);
      if (booking.status !== 'active') {
        throw new DomainError(
          ErrorCode.Conflict,
          `Usage can be recorded only for active bookings; this one is ${booking.status}.`,
        );
      }
      if (booking.startAt.getTime() > Date.now()) {
        throw new DomainError(ErrorCode.Conflict, 'Usage can be recorded once the booking has started.');
      }
      if (
        usage.meterStart !== undefined &&
        usage.meterEnd !== undefined &&
        usage.meterEnd < usage.meterStart
      ) {
        throw new ValidationFailed([{ field: 'meterEnd', message: 'must not be below meterStart' }]);
      }
      const operatingHours =
        usage.operatingHours ??
        (usage.meterStart !== undefined && usage.meterEnd !== undefined
          ? usage.meterEnd - usage.meterStart
          : null);
      const before = await this.bookings.findUsage(id);
      const saved = await this.bookings.saveUsage({
        bookingId: id,
        operatingHours,
        meterStart: usage.meterStart ?? null,
        meterEnd: usage.meterEnd ?? null,
        notes: usage.notes ?? null,
        recordedBy: actor.userId,
        recordedAt: new Date(),
      });
      await this.audit.record(actor, {
        action: 'booking.usage',
        entityType: 'booking',
        entityId: id,
        municipalityId: booking.municipalityId,
        before,
        after: saved,
      });
      return saved;
    });
  }

  /** Other machines of the type then, and the nearest free time on the same machine. */
  async alternatives(
    resource: ResourceEntity,
    siteId: string,
    start: Date,
    end: Date,
  ): Promise<Alternative[]> {
    const minutes = (end.getTime() - start.getTime()) / 60_000;
    const sameType = await this.resources.listByPoolAndType(resource.poolId, resource.type);
    const windows = await this.availability.windowsFor(sameType, {
      poolId: resource.poolId,
      type: resource.type,
      from: new Date(start.getTime() - 7 * 86_400_000),
      to: new Date(end.getTime() + 21 * 86_400_000),
      siteMunicipalityId: siteId,
      minMinutes: minutes,
    });
    const others: Alternative[] = windows
      .filter((w) => w.resource.id !== resource.id && w.start <= start && w.end >= end)
      .slice(0, 3)
      .map((w) => ({
        resourceId: w.resource.id,
        resourceName: w.resource.name,
        start,
        end,
        kind: 'other-resource',
      }));
    const sameMachine = windows
      .filter((w) => w.resource.id === resource.id)
      .map((w) => {
        // The slot in the window closest to the requested start.
        const latestStart = w.end.getTime() - minutes * 60_000;
        const s = Math.min(Math.max(start.getTime(), w.start.getTime()), latestStart);
        return { w, s };
      })
      .sort((a, b) => Math.abs(a.s - start.getTime()) - Math.abs(b.s - start.getTime()))
      .slice(0, 2)
      .map(({ w, s }) => ({
        resourceId: w.resource.id,
        resourceName: w.resource.name,
        start: new Date(s),
        end: new Date(s + minutes * 60_000),
        kind: 'other-time' as const,
      }));
    return [...others, ...sameMachine];
  }

  // --- internals -------------------------------------------------------------------------

  private static readonly AUDIT_ACTION = {
    created: 'booking.create',
    rescheduled: 'booking.reschedule',
    cancelled: 'booking.cancel',
  } as const;

  /** Every booking change leaves an event (the notification outbox) and an audit entry. */
  private async recordChange(
    actor: Actor,
    change: 'created' | 'rescheduled' | 'cancelled',
    before: BookingEntity | null,
    after: BookingEntity,
  ): Promise<void> {
    await this.bookings.recordTrail(this.trail(actor, change, before, after));
  }

  private trail(
    actor: Actor,
    change: 'created' | 'rescheduled' | 'cancelled',
    before: Snapshotted | null,
    after: Snapshotted & { id: string },
  ): BookingTrail {
    return {
      event: {
        bookingId: after.id,
        waitlistEntryId: null,
        municipalityId: after.municipalityId,
        kind: `booking.${change}`,
        payload: { sequence: after.sequence },
      },
      audit: auditRecord(actor, {
        action: BookingsService.AUDIT_ACTION[change],
        entityType: 'booking',
        entityId: after.id,
        municipalityId: after.municipalityId,
        before: before ? snapshot(before) : null,
        after: snapshot(after),
      }),
    };
  }

  /** Alternatives are looked up after the transaction, so the resource lock is held briefly. */
  private conflict(
    resource: ResourceEntity,
    siteId: string,
    request: { start: Date; end: Date },
    conflicts: BookingEntity[],
  ): ConflictNeedingAlternatives {
    return new ConflictNeedingAlternatives(
      `${resource.name} is booked then (including transport time).`,
      conflicts.map((c) => c.id),
      { resource, siteId, start: request.start, end: request.end },
    );
  }

  private assertAvailable(
    resource: ResourceEntity,
    placement: Placement,
    start: Date,
    end: Date,
    priority: BookingPriority,
  ): void {
    const problems: Unavailability[] = unavailability({
      resource,
      start,
      end,
      priority,
      facts: placement.facts,
    });
    if (problems.length > 0) {
      throw new ResourceUnavailable(
        `${resource.name} cannot be booked then: ${problems[0].detail}`,
        problems,
      );
    }
  }

  /** An emergency takes the slot: the normal booking (and its operator or machine) step aside. */
  private async displace(actor: Actor, booking: BookingEntity): Promise<BookingEntity[]> {
    const linked = booking.operatorForBookingId
      ? await this.bookings.findByIds([booking.operatorForBookingId])
      : await this.bookings.findOperatorsOf(booking.id);
    const all = [booking, ...linked.filter((l) => l.status === 'active')];
    for (const b of all) {
      await this.bookings.update(b.id, { status: 'displaced', sequence: b.sequence + 1 });
      await this.audit.record(actor, {
        action: 'booking.displace',
        entityType: 'booking',
        entityId: b.id,
        municipalityId: b.municipalityId,
        before: snapshot(b),
        after: { ...snapshot(b), status: 'displaced', sequence: b.sequence + 1 },
      });
    }
    return all.map((b) => ({ ...b, status: 'displaced', sequence: b.sequence + 1 }));
  }

  private async afterDisplacement(actor: Actor, displaced: BookingEntity, by: BookingEntity): Promise<void> {
    const resource = (await this.resources.findById(displaced.resourceId))!;
    await this.calendar.refreshLegAfter(resource, displaced.startAt);
    if (displaced.operatorForBookingId) return; // the machine booking carries the waitlist entry
    const alternatives = await this.alternatives(
      resource,
      displaced.siteMunicipalityId,
      displaced.startAt,
      displaced.endAt,
    );
    const entry = await this.waitlist.insert({
      poolId: displaced.poolId,
      resourceType: resource.type,
      resourceId: null,
      municipalityId: displaced.municipalityId,
      siteMunicipalityId: displaced.siteMunicipalityId,
      startAt: displaced.startAt,
      endAt: displaced.endAt,
      priority: displaced.priority,
      reason: 'displaced',
      flexibleStart: displaced.flexibleStart,
      flexibleEnd: displaced.flexibleEnd,
      displacedBookingId: displaced.id,
      createdBy: actor.userId,
    });
    await this.bookings.recordEvent({
      bookingId: displaced.id,
      waitlistEntryId: entry.id,
      municipalityId: displaced.municipalityId,
      kind: 'booking.displaced',
      payload: {
        byBookingId: by.id,
        alternatives: alternatives.map((a) => ({
          ...a,
          start: a.start.toISOString(),
          end: a.end.toISOString(),
        })),
      },
    });
  }

  /** A freed slot goes to the first waiting request it can serve, in waitlist order. */
  private async offerFreedSlot(
    resource: ResourceEntity,
    freed: BookingEntity,
  ): Promise<WaitlistEntryEntity | null> {
    const waiting = await this.waitlist.waiting(resource.poolId, resource.type);
    for (const entry of waiting) {
      if (entry.resourceId && entry.resourceId !== resource.id) continue;
      if (!overlaps(entry.startAt, entry.endAt, freed.blockedStart, freed.blockedEnd)) continue;
      const placement = await this.calendar.place(resource, {
        siteId: entry.siteMunicipalityId,
        start: entry.startAt,
        end: entry.endAt,
        bookerMunicipalityId: entry.municipalityId,
      });
      if (placement.conflicts.length > 0) continue;
      const offer = {
        resourceId: resource.id,
        start: entry.startAt.toISOString(),
        end: entry.endAt.toISOString(),
      };
      await this.waitlist.update(entry.id, { status: 'offered', offer });
      await this.bookings.recordEvent({
        bookingId: null,
        waitlistEntryId: entry.id,
        municipalityId: entry.municipalityId,
        kind: 'waitlist.offered',
        payload: offer,
      });
      return { ...entry, status: 'offered', offer };
    }
    return null;
  }

  /** The operator a machine booking takes: the requested one (among `locked`), or one picked. */
  private async operatorFor(
    machine: ResourceEntity,
    request: BookingRequest,
    locked: ResourceEntity[],
  ): Promise<ResourceEntity | null> {
    if (machine.kind === 'staff') {
      if (request.operatorId) {
        throw new ValidationFailed([{ field: 'operatorId', message: 'only machines take an operator' }]);
      }
      return null;
    }
    if (!request.operatorId) {
      if (!machine.requiredQualification) return null;
      return this.pickOperator(machine, request);
    }
    const operator = locked.find((r) => r.id === request.operatorId);
    if (!operator || operator.poolId !== machine.poolId || operator.kind !== 'staff') {
      throw new ValidationFailed([
        { field: 'operatorId', message: 'must be a staff member of the machine’s pool' },
      ]);
    }
    if (machine.requiredQualification && !operator.qualifications.includes(machine.requiredQualification)) {
      throw new ResourceUnavailable(`${operator.name} is not qualified to operate ${machine.name}.`, [
        {
          reason: 'operator-not-qualified',
          detail: `${machine.name} needs ${machine.requiredQualification}.`,
        },
      ]);
    }
    return operator;
  }

  /** A new operator for a machine booking must hold what the machine requires. */
  private async assertQualifiedOperator(machineBookingId: string, operator: ResourceEntity): Promise<void> {
    const [machineBooking] = await this.bookings.findByIds([machineBookingId]);
    const machine = machineBooking ? await this.resources.findById(machineBooking.resourceId) : null;
    if (operator.kind !== 'staff') {
      throw new ValidationFailed([
        { field: 'resourceId', message: 'an operator booking moves only to staff' },
      ]);
    }
    if (machine?.requiredQualification && !operator.qualifications.includes(machine.requiredQualification)) {
      throw new ResourceUnavailable(`${operator.name} is not qualified to operate ${machine.name}.`, [
        {
          reason: 'operator-not-qualified',
          detail: `${machine.name} needs ${machine.requiredQualification}.`,
        },
      ]);
    }
  }

  /** The first qualified staff member who is free then (any member municipality). */
  private async pickOperator(machine: ResourceEntity, request: BookingRequest): Promise<ResourceEntity> {
    const candidates = await this.resources.qualifiedStaff(machine.poolId, machine.requiredQualification!);
    const where = {
      siteId: request.siteMunicipalityId ?? request.municipalityId,
      start: request.start,
      end: request.end,
      bookerMunicipalityId: request.municipalityId,
    };
    for (const staff of candidates) {
      const placement = await this.calendar.place(staff, where);
      if (placement.conflicts.length > 0) continue;
      const problems = unavailability({
        resource: staff,
        start: request.start,
        end: request.end,
        priority: request.priority ?? 'normal',
        facts: placement.facts,
      });
      if (problems.length === 0) return staff;
    }
    throw new ResourceUnavailable(
      `No qualified operator (${machine.requiredQualification}) is free for ${machine.name} then.`,
      [
        {
          reason: 'operator-not-qualified',
          detail: `${machine.name} needs an operator with ${machine.requiredQualification}.`,
        },
      ],
    );
  }

  private async visibleResource(actor: Actor, id: string): Promise<ResourceEntity> {
    const resource = await this.resources.findById(id);
    if (!resource || !(await this.mayUse(actor, resource))) throw new NotFound('Resource', id);
    return resource;
  }

  private async mayUse(actor: Actor, resource: ResourceEntity): Promise<boolean> {
    const pools = await this.visibility.visiblePoolIds(actor);
    return pools === null || pools.includes(resource.poolId);
  }

  private async municipality(id: string, field: string): Promise<MunicipalityEntity> {
    const [m] = await this.municipalities.findByIds([id]);
    if (!m) throw new ValidationFailed([{ field, message: `municipality ${id} does not exist` }]);
    return m;
  }

  /** A booking the actor may change: invisible ones are 404, visible foreign ones 403. */
  private async ownBooking(actor: Actor, id: string): Promise<BookingEntity> {
    const booking = await this.bookings.findById(id);
    if (!booking || !(await this.maySee(actor, booking))) throw new NotFound('Booking', id);
    policies.assertCanActFor(actor, booking.municipalityId, booking.poolId);
    return booking;
  }

  private async maySee(actor: Actor, booking: BookingEntity): Promise<boolean> {
    if (actor.municipalityId === booking.municipalityId) return true;
    const pools = await this.visibility.visiblePoolIds(actor);
    return pools === null || pools.includes(booking.poolId);
  }

  private async scope(actor: Actor, filter: BookingFilter): Promise<BookingFilter | null> {
    const pools = await this.visibility.visiblePoolIds(actor);
    if (pools === null) return filter;
    if (pools.length === 0) return null;
    return { ...filter, poolIds: pools };
  }

  /**
   * Runs a write; a conflict gets its alternatives in a fresh read after the write's transaction
   * ended, and an exclusion-constraint violation that slipped past the checks becomes a 409.
   */
  private async withConflictTranslation<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof ConflictNeedingAlternatives) {
        const { resource, siteId, start, end } = e.context;
        const alternatives = await this.uow.run(actor, () => this.alternatives(resource, siteId, start, end));
        e.extra.alternatives = alternatives.map((a) => ({
          ...a,
          start: a.start.toISOString(),
          end: a.end.toISOString(),
        }));
        throw e;
      }
      if ((e as { code?: string }).code === PG_EXCLUSION_VIOLATION) {
        throw new BookingConflict('The resource was booked concurrently for that time.', []);
      }
      throw e;
    }
  }
}

class ConflictNeedingAlternatives extends BookingConflict {
  constructor(
    message: string,
    conflictingBookingIds: string[],
    readonly context: { resource: ResourceEntity; siteId: string; start: Date; end: Date },
  ) {
    super(message, conflictingBookingIds, { alternatives: [] });
  }
}

type Snapshotted = Pick<
  BookingEntity,
  | 'resourceId'
  | 'municipalityId'
  | 'siteMunicipalityId'
  | 'startAt'
  | 'endAt'
  | 'blockedStart'
  | 'blockedEnd'
  | 'status'
  | 'priority'
  | 'sequence'
  | 'notes'
>;

function snapshot(b: Snapshotted): Record<string, unknown> {
  return {
    resourceId: b.resourceId,
    municipalityId: b.municipalityId,
    siteMunicipalityId: b.siteMunicipalityId,
    start: b.startAt,
    end: b.endAt,
    blockedStart: b.blockedStart,
    blockedEnd: b.blockedEnd,
    status: b.status,
    priority: b.priority,
    sequence: b.sequence,
    notes: b.notes,
  };
}
