import {
  BlackoutEntity,
  BookingEntity,
  MunicipalityEntity,
  PoolEntity,
  PoolTravelTimeEntity,
  ResourceEntity,
} from '../entities';

/**
 * Raw rows (snake_case columns, as `RETURNING *` or `row_to_json` give them) as entities, for the
 * booking engine's hand-written statements. JSON carries timestamps as strings, pg as Dates.
 */
type Row = Record<string, unknown>;

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
const stringOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));

export function bookingFromRow(r: Row): BookingEntity {
  return Object.assign(new BookingEntity(), {
    id: r.id as string,
    poolId: r.pool_id as string,
    resourceId: r.resource_id as string,
    municipalityId: r.municipality_id as string,
    siteMunicipalityId: r.site_municipality_id as string,
    startAt: date(r.start_at),
    endAt: date(r.end_at),
    blockedStart: date(r.blocked_start),
    blockedEnd: date(r.blocked_end),
    status: r.status as BookingEntity['status'],
    priority: r.priority as BookingEntity['priority'],
    operatorForBookingId: stringOrNull(r.operator_for_booking_id),
    seriesId: stringOrNull(r.series_id),
    flexibleStart: dateOrNull(r.flexible_start),
    flexibleEnd: dateOrNull(r.flexible_end),
    notes: stringOrNull(r.notes),
    contact: stringOrNull(r.contact),
    sequence: Number(r.sequence),
    createdBy: stringOrNull(r.created_by),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  });
}

/** A `date` column: pg gives a Date at local midnight unless a parser says otherwise. */
const dayOrNull = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (!(v instanceof Date)) return v as string;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
};

const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function resourceFromRow(r: Row): ResourceEntity {
  return Object.assign(new ResourceEntity(), {
    id: r.id as string,
    poolId: r.pool_id as string,
    kind: r.kind as ResourceEntity['kind'],
    name: r.name as string,
    type: r.type as string,
    homeMunicipalityId: r.home_municipality_id as string,
    attributes: r.attributes as Record<string, unknown>,
    qualifications: r.qualifications as string[],
    requiredQualification: stringOrNull(r.required_qualification),
    hourlyRateCents: Number(r.hourly_rate_cents),
    perUseCents: Number(r.per_use_cents),
    annualFixedCostCents: Number(r.annual_fixed_cost_cents),
    transportSpeedKmh: numberOrNull(r.transport_speed_kmh),
    nextInspectionDue: dayOrNull(r.next_inspection_due),
    weeklyHours: numberOrNull(r.weekly_hours),
    workingHours: r.working_hours ?? null,
    inspectionIntervalMonths: numberOrNull(r.inspection_interval_months),
    retiredAt: dateOrNull(r.retired_at),
    active: r.active as boolean,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  });
}

export function municipalityFromRow(r: Row): MunicipalityEntity {
  return Object.assign(new MunicipalityEntity(), {
    id: r.id as string,
    name: r.name as string,
    ags: r.ags as string,
    population: Number(r.population),
    lat: Number(r.lat),
    lon: Number(r.lon),
    state: r.state as string,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  });
}

export function poolFromRow(r: Row): PoolEntity {
  return Object.assign(new PoolEntity(), {
    id: r.id as string,
    name: r.name as string,
    fieldOfAction: r.field_of_action as string,
    costSharing: r.cost_sharing as PoolEntity['costSharing'],
    costSharingValidFrom: dayOrNull(r.cost_sharing_valid_from),
    operatingHours: r.operating_hours ?? null,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  });
}

export function travelTimeFromRow(r: Row): PoolTravelTimeEntity {
  return Object.assign(new PoolTravelTimeEntity(), {
    poolId: r.pool_id as string,
    fromMunicipalityId: r.from_municipality_id as string,
    toMunicipalityId: r.to_municipality_id as string,
    minutes: Number(r.minutes),
  });
}

export function blackoutFromRow(r: Row): BlackoutEntity {
  return Object.assign(new BlackoutEntity(), {
    id: r.id as string,
    resourceId: r.resource_id as string,
    startAt: date(r.start_at),
    endAt: date(r.end_at),
    reason: r.reason as string,
    createdAt: date(r.created_at),
  });
}

/**
 * TypeORM's query() answers an UPDATE or DELETE with `[rows, affected]` but a SELECT or INSERT
 * with the rows alone; this gives the rows either way.
 */
export function queryRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
