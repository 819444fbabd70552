import { Injectable } from '@nestjs/common';
import { NotFound } from '@allmende/core';
import {
  BookingRepository,
  MunicipalityRepository,
  PoolRepository,
  ResourceEntity,
  ResourceRepository,
  WaitlistRepository,
} from '@allmende/database';
import {
  allowedSpans,
  BookingCalendar,
  endOfLocalDay,
  freeWindows,
  DEFAULT_WORKING_HOURS,
  speedOf,
  toBerlin,
} from '@allmende/bookings';
import {
  Interval,
  PortablePoolModel,
  SolverBooking,
  SolverRequest,
  SolverResource,
  toPortable,
} from '@allmende/solver';
import type { NameBook } from './render';

export interface LoadedModel {
  model: PortablePoolModel;
  /** Names of everything in the model, for the words rendered from its facts. */
  names: NameBook;
  /** What the model saw, to tell later whether a proposal built on it is stale. */
  bookingSequences: Record<string, number>;
  requestStatuses: Record<string, string>;
}

/**
 * Work the solver moves in time, or a request it serves at another time than asked, stays in the
 * local working day: a flexible window "Wednesday to Friday" means daytime, not 02:15. Machines
 * themselves may be booked at any hour (winter service starts at four), so this is the solver's
 * rule for proposals, not a booking rule.
 */
export const MOVABLE_HOURS = { from: 6, to: 20 } as const;

/** The local days around [from, to), each from MOVABLE_HOURS.from to MOVABLE_HOURS.to. */
export function movableHours(from: Date, to: Date): Interval[] {
  const out: Interval[] = [];
  const last = toBerlin(to).plus({ days: 1 });
  for (let day = toBerlin(from).startOf('day').minus({ days: 1 }); day < last; day = day.plus({ days: 1 })) {
    out.push({
      start: day.set({ hour: MOVABLE_HOURS.from }).toMillis(),
      end: day.set({ hour: MOVABLE_HOURS.to }).toMillis(),
    });
  }
  return out;
}

/** Reads a pool's calendar from the database into the solver's model (run as the system). */
@Injectable()
export class PoolModelLoader {
  constructor(
    private readonly pools: PoolRepository,
    private readonly resources: ResourceRepository,
    private readonly bookings: BookingRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly calendar: BookingCalendar,
  ) {}

  /**
   * `now`: the present; nothing is proposed before it (absent: the period's start, for a
   * what-if that looks at the whole period).
   */
  async load(poolId: string, from: Date, to: Date, now?: Date): Promise<LoadedModel> {
    const pool = await this.pools.findById(poolId);
    if (!pool) throw new NotFound('Pool', poolId);
    const resources = await this.resources.list({ poolId }, 100_000);
    const members = await this.pools.listMembers(poolId);
    const booked = await this.bookings.list({ poolIds: [poolId], from, to, status: 'active' }, 1_000_000);
    const requests = await this.waitlist.waitingInPool(poolId, from, to);
    const siteIds = [
      ...new Set([
        ...resources.map((r) => r.homeMunicipalityId),
        ...members.map((m) => m.municipalityId),
        ...booked.map((b) => b.siteMunicipalityId),
        ...requests.map((r) => r.siteMunicipalityId),
      ]),
    ];
    const places = await this.municipalities.findByIds(siteIds);
    const byId = new Map(places.map((m) => [m.id, m]));
    const travel = await this.calendar.travelTimes(poolId, siteIds);
    const blackouts = await this.resources.blackoutsOverlapping(
      resources.map((r) => r.id),
      from,
      to,
    );

    const blackoutsOf = new Map<string, { start: Date; end: Date }[]>();
    for (const b of blackouts)
      blackoutsOf.set(b.resourceId, [
        ...(blackoutsOf.get(b.resourceId) ?? []),
        { start: b.startAt, end: b.endAt },
      ]);
    // Machines may be booked at any hour; their capacity in the figures is the working week. The
    // allowed spans (holidays, working hours, inspection) are computed once per distinct case: a
    // region has hundreds of resources and few cases.
    const allowedByCase = new Map<string, ReturnType<typeof allowedSpans>>();
    const windows = (r: ResourceEntity, workingHours: ResourceEntity['workingHours'] | undefined) => {
      const query = {
        from,
        to: usableUntil(r, to),
        siteId: r.homeMunicipalityId,
        siteState: byId.get(r.homeMunicipalityId)?.state ?? 'HE',
        homeId: r.homeMunicipalityId,
        minMinutes: 1,
        workingHours: workingHours ?? undefined,
        usableUntil: r.nextInspectionDue ? endOfLocalDay(r.nextInspectionDue) : undefined,
      };
      const key = JSON.stringify([
        query.to,
        query.siteState,
        query.workingHours ?? null,
        query.usableUntil ?? null,
      ]);
      let allowed = allowedByCase.get(key);
      if (!allowed) allowedByCase.set(key, (allowed = allowedSpans(query)));
      return freeWindows(query, [], blackoutsOf.get(r.id) ?? [], () => 0, allowed).map((w) => ({
        start: w.start.getTime(),
        end: w.end.getTime(),
      }));
    };
    const available = (r: ResourceEntity) =>
      windows(r, r.kind === 'staff' ? (r.workingHours ?? DEFAULT_WORKING_HOURS) : undefined);
    const capacity = (r: ResourceEntity) => windows(r, r.workingHours ?? DEFAULT_WORKING_HOURS);

    const solverResources: SolverResource[] = resources.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      type: r.type,
      homeSiteId: r.homeMunicipalityId,
      qualifications: r.qualifications,
      requiredQualification: r.requiredQualification,
      annualFixedCostCents: r.annualFixedCostCents,
      hourlyRateCents: r.hourlyRateCents,
      available: available(r),
      capacity: capacity(r),
      inspectionDue: r.nextInspectionDue ? endOfLocalDay(r.nextInspectionDue).getTime() : null,
      retiredAt: retiredAt(r)?.getTime() ?? null,
    }));
    const solverBookings: SolverBooking[] = booked.map((b) => ({
      id: b.id,
      resourceId: b.resourceId,
      municipalityId: b.municipalityId,
      siteId: b.siteMunicipalityId,
      start: b.startAt.getTime(),
      end: b.endAt.getTime(),
      priority: b.priority,
      operatorForBookingId: b.operatorForBookingId,
      ...(b.flexibleStart && b.flexibleEnd
        ? { flexible: { start: b.flexibleStart.getTime(), end: b.flexibleEnd.getTime() } }
        : {}),
    }));
    const solverRequests: SolverRequest[] = requests.map((w) => ({
      id: w.id,
      type: w.resourceType,
      municipalityId: w.municipalityId,
      siteId: w.siteMunicipalityId,
      start: w.startAt.getTime(),
      end: w.endAt.getTime(),
      priority: w.priority,
      source: w.reason === 'displaced' ? 'displaced' : 'waitlist',
      ...(w.flexibleStart && w.flexibleEnd
        ? { window: { start: w.flexibleStart.getTime(), end: w.flexibleEnd.getTime() } }
        : {}),
    }));

    const speedClassOf = Object.fromEntries(resources.map((r) => [r.id, String(speedOf(r))]));
    const model = toPortable(
      {
        poolId,
        period: { start: from.getTime(), end: to.getTime() },
        zone: 'Europe/Berlin',
        resources: solverResources,
        bookings: solverBookings,
        requests: solverRequests,
        members: members.map((m) => ({
          municipalityId: m.municipalityId,
          name: byId.get(m.municipalityId)?.name ?? m.municipalityId,
          population: byId.get(m.municipalityId)?.population ?? 0,
          joinedOn: m.joinedOn,
          leftOn: m.leftOn,
        })),
        costSharing: pool.costSharing,
        movableHours: movableHours(from, to),
        ...(now ? { now: now.getTime() } : {}),
      },
      siteIds,
      speedClassOf,
      (a, b, cls) => travel.minutes(a, b, Number(cls)),
    );
    const names: NameBook = {
      resources: Object.fromEntries(
        resources.map((r) => [r.id, { name: r.name, type: r.type, kind: r.kind }]),
      ),
      municipalities: Object.fromEntries(places.map((m) => [m.id, m.name])),
      requests: Object.fromEntries(
        solverRequests.map((q) => [
          q.id,
          { municipalityId: q.municipalityId, type: q.type, start: q.start, end: q.end },
        ]),
      ),
      bookings: Object.fromEntries(
        solverBookings.map((b) => [
          b.id,
          { municipalityId: b.municipalityId, resourceId: b.resourceId, start: b.start, end: b.end },
        ]),
      ),
    };
    return {
      model,
      names,
      bookingSequences: Object.fromEntries(booked.map((b) => [b.id, b.sequence])),
      requestStatuses: Object.fromEntries(requests.map((r) => [r.id, r.status])),
    };
  }
}

/**
 * When a resource leaves service, if the schema records it (a retirement date or an inactive
 * flag). Read defensively: the column may not exist in every version of the schema.
 */
export function retiredAt(r: ResourceEntity): Date | null {
  const record = r as unknown as Record<string, unknown>;
  for (const key of ['retiredOn', 'retiredAt', 'retiredFrom']) {
    const v = record[key];
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return startOfLocalDay(v);
    if (v instanceof Date) return v;
  }
  return null;
}

function startOfLocalDay(date: string): Date {
  return toBerlin(new Date(`${date}T12:00:00Z`))
    .startOf('day')
    .toJSDate();
}

/** Availability ends when the resource retires. */
function usableUntil(r: ResourceEntity, to: Date): Date {
  const retired = retiredAt(r);
  return retired && retired < to ? retired : to;
}
