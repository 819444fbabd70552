import { DateTime } from 'luxon';
import { ZONE } from './calendar';
import type {
  CostSharingKey,
  Interval,
  PoolModel,
  SolverBooking,
  SolverMember,
  SolverRequest,
  SolverResource,
} from './model';

/**
 * Model fixtures for the scenario specs: Werra-Meißner municipalities (approximate population
 * and coordinates), fixed dates in 2026/2027, Europe/Berlin.
 */
export const TOWNS: Record<string, { name: string; population: number; lat: number; lon: number }> = {
  eschwege: { name: 'Eschwege', population: 19_700, lat: 51.188, lon: 10.053 },
  witzenhausen: { name: 'Witzenhausen', population: 15_000, lat: 51.342, lon: 9.857 },
  lichtenau: { name: 'Hessisch Lichtenau', population: 12_400, lat: 51.2, lon: 9.719 },
  sooden: { name: 'Bad Sooden-Allendorf', population: 8_300, lat: 51.272, lon: 9.973 },
  sontra: { name: 'Sontra', population: 7_700, lat: 51.066, lon: 9.935 },
  wanfried: { name: 'Wanfried', population: 4_000, lat: 51.182, lon: 10.173 },
  meinhard: { name: 'Meinhard', population: 4_800, lat: 51.222, lon: 10.064 },
  ringgau: { name: 'Ringgau', population: 2_900, lat: 51.089, lon: 10.092 },
};

/** Instant of a local Berlin time, e.g. at('2026-04-14T07:00'). */
export function at(local: string): number {
  return DateTime.fromISO(local, { zone: ZONE }).toMillis();
}

export const HOUR = 3_600_000;

/** Working hours Monday–Friday between two dates (inclusive), e.g. 07:00–16:00. */
export function workdays(from: string, to: string, startHour = 7, endHour = 16): Interval[] {
  const out: Interval[] = [];
  let day = DateTime.fromISO(from, { zone: ZONE }).startOf('day');
  const last = DateTime.fromISO(to, { zone: ZONE }).startOf('day');
  while (day <= last) {
    if (day.weekday <= 5)
      out.push({
        start: day.set({ hour: startHour }).toMillis(),
        end: day.set({ hour: endHour }).toMillis(),
      });
    day = day.plus({ days: 1 });
  }
  return out;
}

/** Around the clock (winter service). */
export function always(from: string, to: string): Interval[] {
  return [
    { start: at(`${from}T00:00`), end: DateTime.fromISO(to, { zone: ZONE }).plus({ days: 1 }).toMillis() },
  ];
}

export function machine(
  id: string,
  type: string,
  homeSiteId: string,
  available: Interval[],
  extra: Partial<SolverResource> = {},
): SolverResource {
  return {
    id,
    name: id,
    kind: 'machine',
    type,
    homeSiteId,
    qualifications: [],
    requiredQualification: null,
    annualFixedCostCents: 2_400_000,
    hourlyRateCents: 6_500,
    available,
    ...extra,
  };
}

export function person(
  id: string,
  homeSiteId: string,
  qualifications: string[],
  available: Interval[],
  extra: Partial<SolverResource> = {},
): SolverResource {
  return {
    id,
    name: id,
    kind: 'staff',
    type: 'operator',
    homeSiteId,
    qualifications,
    requiredQualification: null,
    annualFixedCostCents: 0,
    hourlyRateCents: 4_500,
    available,
    ...extra,
  };
}

export function booking(
  id: string,
  resourceId: string,
  siteId: string,
  start: string,
  hours: number,
  extra: Partial<SolverBooking> = {},
): SolverBooking {
  const s = at(start);
  return {
    id,
    resourceId,
    municipalityId: siteId,
    siteId,
    start: s,
    end: s + hours * HOUR,
    priority: 'normal',
    ...extra,
  };
}

export function request(
  id: string,
  type: string,
  siteId: string,
  start: string,
  hours: number,
  extra: Partial<SolverRequest> = {},
): SolverRequest {
  const s = at(start);
  return {
    id,
    type,
    municipalityId: siteId,
    siteId,
    start: s,
    end: s + hours * HOUR,
    priority: 'normal',
    source: 'waitlist',
    ...extra,
  };
}

/** Window from one local time to another, for flexible bookings and requests. */
export function window(from: string, to: string): Interval {
  return { start: at(from), end: at(to) };
}

/** Road minutes between towns: straight line × 1.3 at 50 km/h, machines at 35 km/h. */
export function travelMinutes(from: string, to: string, resourceId: string): number {
  if (from === to) return 0;
  const a = TOWNS[from];
  const b = TOWNS[to];
  if (!a || !b) return 30;
  const km =
    Math.hypot((a.lat - b.lat) * 111, (a.lon - b.lon) * 111 * Math.cos((a.lat * Math.PI) / 180)) * 1.3;
  const speed = resourceId.startsWith('staff') || resourceId.startsWith('op') ? 50 : 35;
  return Math.round((km / speed) * 60);
}

export function members(ids: string[] = Object.keys(TOWNS)): SolverMember[] {
  return ids.map((id) => ({
    municipalityId: id,
    name: TOWNS[id]?.name ?? id,
    population: TOWNS[id]?.population ?? 1_000,
    joinedOn: '2020-01-01',
    leftOn: null,
  }));
}

export function poolModel(
  parts: Partial<PoolModel> & { period: Interval },
  costSharing: CostSharingKey = { key: 'population' },
): PoolModel {
  return {
    poolId: 'pool-werra-meissner',
    zone: 'Europe/Berlin',
    resources: [],
    bookings: [],
    requests: [],
    travelMinutes,
    members: members(),
    costSharing,
    ...parts,
  };
}

/** The same hours every day (winter service works weekends). */
export function everyDay(from: string, to: string, startHour: number, endHour: number): Interval[] {
  const out: Interval[] = [];
  let day = DateTime.fromISO(from, { zone: ZONE }).startOf('day');
  const last = DateTime.fromISO(to, { zone: ZONE }).startOf('day');
  while (day <= last) {
    out.push({ start: day.set({ hour: startHour }).toMillis(), end: day.set({ hour: endHour }).toMillis() });
    day = day.plus({ days: 1 });
  }
  return out;
}

export interface RandomPoolSize {
  machinesPerType: number;
  types: number;
  bookings: number;
  requests: number;
  /** Length of the period in weeks, starting Monday 2026-03-02. */
  weeks: number;
}

/**
 * A plausible random pool: machines of a few types (some needing a certified operator), staff,
 * feasible bookings (placed one after another with transport), some flexible, some emergencies
 * and operator bookings, and requests (some with windows) that often collide with them.
 */
export function randomPool(random: () => number, size: RandomPoolSize): PoolModel {
  const towns = Object.keys(TOWNS);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const first = DateTime.fromISO('2026-03-02', { zone: ZONE });
  const lastDay = first.plus({ weeks: size.weeks }).minus({ days: 1 }).toISODate() ?? '2026-03-02';
  const period = { start: first.toMillis(), end: first.plus({ weeks: size.weeks }).toMillis() };
  const days = size.weeks * 7;
  const typeNames = ['street-sweeper', 'sewer-camera', 'excavator', 'mulcher', 'snow-plough'].slice(
    0,
    size.types,
  );
  const resources: SolverResource[] = [];
  typeNames.forEach((type) => {
    for (let i = 0; i < size.machinesPerType; i++)
      resources.push(
        machine(`${type}-${i + 1}`, type, pick(towns), workdays('2026-03-02', lastDay), {
          requiredQualification: type === 'sewer-camera' ? 'sewer-camera-certified' : null,
        }),
      );
  });
  const staffCount = Math.max(2, Math.ceil(size.machinesPerType / 2));
  for (let i = 0; i < staffCount; i++)
    resources.push(
      person(
        `op-${i + 1}`,
        pick(towns),
        i % 2 === 0 ? ['sewer-camera-certified', 'licence-CE'] : ['licence-CE'],
        workdays('2026-03-02', lastDay),
      ),
    );

  const slot = () => {
    const day = first.plus({ days: Math.floor(random() * days) });
    const startHour = 7 + Math.floor(random() * 5);
    const hours = 1 + Math.floor(random() * Math.min(8, 16 - startHour));
    return { day, startHour, hours };
  };
  const bookings: SolverBooking[] = [];
  const busy = new Map<string, { start: number; end: number; site: string }[]>();
  const free = (resourceId: string, site: string, start: number, end: number): boolean =>
    (busy.get(resourceId) ?? []).every(
      (b) =>
        b.end + travelMinutes(b.site, site, resourceId) * 60_000 <= start ||
        end + travelMinutes(site, b.site, resourceId) * 60_000 <= b.start,
    );
  const occupy = (resourceId: string, site: string, start: number, end: number) =>
    busy.set(resourceId, [...(busy.get(resourceId) ?? []), { start, end, site }]);
  const machines = resources.filter((r) => r.kind === 'machine');
  const staff = resources.filter((r) => r.kind === 'staff');
  for (let k = 0, tries = 0; k < size.bookings && tries < size.bookings * 20; tries++) {
    const m = pick(machines);
    const { day, startHour, hours } = slot();
    if (day.weekday > 5) continue;
    const start = day.set({ hour: startHour }).toMillis();
    const end = start + hours * HOUR;
    const site = pick(towns);
    if (!free(m.id, site, start, end)) continue;
    const id = `b${k + 1}`;
    const roll = random();
    const flexible =
      roll < 0.3
        ? {
            start: day.startOf('week').set({ hour: 7 }).toMillis(),
            end: day.startOf('week').plus({ days: 4 }).set({ hour: 16 }).toMillis(),
          }
        : undefined;
    const b: SolverBooking = {
      id,
      resourceId: m.id,
      municipalityId: site,
      siteId: site,
      start,
      end,
      priority: roll > 0.92 ? 'emergency' : 'normal',
      ...(flexible && flexible.start <= start && end <= flexible.end ? { flexible } : {}),
    };
    if (m.requiredQualification && random() < 0.7) {
      const op = staff.find(
        (s) => s.qualifications.includes(m.requiredQualification ?? '') && free(s.id, site, start, end),
      );
      if (!op) continue;
      occupy(op.id, site, start, end);
      bookings.push({
        ...b,
        id: `${id}-op`,
        resourceId: op.id,
        operatorForBookingId: id,
        flexible: undefined,
      });
    }
    occupy(m.id, site, start, end);
    bookings.push(b);
    k++;
  }
  const requests: SolverRequest[] = [];
  for (let k = 0; k < size.requests; k++) {
    const { day, startHour, hours } = slot();
    const start = day.set({ hour: startHour }).toMillis();
    const withWindow = random() < 0.4;
    requests.push({
      id: `r${k + 1}`,
      type: pick(typeNames),
      municipalityId: pick(towns),
      siteId: pick(towns),
      start,
      end: start + hours * HOUR,
      ...(withWindow
        ? { window: { start: start - 2 * 24 * HOUR, end: start + hours * HOUR + 2 * 24 * HOUR } }
        : {}),
      priority: random() < 0.1 ? 'emergency' : 'normal',
      source: pick(['waitlist', 'displaced', 'refused'] as const),
    });
  }
  return poolModel({ period, resources, bookings, requests });
}
