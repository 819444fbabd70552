import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, DomainError, ErrorCode, NotFound, ValidationFailed } from '@allmende/core';
import {
  AuditLog,
  BookingPriority,
  MunicipalityRepository,
  PoolRepository,
  ResourceRepository,
  UnitOfWork,
  WaitlistEntryEntity,
  WaitlistRepository,
} from '@allmende/database';
import { PoolVisibility } from '@allmende/pools';
import { BookingOutcome, validateSpan, validateWindow } from './booking-request';
import { BookingsService } from './bookings.service';
import { namedResource, NamedResource } from './booking-views';

export interface WaitlistRequest {
  poolId: string;
  type: string;
  resourceId?: string;
  municipalityId: string;
  siteMunicipalityId?: string;
  start: Date;
  end: Date;
  priority?: BookingPriority;
  /** Any slot of the same duration inside this window serves the request. */
  flexible?: { start: Date; end: Date };
}

/** A waitlist entry with the names people read beside its ids. */
export interface WaitlistView {
  entry: WaitlistEntryEntity;
  municipalityName: string | null;
  siteMunicipalityName: string | null;
  /** The resource asked for, if one was. */
  resource: NamedResource | null;
  /** The resource offered, while an offer is open. */
  offeredResource: NamedResource | null;
}

/** Unmet demand: requests that found no slot, and bookings an emergency displaced. */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly waitlist: WaitlistRepository,
    private readonly pools: PoolRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly visibility: PoolVisibility,
    private readonly bookings: BookingsService,
    private readonly audit: AuditLog,
    private readonly resources: ResourceRepository,
  ) {}

  /** Names for entries, in two reads. Runs inside the caller's unit of work. */
  private async views(entries: WaitlistEntryEntity[]): Promise<WaitlistView[]> {
    const offerOf = (e: WaitlistEntryEntity) => e.offer as { resourceId?: string } | null;
    const [places, resources] = await Promise.all([
      this.municipalities.findByIds(entries.flatMap((e) => [e.municipalityId, e.siteMunicipalityId])),
      this.resources.findByIds(
        entries.flatMap((e) => [e.resourceId, offerOf(e)?.resourceId]).filter((id): id is string => !!id),
      ),
    ]);
    const placeName = new Map(places.map((m) => [m.id, m.name]));
    const resourceById = new Map(resources.map((r) => [r.id, namedResource(r)]));
    return entries.map((entry) => ({
      entry,
      municipalityName: placeName.get(entry.municipalityId) ?? null,
      siteMunicipalityName: placeName.get(entry.siteMunicipalityId) ?? null,
      resource: entry.resourceId ? (resourceById.get(entry.resourceId) ?? null) : null,
      offeredResource: resourceById.get(offerOf(entry)?.resourceId ?? '') ?? null,
    }));
  }

  async join(actor: Actor, request: WaitlistRequest): Promise<WaitlistView> {
    validateSpan(request.start, request.end);
    validateWindow(request.start, request.end, request.flexible);
    return this.uow.run(actor, async () => {
      if (
        !(await this.pools.findById(request.poolId)) ||
        !(await this.visibility.maySeePool(actor, request.poolId))
      ) {
        throw new NotFound('Pool', request.poolId);
      }
      policies.assertCanActFor(actor, request.municipalityId, request.poolId);
      const siteId = request.siteMunicipalityId ?? request.municipalityId;
      if (
        (await this.municipalities.findByIds([request.municipalityId, siteId])).length !==
        new Set([request.municipalityId, siteId]).size
      ) {
        throw new ValidationFailed([{ field: 'siteMunicipalityId', message: 'municipality does not exist' }]);
      }
      const entry = await this.waitlist.insert({
        poolId: request.poolId,
        resourceType: request.type,
        resourceId: request.resourceId ?? null,
        municipalityId: request.municipalityId,
        siteMunicipalityId: siteId,
        startAt: request.start,
        endAt: request.end,
        priority: request.priority ?? 'normal',
        reason: 'no-slot',
        flexibleStart: request.flexible?.start ?? null,
        flexibleEnd: request.flexible?.end ?? null,
        displacedBookingId: null,
        createdBy: actor.userId,
      });
      await this.audit.record(actor, {
        action: 'waitlist.join',
        entityType: 'waitlist-entry',
        entityId: entry.id,
        municipalityId: entry.municipalityId,
        after: entry,
      });
      return (await this.views([entry]))[0];
    });
  }

  async list(actor: Actor, poolId: string | undefined, limit: number): Promise<WaitlistView[]> {
    return this.uow.run(actor, async () => {
      const visible = await this.visibility.visiblePoolIds(actor);
      const own =
        actor.role === 'coordinator' || actor.role === 'admin'
          ? undefined
          : (actor.municipalityId ?? undefined);
      const entries = await this.waitlist.list(
        {
          poolId,
          ...(visible ? { poolIds: actor.role === 'coordinator' ? actor.poolIds : visible } : {}),
          ...(own ? { municipalityId: own } : {}),
        },
        limit,
      );
      return this.views(entries);
    });
  }

  /** Takes up an offer: books the offered slot and closes the entry, in one transaction. */
  async accept(actor: Actor, id: string): Promise<BookingOutcome> {
    return this.uow.run(actor, async () => {
      const entry = await this.ownEntry(actor, id);
      const offer = entry.offer as { resourceId: string; start: string; end: string } | null;
      if (entry.status !== 'offered' || !offer) {
        throw new DomainError(
          ErrorCode.Conflict,
          `Waitlist entry ${id} has no open offer (it is ${entry.status}).`,
        );
      }
      const outcome = await this.bookings.create(actor, {
        resourceId: offer.resourceId,
        municipalityId: entry.municipalityId,
        siteMunicipalityId: entry.siteMunicipalityId,
        start: new Date(offer.start),
        end: new Date(offer.end),
        priority: entry.priority,
      });
      await this.waitlist.update(id, { status: 'fulfilled' });
      return outcome;
    });
  }

  async withdraw(actor: Actor, id: string): Promise<WaitlistView> {
    return this.uow.run(actor, async () => {
      const entry = await this.ownEntry(actor, id);
      if (entry.status === 'fulfilled')
        throw new DomainError(ErrorCode.Conflict, 'A fulfilled entry cannot be withdrawn.');
      await this.waitlist.update(id, { status: 'withdrawn' });
      return (await this.views([{ ...entry, status: 'withdrawn' }]))[0];
    });
  }

  private async ownEntry(actor: Actor, id: string): Promise<WaitlistEntryEntity> {
    const entry = await this.waitlist.findById(id);
    if (!entry || !(await this.visibility.maySeePool(actor, entry.poolId)))
      throw new NotFound('Waitlist entry', id);
    if (!policies.canActFor(actor, entry.municipalityId, entry.poolId))
      throw new NotFound('Waitlist entry', id);
    return entry;
  }
}
