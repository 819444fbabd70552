import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { BlackoutEntity, BookingEntity, MunicipalityEntity, ResourceEntity } from '../entities';
import { blackoutFromRow, bookingFromRow, municipalityFromRow, resourceFromRow } from './rows';

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

/** What allmende_lock_and_place needs besides the resources to lock: the booking as placed. */
export interface LockedPlacementQuery {
  /** The resource whose calendar is read (one of `lock`). */
  resourceId: string;
  start: Date;
  end: Date;
  except: string[];
  lookbackFrom: Date;
  siteId: string;
  bookerMunicipalityId: string;
  /** Membership of the booker over these local days (yyyy-MM-dd), inclusive. */
  firstDay: string;
  lastDay: string;
}

/** The locked resources (in id order), and the calendar of the booked one when it is among them. */
export interface LockedPlacement {
  locked: ResourceEntity[];
  context: PlacementContext | null;
  /** The pools the acting municipality is a member of, as the tenant settings have them. */
  memberPoolIds: string[];
}

/** One booking of a batch (allmende_lock_and_place_many): its resource is locked and its calendar read. */
export type BatchPlacementQuery = Omit<LockedPlacementQuery, 'except'>;

/** A batch's locked resources and calendars, in the order of the queries. */
export interface LockedBatch {
  /** Per query: the locked resource (null when it does not exist or is not visible) and its calendar. */
  items: { locked: ResourceEntity | null; context: PlacementContext | null }[];
  memberPoolIds: string[];
}

/**
 * The calendar around a new or moved booking, with the facts of the availability rules, in one
 * statement (the SQL function allmende_placement): the booking engine's hot path is a handful of
 * round trips, not one per question. Callers hold the resource's row lock, so this read is stable
 * until they commit.
 */
@Injectable()
export class PlacementContextQuery {
  constructor(private readonly uow: UnitOfWork) {}

  async read(q: PlacementQuery): Promise<PlacementContext> {
    const rows = await this.uow.query<{ c: Row }>(
      'allmende_placement',
      'SELECT allmende_placement($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) AS c',
      [
        q.resourceId,
        q.poolId,
        q.start,
        q.end,
        q.except,
        q.lookbackFrom,
        [...new Set(q.municipalityIds)],
        q.member.municipalityId,
        q.member.firstDay,
        q.member.lastDay,
        q.week?.from ?? null,
        q.week?.to ?? null,
      ],
    );
    return contextFromJson(rows[0].c);
  }

  /**
   * Locks resources (in id order) and reads the calendar of one of them after the locks, in one
   * round trip (allmende_lock_and_place); the first statement of a unit of work also sets its
   * tenant there. The booked resource's depot joins the places, its kind and weekly hours decide
   * the week read, from the locked row.
   */
  async lockAndRead(lock: string[], q: LockedPlacementQuery): Promise<LockedPlacement> {
    const rows = await this.uow.queryAsTenant<{
      p: { locked: Row[]; placement: Row | null; member_pools: string };
    }>(
      'allmende_lock_and_place',
      `SELECT allmende_lock_and_place($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) AS p`,
      [
        [...new Set(lock)],
        q.resourceId,
        q.start,
        q.end,
        q.except,
        q.lookbackFrom,
        q.siteId,
        q.bookerMunicipalityId,
        q.firstDay,
        q.lastDay,
      ],
    );
    const p = rows[0].p;
    return {
      locked: p.locked.map(resourceFromRow),
      context: p.placement ? contextFromJson(p.placement) : null,
      memberPoolIds: p.member_pools ? p.member_pools.split(',') : [],
    };
  }

  /**
   * Locks the resources of several bookings, one booking per resource, and reads every booking's
   * calendar after the locks, in one statement (allmende_lock_and_place_many): as lockAndRead for
   * each, but with one start of PostgreSQL's executor for all. `queries` must be in resource id
   * order with each resource once (the lock order that keeps batches from deadlocking).
   */
  async lockAndReadMany(queries: BatchPlacementQuery[]): Promise<LockedBatch> {
    for (let i = 1; i < queries.length; i++) {
      if (!(queries[i - 1].resourceId < queries[i].resourceId))
        throw new Error('lockAndReadMany needs the resources in id order, each once');
    }
    const rows = await this.uow.queryAsTenant<{
      p: { items: { locked: Row | null; placement: Row | null }[]; member_pools: string };
    }>(
      'allmende_lock_and_place_many',
      `SELECT allmende_lock_and_place_many($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) AS p`,
      [
        queries.map((q) => q.resourceId),
        queries.map((q) => q.start),
        queries.map((q) => q.end),
        queries.map((q) => q.lookbackFrom),
        queries.map((q) => q.siteId),
        queries.map((q) => q.bookerMunicipalityId),
        queries.map((q) => q.firstDay),
        queries.map((q) => q.lastDay),
      ],
    );
    const p = rows[0].p;
    return {
      items: p.items.map((item) => ({
        locked: item.locked ? resourceFromRow(item.locked) : null,
        context: item.placement ? contextFromJson(item.placement) : null,
      })),
      memberPoolIds: p.member_pools ? p.member_pools.split(',') : [],
    };
  }
}

function contextFromJson(r: Row): PlacementContext {
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
