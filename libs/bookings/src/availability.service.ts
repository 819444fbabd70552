import { Injectable } from '@nestjs/common';
import { Actor, NotFound, ValidationFailed } from '@allmende/core';
import {
  BookingRepository,
  MunicipalityRepository,
  ResourceEntity,
  ResourceRepository,
  UnitOfWork,
} from '@allmende/database';
import { DEFAULT_WORKING_HOURS } from './availability-rules';
import { PoolVisibility } from '@allmende/pools';
import { BookingCalendar, speedOf } from './booking-calendar';
import { allowedSpans, endOfLocalDay, freeWindows, FreeWindow, Span } from './free-windows';
import { addMinutes } from './time';

export interface AvailabilityQuery {
  poolId: string;
  type: string;
  from: Date;
  to: Date;
  siteMunicipalityId?: string;
  minMinutes?: number;
  emergency?: boolean;
}

export interface ResourceWindow extends FreeWindow {
  resource: ResourceEntity;
}

/** Busy time is looked up this far around the window, to know where a resource comes from. */
const CONTEXT_MINUTES = 3 * 24 * 60;

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly resources: ResourceRepository,
    private readonly bookings: BookingRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly calendar: BookingCalendar,
    private readonly visibility: PoolVisibility,
  ) {}

  /** Free windows of every resource of a type in a pool, travel-aware, best fit first. */
  async search(actor: Actor, q: AvailabilityQuery): Promise<ResourceWindow[]> {
    return this.uow.run(actor, async () => {
      if (!(await this.visibility.maySeePool(actor, q.poolId))) throw new NotFound('Pool', q.poolId);
      const resources = await this.resources.listByPoolAndType(q.poolId, q.type);
      if (resources.length === 0) {
        // "nothing free" and "no such type here" must not read alike.
        const types = (await this.resources.typesInPool(q.poolId)).map((t) => t.type);
        throw new ValidationFailed(
          [
            {
              field: 'type',
              rule: 'resourceType',
              allowed: types,
              message: `the pool has no resources of type ${q.type}; its types are: ${types.join(', ') || 'none'}`,
            },
          ],
          `The pool has no resources of type ${q.type}.`,
          { poolTypes: types },
        );
      }
      return this.windowsFor(resources, q);
    });
  }

  async windowsFor(resources: ResourceEntity[], q: AvailabilityQuery): Promise<ResourceWindow[]> {
    if (resources.length === 0) return [];
    const siteId = q.siteMunicipalityId ?? resources[0].homeMunicipalityId;
    const [site] = await this.municipalities.findByIds([siteId]);
    if (!site) throw new NotFound('Municipality', siteId);
    const ids = resources.map((r) => r.id);
    const [busy, blackouts] = await Promise.all([
      this.bookings.busy(ids, addMinutes(q.from, -CONTEXT_MINUTES), addMinutes(q.to, CONTEXT_MINUTES)),
      this.resources.blackoutsOverlapping(ids, q.from, q.to),
    ]);
    const sites = new Set<string>([
      siteId,
      ...resources.map((r) => r.homeMunicipalityId),
      ...busy.map((b) => b.siteMunicipalityId),
    ]);
    const travel = await this.calendar.travelTimes(resources[0].poolId, [...sites]);

    const windows: ResourceWindow[] = [];
    // Holidays and working hours depend on few things: compute each distinct case once.
    const allowedByCase = new Map<string, Span[]>();
    for (const resource of resources) {
      const mine = busy.filter((b) => b.resourceId === resource.id);
      const query = {
        from: q.from,
        to: q.to,
        siteId,
        siteState: site.state,
        homeId: resource.homeMunicipalityId,
        minMinutes: q.minMinutes ?? 60,
        workingHours:
          resource.kind === 'staff' ? (resource.workingHours ?? DEFAULT_WORKING_HOURS) : undefined,
        usableUntil: resource.nextInspectionDue ? endOfLocalDay(resource.nextInspectionDue) : undefined,
        emergency: q.emergency,
      };
      const caseKey = JSON.stringify([query.workingHours ?? null, query.usableUntil ?? null]);
      let allowed = allowedByCase.get(caseKey);
      if (!allowed) {
        allowed = allowedSpans(query);
        allowedByCase.set(caseKey, allowed);
      }
      const found = freeWindows(
        query,
        mine.map((b) => ({
          start: b.start,
          end: b.end,
          blockedStart: b.blockedStart,
          siteId: b.siteMunicipalityId,
        })),
        blackouts
          .filter((b) => b.resourceId === resource.id)
          .map((b) => ({ start: b.startAt, end: b.endAt })),
        (a, b) => travel.minutes(a, b, speedOf(resource)),
        allowed,
      );
      windows.push(...found.map((w) => ({ ...w, resource })));
    }
    // Best fit first: the shortest trip to the site, then the earliest start, then the longest window.
    return windows.sort(
      (a, b) =>
        a.travelInMinutes - b.travelInMinutes ||
        a.start.getTime() - b.start.getTime() ||
        b.end.getTime() - a.end.getTime(),
    );
  }
}
