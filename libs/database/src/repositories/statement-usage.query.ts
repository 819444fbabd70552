import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

/** Up to this many bookings in a period, a statement has a line per booking. */
export const PER_BOOKING_LINES_UP_TO = 5_000;

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
  /** Local dates (Europe/Berlin) of the first and last booking's start. */
  firstDate: string;
  lastDate: string;
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
/**
 * The query for `segments` stretches of the period (the segment of a booking by its start, with a
 * CASE over the cut instants rather than a join, so PostgreSQL estimates the period's rows and
 * hashes the usage join). Parameters: $1 pool, $2 period start, $3 period end, $4 cut instants
 * (segment starts after the first), $5 charge-booked-hours per segment, $6 km rate per segment.
 */
export function usageGroupsSql(segments: number, perBooking = false): string {
  const segment =
    segments <= 1
      ? // $4 (no cuts) must still be typed: a parameter the text never names has no type.
        'least(cardinality($4::timestamptz[]), 0)'
      : `CASE ${Array.from({ length: segments - 1 }, (_, i) => `WHEN b.start_at < ($4::timestamptz[])[${i + 1}] THEN ${i}`).join(' ')} ELSE ${segments - 1} END`;
  return `
WITH per_booking AS (
  SELECT ${segment} AS segment, b.municipality_id AS booker, b.resource_id, b.site_municipality_id AS site, b.id,
         b.start_at, b.end_at,
         coalesce(u.operating_hours, u.meter_end - u.meter_start,
                  CASE WHEN u.booking_id IS NULL AND b.operator_for_booking_id IS NOT NULL THEN
                    (SELECT coalesce(mu.operating_hours, mu.meter_end - mu.meter_start)
                       FROM booking_usages mu WHERE mu.booking_id = b.operator_for_booking_id) END) AS recorded
    FROM bookings b
    LEFT JOIN booking_usages u ON u.booking_id = b.id
   WHERE b.pool_id = $1 AND b.status = 'active' AND b.start_at >= $2 AND b.start_at < $3
),
by_site AS (
  SELECT segment, booker, resource_id, site, recorded IS NULL AS estimated,
         count(*) AS bookings,
         -- A group is all recorded or all estimated: the booked hours are computed only where needed.
         sum(CASE WHEN recorded IS NULL THEN round((extract(epoch FROM end_at - start_at) / 3600)::numeric, 2)
                  ELSE recorded END) AS hours,
         min(start_at) AS first_at, max(start_at) AS last_at,
         -- Bytewise, not by the locale: the id of a group of one booking, at a tenth of the cost.
         CASE WHEN count(*) = 1 THEN min(id::text COLLATE "C") END AS only_id
    FROM per_booking
   GROUP BY segment, booker, resource_id, site, recorded IS NULL${perBooking ? ', id' : ''}
),
charged AS (
  SELECT s.segment, s.booker, s.resource_id, s.estimated, s.bookings, s.first_at, s.last_at, s.only_id,
         r.hourly_rate_cents, r.per_use_cents,
         CASE WHEN s.estimated AND NOT ($5::boolean[])[s.segment + 1] THEN 0 ELSE s.hours END AS hours,
         CASE WHEN s.estimated AND NOT ($5::boolean[])[s.segment + 1] THEN 0 ELSE s.bookings END AS billed,
         ($6::int[])[s.segment + 1] AS km_rate,
         CASE WHEN ($6::int[])[s.segment + 1] IS NULL OR r.kind <> 'machine' THEN 0
              ELSE 2 * 1.3 * 6371 * 2 * asin(sqrt(
                power(sin(radians(site.lat - home.lat) / 2), 2)
                + cos(radians(home.lat)) * cos(radians(site.lat)) * power(sin(radians(site.lon - home.lon) / 2), 2)))
         END AS km_per_booking
    FROM by_site s
    JOIN resources r ON r.id = s.resource_id
    JOIN municipalities home ON home.id = r.home_municipality_id
    JOIN municipalities site ON site.id = s.site
)
SELECT segment, booker, resource_id, estimated,
       sum(bookings)::int AS bookings,
       (sum(hours) * 100)::bigint AS hours_hundredths,
       round(sum(hours) * hourly_rate_cents)::bigint AS hours_cents,
       (sum(billed) * per_use_cents)::bigint AS per_use_cents,
       round(sum(billed * km_per_booking)::numeric * 10)::bigint AS km_tenths,
       coalesce(round(round(sum(billed * km_per_booking)::numeric, 1) * max(km_rate)), 0)::bigint AS transport_cents,
       to_char(min(first_at) AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD') AS first_date,
       to_char(max(last_at) AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD') AS last_date,
       CASE WHEN sum(bookings) = 1 THEN min(only_id) END AS booking_id
  FROM charged
 GROUP BY segment, booker, resource_id, estimated, hourly_rate_cents, per_use_cents${perBooking ? ', only_id' : ''}`;
}

/**
 * How the usage query runs (exported for the benchmark, which runs its bare aggregation the same
 * way as well as with the server's defaults). A month of a large pool is a million bookings joined
 * to their usage and grouped to a few thousand rows:
 * - work_mem: the join and the groups hashed in memory rather than spilled to disk;
 * - jit off: compiling the expressions took 0.4–1.7 s of a 1–3 s query, more than it saved;
 * - hashed, not sorted: sorting the million rows to group them cost 1.4–2× the CPU of hashing
 *   them, and the planner's group estimates (a uuid key) led it there; a small pool's few rows
 *   hash as cheaply;
 * - no parallel workers: the parallel plans gathered the million rows sorted (a Gather Merge),
 *   slower than one process hashing them; on a busy server the extra processes gain nothing.
 */
export const USAGE_QUERY_SETTINGS: Readonly<Record<string, string>> = {
  work_mem: '64MB',
  jit: 'off',
  enable_sort: 'off',
  max_parallel_workers_per_gather: '0',
};

function setConfigSql(names: string[]): string {
  return `SELECT ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`;
}

/** The query for a period under one agreement (exported for the benchmark). */
export const USAGE_GROUPS_SQL = usageGroupsSql(1);

@Injectable()
export class StatementUsageQuery {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Runs the query under USAGE_QUERY_SETTINGS and puts the previous values back afterwards, so the
   * rest of the unit of work's transaction plans as usual. set_config(…, true) lasts at most to the
   * end of the transaction (and does nothing outside one).
   */
  private async tuned<T>(work: () => Promise<T>): Promise<T> {
    const m = this.uow.manager();
    const names = Object.keys(USAGE_QUERY_SETTINGS);
    const [saved]: Record<string, string>[] = await m.query(
      `SELECT ${names.map((n, i) => `current_setting($${i + 1}) AS "${n}"`).join(', ')}`,
      names,
    );
    await m.query(
      setConfigSql(names),
      names.flatMap((n) => [n, USAGE_QUERY_SETTINGS[n]]),
    );
    const result = await work();
    await m.query(
      setConfigSql(names),
      names.flatMap((n) => [n, saved[n]]),
    );
    return result;
  }

  /**
   * The usage of a period: one group per booking while the period has at most
   * PER_BOOKING_LINES_UP_TO bookings (a statement lists each booking), else one per resource and
   * booker (a month of a very large pool would otherwise be a million lines).
   */
  async groups(poolId: string, segments: UsageSegment[]): Promise<UsageGroupRow[]> {
    const summed = await this.query(poolId, segments, false);
    const bookings = summed.reduce((a, g) => a + g.bookings, 0);
    if (bookings > PER_BOOKING_LINES_UP_TO || summed.every((g) => g.bookings === 1)) return summed;
    return this.query(poolId, segments, true);
  }

  private async query(
    poolId: string,
    segments: UsageSegment[],
    perBooking: boolean,
  ): Promise<UsageGroupRow[]> {
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
      first_date: string;
      last_date: string;
      booking_id: string | null;
    }[] = await this.tuned(() =>
      this.uow.manager().query(usageGroupsSql(segments.length, perBooking), usageParams(poolId, segments)),
    );
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
      firstDate: r.first_date,
      lastDate: r.last_date,
      bookingId: r.booking_id,
    }));
  }
}

/** The query's parameters (exported for the benchmark, which runs the same statement). */
export function usageParams(poolId: string, segments: UsageSegment[]): unknown[] {
  return [
    poolId,
    segments[0].from,
    segments[segments.length - 1].to,
    segments.slice(1).map((s) => s.from),
    segments.map((s) => s.chargeBookedHours),
    segments.map((s) => s.transportRateCentsPerKm),
  ];
}
