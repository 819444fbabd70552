import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { BlackoutEntity, BookingEntity, MunicipalityEntity } from '../entities';
import { blackoutFromRow, bookingFromRow, municipalityFromRow } from './rows';

export interface PlacementQuery {
  resourceId: string;
  poolId: string;
  start: Date;
  end: Date;
  /** Bookings to leave out (the one being moved). */
  except: string[];
  /** Busy time and blackouts are read from here on: the earliest a transport leg may start. */
  lookbackFrom: Date;
  /** Municipalities whose rows are needed besides the neighbours' sites (depot, site, booker). */
  municipalityIds: string[];
  /** Membership of the booking municipality over these local days (yyyy-MM-dd), inclusive. */
  member: { municipalityId: string; firstDay: string; lastDay: string };
  /** Staff: the local week whose booked minutes count against the weekly hours. */
  week: { from: Date; to: Date } | null;
}

/** Everything placing a booking on a locked resource needs, read in one round trip. */
export interface PlacementContext {
  /** The active booking before `start`: where the resource comes from. */
  previous: BookingEntity | null;
  /** The active booking starting at or after `start`: where it must go next. */
  next: BookingEntity | null;
  /** Active bookings whose blocked time reaches into [lookbackFrom, end), in start order. */
  near: BookingEntity[];
  /** The requested municipalities and the neighbours' sites. */
  municipalities: Map<string, MunicipalityEntity>;
  /** The pool's travel-time matrix entries between those municipalities. */
  travelOverrides: { fromMunicipalityId: string; toMunicipalityId: string; minutes: number }[];
  isMember: boolean;
  /** Blackouts overlapping [lookbackFrom, end). */
  blackouts: BlackoutEntity[];
  /** Minutes of active bookings inside `week` (0 without one). */
  weekMinutes: number;
}

type Row = Record<string, unknown>;

/**
 * Neighbours (the bookings before and after `start`), the bookings that could collide, and the
 * rule facts. Only one active booking can start before the lookback and still reach into it, and
 * only one can start after the end and reach back before it (blocked intervals are disjoint), so
 * "near" is a bounded index range plus those two, whatever the calendar's length.
 */
const PLACEMENT_SQL = `
  WITH prev AS (
    SELECT * FROM bookings
     WHERE resource_id = $1 AND status = 'active' AND start_at < $2 AND NOT (id = ANY($4::uuid[]))
     ORDER BY start_at DESC LIMIT 1),
  nxt AS (
    SELECT * FROM bookings
     WHERE resource_id = $1 AND status = 'active' AND start_at >= $2 AND NOT (id = ANY($4::uuid[]))
     ORDER BY start_at LIMIT 1),
  near AS (
    (SELECT * FROM bookings
      WHERE resource_id = $1 AND status = 'active' AND start_at < $5 AND NOT (id = ANY($4::uuid[]))
      ORDER BY start_at DESC LIMIT 1)
    UNION ALL
    (SELECT * FROM bookings
      WHERE resource_id = $1 AND status = 'active' AND start_at >= $5 AND start_at < $3
        AND NOT (id = ANY($4::uuid[])))
    UNION ALL
    (SELECT * FROM bookings
      WHERE resource_id = $1 AND status = 'active' AND start_at >= $3 AND NOT (id = ANY($4::uuid[]))
      ORDER BY start_at LIMIT 1)),
  places AS (
    SELECT * FROM municipalities
     WHERE id = ANY($6::uuid[])
        OR id IN (SELECT site_municipality_id FROM prev UNION ALL SELECT site_municipality_id FROM nxt))
  SELECT
    (SELECT row_to_json(prev) FROM prev) AS previous,
    (SELECT row_to_json(nxt) FROM nxt) AS next,
    (SELECT coalesce(json_agg(near ORDER BY near.start_at), '[]') FROM near
      WHERE near.blocked_end > $5 AND near.blocked_start < $3) AS near,
    (SELECT coalesce(json_agg(places), '[]') FROM places) AS places,
    (SELECT coalesce(json_agg(t), '[]') FROM pool_travel_times t
      WHERE t.pool_id = $7 AND t.from_municipality_id IN (SELECT id FROM places)
        AND t.to_municipality_id IN (SELECT id FROM places)) AS overrides,
    EXISTS (SELECT 1 FROM pool_members
             WHERE pool_id = $7 AND municipality_id = $8
               AND joined_on <= $9::date AND (left_on IS NULL OR left_on > $10::date)) AS member,
    (SELECT coalesce(json_agg(bl ORDER BY bl.start_at), '[]') FROM blackouts bl
      WHERE bl.resource_id = $1 AND bl.end_at > $5 AND bl.start_at < $3) AS blackouts`;

/** The same, with the minutes booked in the week [$11, $12) (staff with weekly hours). */
const PLACEMENT_WITH_WEEK_SQL = `${PLACEMENT_SQL},
    (SELECT coalesce(sum(extract(epoch FROM (least(w.end_at, $12) - greatest(w.start_at, $11))) / 60), 0)
       FROM bookings w
      WHERE w.resource_id = $1 AND w.status = 'active' AND w.start_at < $12 AND w.end_at > $11
        AND NOT (w.id = ANY($4::uuid[]))) AS week_minutes`;

/**
 * The calendar around a new or moved booking, with the facts of the availability rules, in one
 * statement: the booking engine's hot path is a handful of round trips, not one per question.
 * Plain timestamp comparisons (leakproof, unlike &&) keep the indexes usable under row-level
 * security. Callers hold the resource's row lock, so this read is stable until they commit.
 */
@Injectable()
export class PlacementContextQuery {
  constructor(private readonly uow: UnitOfWork) {}

  async read(q: PlacementQuery): Promise<PlacementContext> {
    const rows = await this.uow.query<Row>(
      q.week ? 'allmende_placement_week' : 'allmende_placement',
      q.week ? PLACEMENT_WITH_WEEK_SQL : PLACEMENT_SQL,
      [
        q.resourceId,
        q.start,
        q.end,
        q.except,
        q.lookbackFrom,
        [...new Set(q.municipalityIds)],
        q.poolId,
        q.member.municipalityId,
        q.member.firstDay,
        q.member.lastDay,
        ...(q.week ? [q.week.from, q.week.to] : []),
      ],
    );
    const r = rows[0];
    const places = (r.places as Row[]).map(municipalityFromRow);
    return {
      previous: r.previous ? bookingFromRow(r.previous as Row) : null,
      next: r.next ? bookingFromRow(r.next as Row) : null,
      near: (r.near as Row[]).map(bookingFromRow),
      municipalities: new Map(places.map((m) => [m.id, m])),
      travelOverrides: (r.overrides as Row[]).map((t) => ({
        fromMunicipalityId: t.from_municipality_id as string,
        toMunicipalityId: t.to_municipality_id as string,
        minutes: Number(t.minutes),
      })),
      isMember: r.member as boolean,
      blackouts: (r.blackouts as Row[]).map(blackoutFromRow),
      weekMinutes: Number(r.week_minutes ?? 0),
    };
  }
}
