import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import type { UserRole } from '../entities';

export interface CalendarFeedRow {
  id: string;
  userId: string;
  resourceId: string | null;
  resourceName: string | null;
  name: string;
  language: 'de' | 'en';
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewCalendarFeed {
  userId: string;
  resourceId: string | null;
  name: string;
  language: 'de' | 'en';
  tokenHash: string;
}

/** A feed found by its token, with the user whose rights it reads with. */
export interface FeedOwner {
  feed: CalendarFeedRow;
  userName: string;
  role: UserRole;
  municipalityId: string | null;
  userDisabledAt: Date | null;
  /** Pools the user coordinates. */
  poolIds: string[];
}

/** A booking as a calendar shows it: times, names, and the private fields (the renderer masks). */
export interface FeedBookingRow {
  id: string;
  poolId: string;
  poolName: string;
  municipalityId: string;
  municipalityName: string;
  siteName: string;
  resourceId: string;
  resourceName: string;
  resourceKind: 'machine' | 'staff';
  startAt: Date;
  endAt: Date;
  updatedAt: Date;
  sequence: number;
  priority: 'normal' | 'emergency';
  notes: string | null;
  contact: string | null;
  /** Staff operating this machine booking. */
  operatorNames: string | null;
  /** For an operator's booking: the machine operated. */
  machineName: string | null;
}

const FEED_COLUMNS = `f.id, f.user_id, f.resource_id, r.name AS resource_name, f.name, f.language, f.created_at,
                      f.revoked_at, f.last_used_at`;

function feedFromRow(r: Record<string, unknown>): CalendarFeedRow {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    resourceId: (r.resource_id as string | null) ?? null,
    resourceName: (r.resource_name as string | null) ?? null,
    name: r.name as string,
    language: r.language as 'de' | 'en',
    createdAt: r.created_at as Date,
    revokedAt: (r.revoked_at as Date | null) ?? null,
    lastUsedAt: (r.last_used_at as Date | null) ?? null,
  };
}

@Injectable()
export class CalendarFeedRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async insert(f: NewCalendarFeed): Promise<CalendarFeedRow> {
    const [row]: Record<string, unknown>[] = await this.uow.manager().query(
      `WITH ins AS (INSERT INTO calendar_feeds (user_id, resource_id, name, language, token_hash)
                    VALUES ($1, $2, $3, $4, $5) RETURNING *)
       SELECT ${FEED_COLUMNS} FROM ins f LEFT JOIN resources r ON r.id = f.resource_id`,
      [f.userId, f.resourceId, f.name, f.language, f.tokenHash],
    );
    return feedFromRow(row);
  }

  async findById(id: string): Promise<CalendarFeedRow | null> {
    const rows: Record<string, unknown>[] = await this.uow
      .manager()
      .query(
        `SELECT ${FEED_COLUMNS} FROM calendar_feeds f LEFT JOIN resources r ON r.id = f.resource_id WHERE f.id = $1`,
        [id],
      );
    return rows[0] ? feedFromRow(rows[0]) : null;
  }

  async listByUser(userId: string): Promise<CalendarFeedRow[]> {
    const rows: Record<string, unknown>[] = await this.uow.manager().query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feeds f LEFT JOIN resources r ON r.id = f.resource_id
        WHERE f.user_id = $1 ORDER BY f.created_at DESC, f.id`,
      [userId],
    );
    return rows.map(feedFromRow);
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.uow
      .manager()
      .query(`UPDATE calendar_feeds SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
  }

  async findByTokenHash(tokenHash: string): Promise<FeedOwner | null> {
    const rows: Record<string, unknown>[] = await this.uow.manager().query(
      `SELECT ${FEED_COLUMNS}, u.name AS user_name, u.role, u.municipality_id, u.disabled_at,
              ARRAY(SELECT up.pool_id::text FROM user_pools up WHERE up.user_id = u.id ORDER BY up.pool_id) AS pool_ids
         FROM calendar_feeds f JOIN users u ON u.id = f.user_id LEFT JOIN resources r ON r.id = f.resource_id
        WHERE f.token_hash = $1`,
      [tokenHash],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      feed: feedFromRow(r),
      userName: r.user_name as string,
      role: r.role as UserRole,
      municipalityId: (r.municipality_id as string | null) ?? null,
      userDisabledAt: (r.disabled_at as Date | null) ?? null,
      poolIds: r.pool_ids as string[],
    };
  }

  /** Records a fetch, at most once a minute per feed. */
  async touch(id: string): Promise<void> {
    await this.uow.manager().query(
      `UPDATE calendar_feeds SET last_used_at = now()
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  /**
   * Active bookings in [from, to) that the running unit of work's tenant sees (row-level security
   * decides), in start order: those of one resource, or else the machine bookings and directly
   * booked staff (an operator's booking shows as its machine booking's operator).
   */
  async bookings(filter: {
    resourceId: string | null;
    from: Date;
    to: Date;
    limit: number;
  }): Promise<FeedBookingRow[]> {
    const rows: Record<string, unknown>[] = await this.uow.manager().query(
      `SELECT b.id, b.pool_id, p.name AS pool_name, b.municipality_id, m.name AS municipality_name,
              s.name AS site_name, b.resource_id, r.name AS resource_name, r.kind AS resource_kind,
              b.start_at, b.end_at, b.updated_at, b.sequence, b.priority, b.notes, b.contact,
              (SELECT string_agg(orr.name, ', ' ORDER BY orr.name)
                 FROM bookings ob JOIN resources orr ON orr.id = ob.resource_id
                WHERE ob.operator_for_booking_id = b.id AND ob.status = 'active') AS operator_names,
              mr.name AS machine_name
         FROM bookings b
         JOIN resources r ON r.id = b.resource_id
         JOIN pools p ON p.id = b.pool_id
         JOIN municipalities m ON m.id = b.municipality_id
         JOIN municipalities s ON s.id = b.site_municipality_id
         LEFT JOIN bookings mb ON mb.id = b.operator_for_booking_id
         LEFT JOIN resources mr ON mr.id = mb.resource_id
        WHERE b.status = 'active' AND b.end_at > $1 AND b.start_at < $2
          AND ($3::uuid IS NULL OR b.resource_id = $3)
          AND ($3::uuid IS NOT NULL OR b.operator_for_booking_id IS NULL)
        ORDER BY b.start_at, b.id
        LIMIT $4`,
      [filter.from, filter.to, filter.resourceId, filter.limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      poolId: r.pool_id as string,
      poolName: r.pool_name as string,
      municipalityId: r.municipality_id as string,
      municipalityName: r.municipality_name as string,
      siteName: r.site_name as string,
      resourceId: r.resource_id as string,
      resourceName: r.resource_name as string,
      resourceKind: r.resource_kind as 'machine' | 'staff',
      startAt: r.start_at as Date,
      endAt: r.end_at as Date,
      updatedAt: r.updated_at as Date,
      sequence: Number(r.sequence),
      priority: r.priority as 'normal' | 'emergency',
      notes: (r.notes as string | null) ?? null,
      contact: (r.contact as string | null) ?? null,
      operatorNames: (r.operator_names as string | null) ?? null,
      machineName: (r.machine_name as string | null) ?? null,
    }));
  }
}
