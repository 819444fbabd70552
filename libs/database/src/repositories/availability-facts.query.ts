import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import {
  BlackoutEntity,
  MunicipalityEntity,
  PoolEntity,
  PoolTravelTimeEntity,
  ResourceEntity,
} from '../entities';
import type { BusyInterval } from './booking.repository';
import {
  blackoutFromRow,
  municipalityFromRow,
  poolFromRow,
  resourceFromRow,
  travelTimeFromRow,
} from './rows';

type Row = Record<string, unknown>;

/** The pool, its active resources of one type (by name), the site and the acting tenant's member pools. */
export interface AvailabilityHead {
  pool: PoolEntity | null;
  resources: ResourceEntity[];
  /** The asked site, or the first resource's depot when none is asked. */
  site: MunicipalityEntity | null;
  /** The pools the acting municipality is a member of, as the tenant settings have them. */
  memberPoolIds: string[];
}

/** What the free windows of some resources of one pool are computed from. */
export interface AvailabilityCalendar {
  /** Active bookings whose blocked time reaches into the busy range, by resource and start. */
  busy: BusyInterval[];
  /** Blackouts overlapping the searched period, by start. */
  blackouts: BlackoutEntity[];
  /** The asked places and every busy booking's site. */
  places: MunicipalityEntity[];
  /** The pool's travel-time matrix. */
  travelOverrides: PoolTravelTimeEntity[];
}

/** The head of a search: one statement instead of a pool, a resource and a municipality lookup. */
const HEAD_SQL = `
  WITH res AS (
    SELECT * FROM resources r WHERE r.pool_id = $1 AND r.type = $2 AND r.active)
  SELECT (SELECT row_to_json(p) FROM pools p WHERE p.id = $1) AS pool,
         (SELECT coalesce(json_agg(res ORDER BY res.name, res.id), '[]') FROM res) AS resources,
         (SELECT row_to_json(m) FROM municipalities m
           WHERE m.id = coalesce($3::uuid, (SELECT home_municipality_id FROM res ORDER BY name, id LIMIT 1))) AS site,
         current_setting('allmende.member_pool_ids', true) AS member_pools`;

/**
 * Busy time: per resource the active booking before the range, those starting in it and the one
 * after, where their blocked time reaches into the range (blocked intervals of one resource are
 * disjoint, so this is a bounded index range whatever the calendar's length). Exported for the
 * benchmark's EXPLAIN.
 */
export const BUSY_SQL = `SELECT b.resource_id, b.id, b.start_at, b.end_at, b.blocked_start, b.blocked_end, b.site_municipality_id
   FROM unnest($1::uuid[]) AS r(id)
  CROSS JOIN LATERAL (
    (SELECT * FROM bookings
      WHERE resource_id = r.id AND status = 'active' AND start_at < $2
      ORDER BY start_at DESC LIMIT 1)
    UNION ALL
    (SELECT * FROM bookings
      WHERE resource_id = r.id AND status = 'active' AND start_at >= $2 AND start_at < $3)
    UNION ALL
    (SELECT * FROM bookings
      WHERE resource_id = r.id AND status = 'active' AND start_at >= $3
      ORDER BY start_at LIMIT 1)) b
  WHERE b.blocked_end > $2 AND b.blocked_start < $3`;

/** Milliseconds since the epoch: a JSON number, read without parsing a date string. */
const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::bigint`;

/**
 * Busy time, blackouts, the places involved and the pool's travel matrix, in one statement. Each
 * busy interval is an array [resource, booking, start, end, blocked start, blocked end, site] with
 * the instants in epoch milliseconds: a search over weeks of a busy pool reads hundreds of them.
 */
const CALENDAR_SQL = `
  WITH busy AS (${BUSY_SQL})
  SELECT (SELECT coalesce(json_agg(json_build_array(busy.resource_id, busy.id, ${ms('busy.start_at')},
                                                    ${ms('busy.end_at')}, ${ms('busy.blocked_start')},
                                                    ${ms('busy.blocked_end')}, busy.site_municipality_id)
                                   ORDER BY busy.resource_id, busy.start_at), '[]') FROM busy) AS busy,
         (SELECT coalesce(json_agg(bl ORDER BY bl.start_at), '[]') FROM blackouts bl
           WHERE bl.resource_id = ANY ($1::uuid[])
             AND tstzrange(bl.start_at, bl.end_at, '[)') && tstzrange($4, $5, '[)')) AS blackouts,
         (SELECT coalesce(json_agg(m), '[]') FROM municipalities m
           WHERE m.id = ANY ($6::uuid[] || ARRAY(SELECT site_municipality_id FROM busy))) AS places,
         (SELECT coalesce(json_agg(t), '[]') FROM pool_travel_times t WHERE t.pool_id = $7) AS overrides`;

/**
 * The availability search's reads in two prepared statements (the head, then the calendar of the
 * resources found), instead of one round trip per question: a search is CPU in the API and in
 * PostgreSQL, and most of it was spent per round trip. Row-level security applies as to the
 * statements they replace (same tenant, same tables).
 */
@Injectable()
export class AvailabilityFactsQuery {
  constructor(private readonly uow: UnitOfWork) {}

  async head(poolId: string, type: string, siteId: string | null): Promise<AvailabilityHead> {
    const [r] = await this.uow.query<{
      pool: Row | null;
      resources: Row[];
      site: Row | null;
      member_pools: string | null;
    }>('allmende_availability_head', HEAD_SQL, [poolId, type, siteId]);
    return {
      pool: r.pool ? poolFromRow(r.pool) : null,
      resources: r.resources.map(resourceFromRow),
      site: r.site ? municipalityFromRow(r.site) : null,
      memberPoolIds: r.member_pools ? r.member_pools.split(',') : [],
    };
  }

  async calendar(q: {
    poolId: string;
    resourceIds: string[];
    busyFrom: Date;
    busyTo: Date;
    from: Date;
    to: Date;
    placeIds: string[];
    /** Nothing follows this read in the transaction: see UnitOfWork.query. */
    last?: boolean;
  }): Promise<AvailabilityCalendar> {
    const [r] = await this.uow.query<{
      busy: [string, string, number, number, number, number, string][];
      blackouts: Row[];
      places: Row[];
      overrides: Row[];
    }>(
      'allmende_availability_calendar',
      CALENDAR_SQL,
      [q.resourceIds, q.busyFrom, q.busyTo, q.from, q.to, [...new Set(q.placeIds)], q.poolId],
      { last: q.last },
    );
    return {
      busy: r.busy.map(
        ([resourceId, bookingId, start, end, blockedStart, blockedEnd, siteMunicipalityId]) => ({
          resourceId,
          bookingId,
          start: new Date(start),
          end: new Date(end),
          blockedStart: new Date(blockedStart),
          blockedEnd: new Date(blockedEnd),
          siteMunicipalityId,
        }),
      ),
      blackouts: r.blackouts.map(blackoutFromRow),
      places: r.places.map(municipalityFromRow),
      travelOverrides: r.overrides.map(travelTimeFromRow),
    };
  }
}
