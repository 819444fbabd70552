import { Injectable } from '@nestjs/common';
import { Actor, NotFound, ValidationFailed } from '@allmende/core';
import {
  AvailabilityFactsQuery,
  MunicipalityEntity,
  MunicipalityRepository,
  PoolEntity,
  PoolRepository,
  ResourceEntity,
  ResourceRepository,
  UnitOfWork,
  WorkingHours,
} from '@allmende/database';
import { operatingHoursOf, PoolVisibility } from '@allmende/pools';
import { DEFAULT_WORKING_HOURS } from './availability-rules';
import { speedOf } from './booking-calendar';
import {
  allowedSpans,
  endOfLocalDay,
  FreeWindow,
  freeWindows,
  OperatorSpan,
  Span,
  withOperators,
} from './free-windows';
import { addMinutes } from './time';
import { TravelTimes } from './travel';

export interface AvailabilityQuery {
  poolId: string;
  type: string;
  from: Date;
  to: Date;
  siteMunicipalityId?: string;
  minMinutes?: number;
  emergency?: boolean;
  /** Machines at any hour instead of inside the pool's operating hours. */
  anyTime?: boolean;
}

export interface ResourceWindow extends FreeWindow {
  resource: ResourceEntity;
  /** Machines that need an operator: the qualified staff free then, shortest trip first. */
  operators: OperatorSpan<ResourceEntity>[];
}

export interface AvailabilityResult {
  windows: ResourceWindow[];
  /** Machines of the type whose inspection falls due before the end of the period. */
  inspectionsDue: { resource: ResourceEntity; due: string; usableUntil: Date }[];
  /** The hours machines were searched in; null when any hour was asked for. */
  operatingHours: WorkingHours | null;
}

/** Busy time is looked up this far around the window, to know where a resource comes from. */
const CONTEXT_MINUTES = 3 * 24 * 60;
const DEFAULT_MIN_MINUTES = 60;

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly resources: ResourceRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly pools: PoolRepository,
    private readonly facts: AvailabilityFactsQuery,
    private readonly visibility: PoolVisibility,
  ) {}

  /** Free windows of every resource of a type in a pool, travel-aware, best fit first. */
  async search(actor: Actor, q: AvailabilityQuery): Promise<AvailabilityResult> {
    return this.uow.run(actor, async () => {
      // The pool, the resources of the type, the site and the tenant's member pools in one read.
      const { pool, resources, site, memberPoolIds } = await this.facts.head(
        q.poolId,
        q.type,
        q.siteMunicipalityId ?? null,
      );
      if (!pool || !this.visibility.maySeePoolOf(actor, q.poolId, memberPoolIds))
        throw new NotFound('Pool', q.poolId);
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
      const windows = await this.windowsFor(resources, q, { pool, site });
      const periodEnd = q.to;
      const inspectionsDue = resources
        .filter((r) => r.nextInspectionDue && endOfLocalDay(r.nextInspectionDue) < periodEnd)
        .map((r) => ({
          resource: r,
          due: r.nextInspectionDue!,
          usableUntil: endOfLocalDay(r.nextInspectionDue!),
        }));
      const operatingHours = q.anyTime || q.emergency ? null : operatingHoursOf(pool);
      return { windows, inspectionsDue, operatingHours };
    });
  }

  /**
   * Free windows of the given resources: machines inside the pool's operating hours (unless any
   * time or an emergency is asked for), staff inside their working hours, never on a public holiday
   * of the site (unless an emergency); a machine that needs an operator only where one can come.
   */
  async windowsFor(
    resources: ResourceEntity[],
    q: AvailabilityQuery,
    known?: { pool: PoolEntity | null; site: MunicipalityEntity | null },
  ): Promise<ResourceWindow[]> {
    if (resources.length === 0) return [];
    const siteId = q.siteMunicipalityId ?? resources[0].homeMunicipalityId;
    const site = known ? known.site : (await this.municipalities.findByIds([siteId]))[0];
    if (!site) throw new NotFound('Municipality', siteId);
    const pool = known ? known.pool : await this.pools.findById(resources[0].poolId);
    const machineHours = q.anyTime || !pool ? undefined : operatingHoursOf(pool);
    const minMinutes = q.minMinutes ?? DEFAULT_MIN_MINUTES;
    const context = { q, siteId, siteState: site.state, minMinutes, machineHours };
    const qualifications = [
      ...new Set(
        resources
          .filter((r) => r.kind === 'machine' && r.requiredQualification)
          .map((r) => r.requiredQualification!),
      ),
    ];

    // A search (`known`) reads nothing after this when no operator is needed: it may end there.
    const own = await this.freeOf(resources, context, !!known && qualifications.length === 0);
    const operatorWindows = new Map<string, { operator: ResourceEntity; window: FreeWindow }[]>();
    for (const qualification of qualifications) {
      const staff = await this.resources.qualifiedStaff(resources[0].poolId, qualification);
      const free = await this.freeOf(staff, context);
      operatorWindows.set(
        qualification,
        free.map((w) => ({ operator: w.resource, window: w })),
      );
    }
    const windows: ResourceWindow[] = own.flatMap((w) => {
      const needs = w.resource.kind === 'machine' ? w.resource.requiredQualification : null;
      if (!needs) return [w];
      return withOperators(w, operatorWindows.get(needs) ?? [], minMinutes).map((p) => ({
        ...p,
        resource: w.resource,
      }));
    });
    // Best fit first: the shortest trip to the site, then the earliest start, then the longest window.
    return windows.sort(
      (a, b) =>
        a.travelInMinutes - b.travelInMinutes ||
        a.start.getTime() - b.start.getTime() ||
        b.end.getTime() - a.end.getTime(),
    );
  }

  /** Each resource's free windows on its own (busy time, blackouts, travel, allowed hours). */
  private async freeOf(
    resources: ResourceEntity[],
    c: {
      q: AvailabilityQuery;
      siteId: string;
      siteState: string;
      minMinutes: number;
      machineHours: WorkingHours | undefined;
    },
    last = false,
  ): Promise<ResourceWindow[]> {
    if (resources.length === 0) return [];
    const { q, siteId } = c;
    // Busy time, blackouts, the places involved and the travel matrix in one read.
    const { busy, blackouts, places, travelOverrides } = await this.facts.calendar({
      poolId: resources[0].poolId,
      resourceIds: resources.map((r) => r.id),
      busyFrom: addMinutes(q.from, -CONTEXT_MINUTES),
      busyTo: addMinutes(q.to, CONTEXT_MINUTES),
      from: q.from,
      to: q.to,
      placeIds: [siteId, ...resources.map((r) => r.homeMunicipalityId)],
      last,
    });
    const travel = new TravelTimes(new Map(places.map((m) => [m.id, m])), travelOverrides);
    const busyOf = groupBy(busy, (b) => b.resourceId);
    const blackoutsOf = groupBy(blackouts, (b) => b.resourceId);
    const windows: ResourceWindow[] = [];
    // Holidays and working hours depend on few things: compute each distinct case once.
    const allowedByCase = new Map<string, Span[]>();
    for (const resource of resources) {
      const query = {
        from: q.from,
        to: q.to,
        siteId,
        siteState: c.siteState,
        homeId: resource.homeMunicipalityId,
        minMinutes: c.minMinutes,
        workingHours:
          resource.kind === 'staff' ? (resource.workingHours ?? DEFAULT_WORKING_HOURS) : c.machineHours,
        usableUntil: resource.nextInspectionDue ? endOfLocalDay(resource.nextInspectionDue) : undefined,
        emergency: q.emergency,
      };
      const caseKey = JSON.stringify([query.workingHours ?? null, query.usableUntil ?? null]);
      let allowed = allowedByCase.get(caseKey);
      if (!allowed) {
        allowed = allowedSpans(query);
        allowedByCase.set(caseKey, allowed);
      }
      const speed = speedOf(resource);
      const found = freeWindows(
        query,
        (busyOf.get(resource.id) ?? []).map((b) => ({
          start: b.start,
          end: b.end,
          blockedStart: b.blockedStart,
          siteId: b.siteMunicipalityId,
        })),
        (blackoutsOf.get(resource.id) ?? []).map((b) => ({ start: b.startAt, end: b.endAt })),
        (a, b) => travel.minutes(a, b, speed),
        allowed,
      );
      for (const w of found)
        windows.push({
          start: w.start,
          end: w.end,
          travelInMinutes: w.travelInMinutes,
          resource,
          operators: [],
        });
    }
    return windows;
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
