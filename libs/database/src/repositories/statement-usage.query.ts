import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

/** One stretch of a period with the settings that decide how usage is charged. */
export interface UsageSegment {
  from: Date;
  to: Date;
  /** Charge the booked hours of a booking without recorded usage (else nothing). */
  chargeBookedHours: boolean;
  transportRateCentsPerKm: number | null;
}

/** The bookings of one resource by one municipality in one segment, summed in SQL. */
export interface UsageGroupRow {
  segment: number;
  bookerId: string;
  resourceId: string;
  estimated: boolean;
  bookings: number;
  hoursHundredths: number;
  hoursCents: number;
  perUseCents: number;
  transportKmTenths: number;
  transportCents: number;
  firstAt: Date;
  lastAt: Date;
  bookingId: string | null;
}

/**
 * The usage of a pool's period, aggregated in PostgreSQL: every active booking starting in the
 * period, its hours (recorded operating hours, else the meter difference, else for an operator the
 * hours recorded on the machine booking it staffs, else — by the pool's setting — the booked hours
 * or nothing), charged at the resource's hourly rate and per-use fee, and transport km (round trip
 * depot → site: great-circle × 1.3, as the booking engine's travel estimate) at the pool's rate.
 * Sums are exact (numeric) and rounded to cents once per group. Only the groups reach Node.
 */
export const USAGE_GROUPS_SQL = `
WITH seg AS (
  SELECT (s.idx - 1)::int AS segment, s.from_at, s.to_at, s.bill_booked, s.km_rate
    FROM unnest($2::timestamptz[], $3::timestamptz[], $4::boolean[], $5::int[]) WITH ORDINALITY
         AS s(from_at, to_at, bill_booked, km_rate, idx)
),
charged AS (
  SELECT seg.segment, b.municipality_id AS booker, b.resource_id, b.site_municipality_id AS site, b.id,
         b.start_at, seg.km_rate, r.is_machine,
         x.recorded IS NULL AS estimated,
         CASE WHEN x.recorded IS NOT NULL THEN x.recorded
              WHEN seg.bill_booked THEN round((extract(epoch FROM b.end_at - b.start_at) / 3600)::numeric, 2)
              ELSE 0 END AS hours,
         (x.recorded IS NOT NULL OR seg.bill_booked) AS billed
    FROM bookings b
    JOIN seg ON b.start_at >= seg.from_at AND b.start_at < seg.to_at
    JOIN LATERAL (SELECT rr.kind = 'machine' AS is_machine FROM resources rr WHERE rr.id = b.resource_id) r ON true
    LEFT JOIN booking_usages u ON u.booking_id = b.id
    LEFT JOIN booking_usages mu ON mu.booking_id = b.operator_for_booking_id
    CROSS JOIN LATERAL (SELECT coalesce(u.operating_hours, u.meter_end - u.meter_start,
                                        mu.operating_hours, mu.meter_end - mu.meter_start) AS recorded) x
   WHERE b.pool_id = $1 AND b.status = 'active' AND b.start_at >= $6 AND b.start_at < $7
),
by_site AS (
  SELECT segment, booker, resource_id, site, estimated, km_rate, is_machine,
         count(*) AS bookings, sum(hours) AS hours, count(*) FILTER (WHERE billed) AS billed,
         min(start_at) AS first_at, max(start_at) AS last_at, min(id::text) AS some_id
    FROM charged
   GROUP BY segment, booker, resource_id, site, estimated, km_rate, is_machine
),
with_km AS (
  SELECT s.*, CASE WHEN s.km_rate IS NULL OR NOT s.is_machine THEN 0
                   ELSE s.billed * 2 * 1.3 * 6371 * 2 * asin(sqrt(
                     power(sin(radians(site.lat - home.lat) / 2), 2)
                     + cos(radians(home.lat)) * cos(radians(site.lat)) * power(sin(radians(site.lon - home.lon) / 2), 2)))
              END AS km
    FROM by_site s
    JOIN resources r ON r.id = s.resource_id
    JOIN municipalities home ON home.id = r.home_municipality_id
    JOIN municipalities site ON site.id = s.site
)
SELECT g.segment, g.booker, g.resource_id, g.estimated,
       sum(g.bookings)::int AS bookings,
       (sum(g.hours) * 100)::bigint AS hours_hundredths,
       round(sum(g.hours) * r.hourly_rate_cents)::bigint AS hours_cents,
       (sum(g.billed) * r.per_use_cents)::bigint AS per_use_cents,
       round(sum(g.km)::numeric * 10)::bigint AS km_tenths,
       coalesce(round(round(sum(g.km)::numeric, 1) * max(g.km_rate)), 0)::bigint AS transport_cents,
       min(g.first_at) AS first_at, max(g.last_at) AS last_at,
       CASE WHEN sum(g.bookings) = 1 THEN min(g.some_id) END AS booking_id
  FROM with_km g
  JOIN resources r ON r.id = g.resource_id
 GROUP BY g.segment, g.booker, g.resource_id, g.estimated, r.hourly_rate_cents, r.per_use_cents`;

@Injectable()
export class StatementUsageQuery {
  constructor(private readonly uow: UnitOfWork) {}

  async groups(poolId: string, segments: UsageSegment[]): Promise<UsageGroupRow[]> {
    const rows: {
      segment: number;
      booker: string;
      resource_id: string;
      estimated: boolean;
      bookings: number;
      hours_hundredths: string;
      hours_cents: string;
      per_use_cents: string;
      km_tenths: string;
      transport_cents: string;
      first_at: Date;
      last_at: Date;
      booking_id: string | null;
    }[] = await this.uow.manager().query(USAGE_GROUPS_SQL, usageParams(poolId, segments));
    return rows.map((r) => ({
      segment: r.segment,
      bookerId: r.booker,
      resourceId: r.resource_id,
      estimated: r.estimated,
      bookings: r.bookings,
      hoursHundredths: Number(r.hours_hundredths),
      hoursCents: Number(r.hours_cents),
      perUseCents: Number(r.per_use_cents),
      transportKmTenths: Number(r.km_tenths),
      transportCents: Number(r.transport_cents),
      firstAt: r.first_at,
      lastAt: r.last_at,
      bookingId: r.booking_id,
    }));
  }
}

/** The query's parameters (exported for the benchmark, which runs the same statement). */
export function usageParams(poolId: string, segments: UsageSegment[]): unknown[] {
  return [
    poolId,
    segments.map((s) => s.from),
    segments.map((s) => s.to),
    segments.map((s) => s.chargeBookedHours),
    segments.map((s) => s.transportRateCentsPerKm),
    segments[0].from,
    segments[segments.length - 1].to,
  ];
}
