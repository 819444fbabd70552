import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

export type CostGrouping = 'municipality' | 'resource' | 'type' | 'month';

/** The bookings a finance report looks at: one pool, bookings starting in [from, to). */
export interface ReportWindow {
  poolId: string;
  from: Date;
  to: Date;
  /** Only this municipality's bookings (finance staff see their own). */
  municipalityId: string | null;
  /** Bookings that ended before it count even without recorded usage. */
  now: Date;
}

/** Usage at the resource's rates, summed per group, in integer cents. */
export interface CostRow {
  /** The group: a municipality or resource id, a type, or a month (YYYY-MM, Europe/Berlin). */
  key: string;
  /** The group in words: the municipality's or resource's name, the type, the month. */
  name: string;
  /** For resources: type and owner. */
  type: string | null;
  homeMunicipalityId: string | null;
  homeMunicipalityName: string | null;
  bookings: number;
  /** Bookings without recorded usage, charged at their booked hours. */
  estimatedBookings: number;
  recordedHours: number;
  estimatedHours: number;
  recordedCents: number;
  estimatedCents: number;
}

/** Booked hours of a resource in one local month, clipped to the window. */
export interface BookedHoursRow {
  resourceId: string;
  month: string;
  bookings: number;
  bookedHours: number;
}

export interface ReportResource {
  id: string;
  name: string;
  kind: 'machine' | 'staff';
  type: string;
  homeMunicipalityId: string;
  homeMunicipalityName: string;
  /** The home municipality's state, for its public holidays. */
  state: string;
  workingHours: Record<string, [string, string]> | null;
  active: boolean;
}

export interface ReportBlackout {
  resourceId: string;
  start: Date;
  end: Date;
}

/** A past booking whose usage nobody recorded. */
export interface UnrecordedBookingRow {
  bookingId: string;
  start: Date;
  end: Date;
  municipalityId: string;
  municipalityName: string;
  resourceId: string;
  resourceName: string;
  type: string;
  operatorForBookingId: string | null;
  bookedHours: number;
  estimatedCents: number;
}

type Row = Record<string, unknown>;

/**
 * A booking's hours for billing: its recorded operating hours, else its booked hours. An operator
 * booking counts as recorded when the machine booking it staffs has its usage recorded (the job is
 * confirmed; the operator's time is the booked time). Cents per booking are rounded to the cent
 * before summing, as a statement's lines are.
 */
const CHARGED_SQL = `
  SELECT b.id, b.municipality_id, b.resource_id, b.start_at,
         (u.operating_hours IS NOT NULL OR mu.operating_hours IS NOT NULL) AS recorded,
         coalesce(u.operating_hours, extract(epoch FROM b.end_at - b.start_at) / 3600) AS hours,
         r.hourly_rate_cents, r.per_use_cents
    FROM bookings b
    JOIN resources r ON r.id = b.resource_id
    LEFT JOIN booking_usages u ON u.booking_id = b.id AND u.operating_hours IS NOT NULL
    LEFT JOIN booking_usages mu ON mu.booking_id = b.operator_for_booking_id AND mu.operating_hours IS NOT NULL
   WHERE b.pool_id = $1 AND b.status = 'active' AND b.start_at >= $2 AND b.start_at < $3
     AND ($5::uuid IS NULL OR b.municipality_id = $5)
     AND (u.operating_hours IS NOT NULL OR mu.operating_hours IS NOT NULL OR b.end_at <= $4)`;

const GROUPS: Record<CostGrouping, { select: string; join: string; group: string }> = {
  municipality: {
    select: `c.municipality_id::text AS key, m.name AS name, NULL AS type, NULL AS home_id, NULL AS home_name`,
    join: `JOIN municipalities m ON m.id = c.municipality_id`,
    group: `c.municipality_id, m.name`,
  },
  resource: {
    select: `r.id::text AS key, r.name AS name, r.type AS type, r.home_municipality_id AS home_id, h.name AS home_name`,
    join: `JOIN resources r ON r.id = c.resource_id JOIN municipalities h ON h.id = r.home_municipality_id`,
    group: `r.id, r.name, r.type, r.home_municipality_id, h.name`,
  },
  type: {
    select: `r.type AS key, r.type AS name, r.type AS type, NULL AS home_id, NULL AS home_name`,
    join: `JOIN resources r ON r.id = c.resource_id`,
    group: `r.type`,
  },
  month: {
    select: `to_char(c.start_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM') AS key,
             to_char(c.start_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM') AS name,
             NULL AS type, NULL AS home_id, NULL AS home_name`,
    join: ``,
    group: `to_char(c.start_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM')`,
  },
};

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
/** Text and uuid columns arrive as strings. */
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The finance reports' queries: everything is summed in PostgreSQL, so a year of a large pool
 * comes back as a few hundred rows; the one list (bookings without usage) is read page by page.
 */
@Injectable()
export class FinanceReportQuery {
  constructor(private readonly uow: UnitOfWork) {}

  async costs(window: ReportWindow, grouping: CostGrouping): Promise<CostRow[]> {
    const g = GROUPS[grouping];
    const rows: Row[] = await this.uow.manager().query(
      `WITH c AS (${CHARGED_SQL}),
            priced AS (SELECT c.*, round(c.hours * c.hourly_rate_cents) + c.per_use_cents AS cents FROM c)
       SELECT ${g.select},
              count(*) AS bookings,
              count(*) FILTER (WHERE NOT c.recorded) AS estimated_bookings,
              coalesce(sum(c.hours) FILTER (WHERE c.recorded), 0) AS recorded_hours,
              coalesce(sum(c.hours) FILTER (WHERE NOT c.recorded), 0) AS estimated_hours,
              coalesce(sum(c.cents) FILTER (WHERE c.recorded), 0)::bigint AS recorded_cents,
              coalesce(sum(c.cents) FILTER (WHERE NOT c.recorded), 0)::bigint AS estimated_cents
         FROM priced c ${g.join}
        GROUP BY ${g.group}
        ORDER BY 2, 1`,
      [window.poolId, window.from, window.to, window.now, window.municipalityId],
    );
    return rows.map((r) => ({
      key: String(r.key),
      name: String(r.name),
      type: strOrNull(r.type),
      homeMunicipalityId: strOrNull(r.home_id),
      homeMunicipalityName: strOrNull(r.home_name),
      bookings: num(r.bookings),
      estimatedBookings: num(r.estimated_bookings),
      recordedHours: Math.round(num(r.recorded_hours) * 100) / 100,
      estimatedHours: Math.round(num(r.estimated_hours) * 100) / 100,
      recordedCents: num(r.recorded_cents),
      estimatedCents: num(r.estimated_cents),
    }));
  }

  /** The pool's resources (inactive ones too: they may have been used in the window). */
  async resources(poolId: string, homeMunicipalityId: string | null): Promise<ReportResource[]> {
    const rows: Row[] = await this.uow.manager().query(
      `SELECT r.id, r.name, r.kind, r.type, r.home_municipality_id, m.name AS home_name, m.state,
              r.working_hours, r.active
         FROM resources r JOIN municipalities m ON m.id = r.home_municipality_id
        WHERE r.pool_id = $1 AND ($2::uuid IS NULL OR r.home_municipality_id = $2)
        ORDER BY r.name, r.id`,
      [poolId, homeMunicipalityId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      kind: r.kind as 'machine' | 'staff',
      type: String(r.type),
      homeMunicipalityId: String(r.home_municipality_id),
      homeMunicipalityName: String(r.home_name),
      state: String(r.state),
      workingHours: (r.working_hours as Record<string, [string, string]> | null) ?? null,
      active: r.active === true,
    }));
  }

  async blackouts(poolId: string, from: Date, to: Date): Promise<ReportBlackout[]> {
    const rows: Row[] = await this.uow.manager().query(
      `SELECT x.resource_id, x.start_at, x.end_at FROM blackouts x JOIN resources r ON r.id = x.resource_id
        WHERE r.pool_id = $1 AND x.start_at < $3 AND x.end_at > $2`,
      [poolId, from, to],
    );
    return rows.map((r) => ({
      resourceId: String(r.resource_id),
      start: r.start_at as Date,
      end: r.end_at as Date,
    }));
  }

  /**
   * Booked hours per resource and local month, each booking clipped to the window and the month
   * (a night shift over the month's end counts in both).
   */
  async bookedHours(
    poolId: string,
    from: Date,
    to: Date,
    homeMunicipalityId: string | null,
  ): Promise<BookedHoursRow[]> {
    const rows: Row[] = await this.uow.manager().query(
      `WITH months AS (
         SELECT to_char(m, 'YYYY-MM') AS month,
                greatest(m AT TIME ZONE 'Europe/Berlin', $2::timestamptz) AS ms,
                least((m + interval '1 month') AT TIME ZONE 'Europe/Berlin', $3::timestamptz) AS me
           FROM generate_series(date_trunc('month', $2::timestamptz AT TIME ZONE 'Europe/Berlin'),
                                $3::timestamptz AT TIME ZONE 'Europe/Berlin' - interval '1 microsecond',
                                interval '1 month') AS m)
       SELECT b.resource_id, mo.month, count(*) AS bookings,
              sum(extract(epoch FROM least(b.end_at, mo.me) - greatest(b.start_at, mo.ms)) / 3600) AS hours
         FROM months mo
         JOIN bookings b ON b.pool_id = $1 AND b.status = 'active' AND b.start_at < mo.me AND b.end_at > mo.ms
                        AND b.start_at > mo.ms - interval '31 days'
        WHERE ($4::uuid IS NULL OR b.resource_id IN (SELECT id FROM resources WHERE home_municipality_id = $4))
        GROUP BY b.resource_id, mo.month
        ORDER BY b.resource_id, mo.month`,
      [poolId, from, to, homeMunicipalityId],
    );
    return rows.map((r) => ({
      resourceId: String(r.resource_id),
      month: String(r.month),
      bookings: num(r.bookings),
      bookedHours: num(r.hours),
    }));
  }

  /**
   * One page of past, active bookings without recorded usage, in start order after `after`.
   * Keyset pagination on (start_at, id): each page is an index range, however long the list.
   */
  async unrecordedPage(
    window: ReportWindow,
    limit: number,
    after?: { startAt: Date; id: string },
  ): Promise<UnrecordedBookingRow[]> {
    const rows: Row[] = await this.uow.manager().query(
      `SELECT b.id, b.start_at, b.end_at, b.municipality_id, m.name AS municipality_name, b.resource_id,
              r.name AS resource_name, r.type, b.operator_for_booking_id,
              extract(epoch FROM b.end_at - b.start_at) / 3600 AS hours,
              round(extract(epoch FROM b.end_at - b.start_at) / 3600 * r.hourly_rate_cents) + r.per_use_cents AS cents
         FROM bookings b
         JOIN resources r ON r.id = b.resource_id
         JOIN municipalities m ON m.id = b.municipality_id
        WHERE b.pool_id = $1 AND b.status = 'active' AND b.start_at >= $2 AND b.start_at < $3 AND b.end_at <= $4
          AND ($5::uuid IS NULL OR b.municipality_id = $5)
          AND ($6::timestamptz IS NULL OR (b.start_at, b.id) > ($6, $7::uuid))
          AND NOT EXISTS (SELECT 1 FROM booking_usages u WHERE u.booking_id = b.id AND u.operating_hours IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM booking_usages u
                           WHERE u.booking_id = b.operator_for_booking_id AND u.operating_hours IS NOT NULL)
        ORDER BY b.start_at, b.id
        LIMIT $8`,
      [
        window.poolId,
        window.from,
        window.to,
        window.now,
        window.municipalityId,
        after?.startAt ?? null,
        after?.id ?? null,
        limit,
      ],
    );
    return rows.map((r) => ({
      bookingId: String(r.id),
      start: r.start_at as Date,
      end: r.end_at as Date,
      municipalityId: String(r.municipality_id),
      municipalityName: String(r.municipality_name),
      resourceId: String(r.resource_id),
      resourceName: String(r.resource_name),
      type: String(r.type),
      operatorForBookingId: strOrNull(r.operator_for_booking_id),
      bookedHours: Math.round(num(r.hours) * 100) / 100,
      estimatedCents: num(r.cents),
    }));
  }
}
