import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { BookingEntity, BookingEventEntity, BookingUsageEntity } from '../entities';

export type NewBooking = Omit<BookingEntity, 'id' | 'createdAt' | 'updatedAt' | 'sequence' | 'status'> & {
  status?: BookingEntity['status'];
};

export interface BookingFilter {
  resourceId?: string;
  municipalityId?: string;
  poolIds?: string[];
  from?: Date;
  to?: Date;
  status?: BookingEntity['status'];
}

/** The busy time of a resource as the availability search needs it. */
export interface BusyInterval {
  resourceId: string;
  bookingId: string;
  start: Date;
  end: Date;
  blockedStart: Date;
  blockedEnd: Date;
  siteMunicipalityId: string;
}

export const PG_EXCLUSION_VIOLATION = '23P01';

@Injectable()
export class BookingRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get bookings() {
    return this.uow.manager().getRepository(BookingEntity);
  }

  findById(id: string): Promise<BookingEntity | null> {
    return this.bookings.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<BookingEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.bookings.createQueryBuilder('b').where('b.id = ANY(:ids)', { ids }).getMany();
  }

  /** The operator bookings that staff a machine booking. */
  findOperatorsOf(bookingId: string): Promise<BookingEntity[]> {
    return this.bookings.findBy({ operatorForBookingId: bookingId, status: 'active' });
  }

  insert(booking: NewBooking): Promise<BookingEntity> {
    return this.bookings.save(this.bookings.create({ status: 'active', sequence: 0, ...booking }));
  }

  async update(id: string, patch: Partial<BookingEntity>): Promise<void> {
    await this.bookings.update({ id }, patch);
  }

  /**
   * Active bookings whose own time overlaps [start, end), other than `except`. Their transport
   * legs are not counted: a leg follows from the booking before it and is re-derived on writes.
   */
  overlapping(resourceId: string, start: Date, end: Date, except: string[] = []): Promise<BookingEntity[]> {
    return (
      this.bookings
        .createQueryBuilder('b')
        .where(`b.resource_id = :resourceId AND b.status = 'active'`, { resourceId })
        // Plain comparisons, not &&: they are leakproof, so under row-level security PostgreSQL
        // may still use them as index conditions.
        .andWhere(`b.blocked_end > :start AND b.blocked_start < :end`, { start, end })
        .andWhere(`b.start_at < :end AND b.end_at > :start`, { start, end })
        .andWhere('NOT (b.id = ANY(:except))', { except })
        .orderBy('b.start_at')
        .getMany()
    );
  }

  /** The active booking before `at` on the resource: where the machine comes from. */
  previous(resourceId: string, at: Date, except: string[] = []): Promise<BookingEntity | null> {
    return this.bookings
      .createQueryBuilder('b')
      .where(`b.resource_id = :resourceId AND b.status = 'active' AND b.start_at < :at`, { resourceId, at })
      .andWhere('NOT (b.id = ANY(:except))', { except })
      .orderBy('b.start_at', 'DESC')
      .limit(1)
      .getOne();
  }

  /** The active booking starting at or after `at`: where the machine must go next. */
  next(resourceId: string, at: Date, except: string[] = []): Promise<BookingEntity | null> {
    return this.bookings
      .createQueryBuilder('b')
      .where(`b.resource_id = :resourceId AND b.status = 'active' AND b.start_at >= :at`, { resourceId, at })
      .andWhere('NOT (b.id = ANY(:except))', { except })
      .orderBy('b.start_at', 'ASC')
      .limit(1)
      .getOne();
  }

  /**
   * Busy time of many resources in a window. Plain comparisons (leakproof, unlike &&) let
   * PostgreSQL use bookings_resource_blocked_end_idx even under row-level security.
   */
  async busy(resourceIds: string[], from: Date, to: Date): Promise<BusyInterval[]> {
    const rows: {
      resource_id: string;
      id: string;
      start_at: Date;
      end_at: Date;
      blocked_start: Date;
      blocked_end: Date;
      site_municipality_id: string;
    }[] = await this.uow.manager().query(
      `SELECT resource_id, id, start_at, end_at, blocked_start, blocked_end, site_municipality_id
         FROM bookings
        WHERE resource_id = ANY($1::uuid[]) AND status = 'active'
          AND blocked_end > $2 AND blocked_start < $3
        ORDER BY resource_id, start_at`,
      [resourceIds, from, to],
    );
    return rows.map((r) => ({
      resourceId: r.resource_id,
      bookingId: r.id,
      start: r.start_at,
      end: r.end_at,
      blockedStart: r.blocked_start,
      blockedEnd: r.blocked_end,
      siteMunicipalityId: r.site_municipality_id,
    }));
  }

  /** Minutes of active bookings of a resource inside [from, to), for weekly working-time caps. */
  async bookedMinutes(resourceId: string, from: Date, to: Date, except: string[] = []): Promise<number> {
    const rows: { minutes: string | null }[] = await this.uow.manager().query(
      `SELECT sum(extract(epoch FROM (least(end_at, $3) - greatest(start_at, $2))) / 60) AS minutes
         FROM bookings
        WHERE resource_id = $1 AND status = 'active' AND start_at < $3 AND end_at > $2
          AND NOT (id = ANY($4::uuid[]))`,
      [resourceId, from, to, except],
    );
    return Number(rows[0]?.minutes ?? 0);
  }

  list(
    filter: BookingFilter,
    limit: number,
    after?: { startAt: string; id: string },
  ): Promise<BookingEntity[]> {
    const qb = this.bookings.createQueryBuilder('b').orderBy('b.start_at').addOrderBy('b.id').limit(limit);
    qb.where('true');
    if (filter.resourceId) qb.andWhere('b.resource_id = :resourceId', { resourceId: filter.resourceId });
    if (filter.municipalityId)
      qb.andWhere('b.municipality_id = :municipalityId', { municipalityId: filter.municipalityId });
    if (filter.poolIds) qb.andWhere('b.pool_id = ANY(:poolIds)', { poolIds: filter.poolIds });
    if (filter.status) qb.andWhere('b.status = :status', { status: filter.status });
    if (filter.from) qb.andWhere('b.end_at > :from', { from: filter.from });
    if (filter.to) qb.andWhere('b.start_at < :to', { to: filter.to });
    if (after) qb.andWhere('(b.start_at, b.id) > (:startAt, :id)', after);
    return qb.getMany();
  }

  async recordEvent(event: Omit<BookingEventEntity, 'id' | 'createdAt' | 'deliveredAt'>): Promise<void> {
    const repo = this.uow.manager().getRepository(BookingEventEntity);
    await repo.save(repo.create(event));
  }

  findUsage(bookingId: string): Promise<BookingUsageEntity | null> {
    return this.uow.manager().getRepository(BookingUsageEntity).findOneBy({ bookingId });
  }

  async saveUsage(usage: BookingUsageEntity): Promise<BookingUsageEntity> {
    const repo = this.uow.manager().getRepository(BookingUsageEntity);
    await repo.upsert(usage, ['bookingId']);
    return (await repo.findOneBy({ bookingId: usage.bookingId }))!;
  }
}
