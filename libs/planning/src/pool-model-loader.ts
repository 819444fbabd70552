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

export interface LoadedModel {
  model: PortablePoolModel;
  /** What the model saw, to tell later whether a proposal built on it is stale. */
  bookingSequences: Record<string, number>;
  requestStatuses: Record<string, string>;
}

const TYPE_NAMES: Record<string, { de: string; en: string }> = {
  'street-sweeper': { de: 'Kehrmaschinen', en: 'street sweepers' },
  'sewer-camera': { de: 'Kanal-TV-Kameras', en: 'sewer cameras' },
  excavator: { de: 'Bagger', en: 'excavators' },
  'mini-excavator': { de: 'Minibagger', en: 'mini excavators' },
  mulcher: { de: 'Mulcher', en: 'mulchers' },
  'slope-mower': { de: 'Böschungsmäher', en: 'slope mowers' },
  'aerial-lift': { de: 'Hubsteiger', en: 'aerial lifts' },
  'wheel-loader': { de: 'Radlader', en: 'wheel loaders' },
  'snow-plough': { de: 'Schneepflüge', en: 'snow ploughs' },
  gritter: { de: 'Streuer', en: 'gritters' },
  operator: { de: 'Fachkräfte', en: 'operators' },
};

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

  async load(poolId: string, from: Date, to: Date): Promise<LoadedModel> {
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

    const available = (r: ResourceEntity): SolverResource['available'] =>
      freeWindows(
        {
          from,
          to,
          siteId: r.homeMunicipalityId,
          siteState: byId.get(r.homeMunicipalityId)?.state ?? 'HE',
          homeId: r.homeMunicipalityId,
          minMinutes: 1,
          workingHours: r.kind === 'staff' ? (r.workingHours ?? DEFAULT_WORKING_HOURS) : undefined,
          usableUntil: r.nextInspectionDue ? endOfLocalDay(r.nextInspectionDue) : undefined,
        },
        [],
        blackouts.filter((b) => b.resourceId === r.id).map((b) => ({ start: b.startAt, end: b.endAt })),
        () => 0,
      ).map((w) => ({ start: w.start.getTime(), end: w.end.getTime() }));

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
        typeNames: TYPE_NAMES,
        movableHours: movableHours(from, to),
      },
      siteIds,
      speedClassOf,
      (a, b, cls) => travel.minutes(a, b, Number(cls)),
    );
    return {
      model,
      bookingSequences: Object.fromEntries(booked.map((b) => [b.id, b.sequence])),
      requestStatuses: Object.fromEntries(requests.map((r) => [r.id, r.status])),
    };
  }
}
