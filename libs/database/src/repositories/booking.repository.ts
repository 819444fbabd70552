import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { BookingEntity, BookingEventEntity, BookingUsageEntity } from '../entities';
import { auditInsertCte, auditInsertValues, type AuditRecord } from './audit-log.repository';
import { bookingFromRow } from './rows';

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

export type NewBookingEvent = Omit<BookingEventEntity, 'id' | 'createdAt' | 'deliveredAt'>;

/** What a booking change leaves behind: the notification outbox's event and the audit entry. */
export interface BookingTrail {
  event: NewBookingEvent;
  audit: AuditRecord;
}

/** A following booking whose transport leg changes with the write. */
export interface LegChange {
  bookingId: string;
  blockedStart: Date;
}

export const PG_EXCLUSION_VIOLATION = '23P01';

const placeholders = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');

/** See BookingRepository.insertRecorded. */
const INSERT_BOOKING_SQL = `SELECT allmende_insert_booking(${placeholders(1, 32)}) AS b`;

const eventInsert = (first: number) =>
  `INSERT INTO booking_events (booking_id, waitlist_entry_id, municipality_id, kind, payload)
   VALUES (${placeholders(first, 5)})`;

const eventValues = (e: NewBookingEvent): unknown[] => [
  e.bookingId,
  e.waitlistEntryId,
  e.municipalityId,
  e.kind,
  JSON.stringify(e.payload),
];

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

  /** The active operator bookings of many machine bookings. */
  findOperatorsOfMany(bookingIds: string[]): Promise<BookingEntity[]> {
    if (bookingIds.length === 0) return Promise.resolve([]);
    return this.bookings
      .createQueryBuilder('b')
      .where(`b.operator_for_booking_id = ANY(:ids) AND b.status = 'active'`, { ids: bookingIds })
      .getMany();
  }

  /**
   * Inserts an active booking with its trail (audit entry and outbox event) and moves the
   * following booking's transport leg, in one round trip (allmende_insert_booking). `booking.id`
   * is chosen by the caller, so the trail can name it. `last`: see UnitOfWork.query.
   */
  async insertRecorded(
    booking: NewBooking & { id: string },
    leg: LegChange | null,
    trail: BookingTrail,
    options: { last?: boolean } = {},
  ): Promise<BookingEntity> {
    const b = booking;
    const rows = await this.uow.query<{ b: Record<string, unknown> }>(
      'allmende_insert_booking',
      INSERT_BOOKING_SQL,
      [
        b.id,
        b.poolId,
        b.resourceId,
        b.municipalityId,
        b.siteMunicipalityId,
        b.startAt,
        b.endAt,
        b.blockedStart,
        b.blockedEnd,
        b.priority,
        b.operatorForBookingId,
        b.seriesId,
        b.flexibleStart,
        b.flexibleEnd,
        b.notes,
        b.contact,
        b.createdBy,
        leg?.bookingId ?? null,
        leg?.blockedStart ?? null,
        ...auditInsertValues(trail.audit),
        ...eventValues(trail.event),
      ],
      options,
    );
    this.uow.outboxWritten();
    return bookingFromRow(rows[0].b);
  }

  /**
   * Inserts several active bookings with their trails and moves the following bookings' transport
   * legs, in one round trip (allmende_insert_bookings): as insertRecorded for each, with one
   * statement for the bookings and their audit entries, one for the legs (when there are any) and
   * one for the outbox events. Returns the bookings in the order given. `last`: see UnitOfWork.query.
   */
  async insertRecordedMany(
    entries: { booking: NewBooking & { id: string }; leg: LegChange | null; trail: BookingTrail }[],
    options: { last?: boolean } = {},
  ): Promise<BookingEntity[]> {
    const bookings = entries.map(({ booking: b }) => ({
      id: b.id,
      pool_id: b.poolId,
      resource_id: b.resourceId,
      municipality_id: b.municipalityId,
      site_municipality_id: b.siteMunicipalityId,
      start_at: b.startAt,
      end_at: b.endAt,
      blocked_start: b.blockedStart,
      blocked_end: b.blockedEnd,
      priority: b.priority,
      operator_for_booking_id: b.operatorForBookingId,
      series_id: b.seriesId,
      flexible_start: b.flexibleStart,
      flexible_end: b.flexibleEnd,
      notes: b.notes,
      contact: b.contact,
      created_by: b.createdBy,
    }));
    const legs = entries.flatMap(({ leg }) =>
      leg ? [{ booking_id: leg.bookingId, blocked_start: leg.blockedStart }] : [],
    );
    const audits = entries.map(({ trail: { audit: a } }) => ({
      actor_user_id: a.actorUserId,
      actor_token_name: a.actorTokenName,
      action: a.action,
      entity_type: a.entityType,
      entity_id: a.entityId,
      municipality_id: a.municipalityId,
      before: a.before,
      after: a.after,
    }));
    const events = entries.map(({ trail: { event: e } }) => ({
      booking_id: e.bookingId,
      waitlist_entry_id: e.waitlistEntryId,
      municipality_id: e.municipalityId,
      kind: e.kind,
      payload: e.payload,
    }));
    const rows = await this.uow.query<{ b: Record<string, unknown>[] }>(
      'allmende_insert_bookings',
      'SELECT allmende_insert_bookings($1, $2, $3, $4) AS b',
      [JSON.stringify(bookings), JSON.stringify(legs), JSON.stringify(audits), JSON.stringify(events)],
      options,
    );
    this.uow.outboxWritten();
    const byId = new Map(rows[0].b.map((r) => [r.id as string, bookingFromRow(r)]));
    return entries.map(({ booking }) => byId.get(booking.id)!);
  }

  /** The trail of a change written by other statements (reschedule, cancel). */
  async recordTrail(trail: BookingTrail): Promise<void> {
    await this.uow
      .manager()
      .query(`WITH ${auditInsertCte(6)} ${eventInsert(1)}`, [
        ...eventValues(trail.event),
        ...auditInsertValues(trail.audit),
      ]);
    this.uow.outboxWritten();
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
   * Busy time of many resources in a window, read in time proportional to the window, not to the
   * calendar's history or future: a resource's active blocked intervals are disjoint, so besides
   * the bookings starting inside the window only the last one before it and the first one after
   * it can reach into it. Plain comparisons (leakproof, unlike &&) keep
   * bookings_resource_start_idx usable under row-level security.
   */
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

  async recordEvent(event: NewBookingEvent): Promise<void> {
    const repo = this.uow.manager().getRepository(BookingEventEntity);
    await repo.save(repo.create(event));
    this.uow.outboxWritten();
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
