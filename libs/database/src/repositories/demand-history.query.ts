import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

export interface DemandByType {
  type: string;
  /** Hours booked (not cancelled) plus hours asked for and never served, in the span. */
  hours: number;
  bookings: number;
  requests: number;
}

/**
 * A municipality's own demand in the past, in any pool, by resource type: what it booked and
 * what it asked for without being served. Used to estimate a joining municipality's demand.
 */
@Injectable()
export class DemandHistoryQuery {
  constructor(private readonly uow: UnitOfWork) {}

  async byType(municipalityId: string, from: Date, to: Date): Promise<DemandByType[]> {
    const rows: { type: string; hours: string; bookings: string; requests: string }[] = await this.uow
      .manager()
      .query(
        `SELECT type, SUM(hours)::text AS hours, SUM(bookings)::text AS bookings, SUM(requests)::text AS requests
           FROM (
             SELECT r.type,
                    EXTRACT(EPOCH FROM (LEAST(b.end_at, $3) - GREATEST(b.start_at, $2))) / 3600 AS hours,
                    1 AS bookings, 0 AS requests
               FROM bookings b JOIN resources r ON r.id = b.resource_id
              WHERE b.municipality_id = $1 AND b.status = 'active'
                AND b.operator_for_booking_id IS NULL
                AND b.start_at < $3 AND b.end_at > $2
             UNION ALL
             SELECT w.resource_type,
                    EXTRACT(EPOCH FROM (LEAST(w.end_at, $3) - GREATEST(w.start_at, $2))) / 3600,
                    0, 1
               FROM waitlist_entries w
              WHERE w.municipality_id = $1 AND w.status NOT IN ('fulfilled', 'withdrawn')
                AND w.start_at < $3 AND w.end_at > $2
           ) demand
          GROUP BY type
          ORDER BY type`,
        [municipalityId, from, to],
      );
    return rows.map((r) => ({
      type: r.type,
      hours: Number(r.hours),
      bookings: Number(r.bookings),
      requests: Number(r.requests),
    }));
  }
}
