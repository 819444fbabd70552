import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type BookingStatus = 'active' | 'cancelled' | 'displaced';
export type BookingPriority = 'normal' | 'emergency';

const numericAsNumber = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

@Entity({ name: 'bookings' })
export class BookingEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'pool_id' }) poolId: string;
  @Column('uuid', { name: 'resource_id' }) resourceId: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId: string;
  @Column('uuid', { name: 'site_municipality_id' }) siteMunicipalityId: string;
  @Column('timestamptz', { name: 'start_at' }) startAt: Date;
  @Column('timestamptz', { name: 'end_at' }) endAt: Date;
  /** Start of the time the resource is held: the booking plus the transport leg to its site. */
  @Column('timestamptz', { name: 'blocked_start' }) blockedStart: Date;
  @Column('timestamptz', { name: 'blocked_end' }) blockedEnd: Date;
  @Column('text') status: BookingStatus;
  @Column('text') priority: BookingPriority;
  /** Set on a staff booking that operates the machine of another booking. */
  @Column('uuid', { name: 'operator_for_booking_id', nullable: true }) operatorForBookingId: string | null;
  @Column('uuid', { name: 'series_id', nullable: true }) seriesId: string | null;
  /** The window the booking may be moved within (same duration), for the solver. */
  @Column('timestamptz', { name: 'flexible_start', nullable: true }) flexibleStart: Date | null;
  @Column('timestamptz', { name: 'flexible_end', nullable: true }) flexibleEnd: Date | null;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('text', { nullable: true }) contact: string | null;
  @Column('integer') sequence: number;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'booking_usages' })
export class BookingUsageEntity {
  @PrimaryColumn('uuid', { name: 'booking_id' }) bookingId: string;
  @Column('numeric', { name: 'operating_hours', nullable: true, transformer: numericAsNumber })
  operatingHours: number | null;
  @Column('numeric', { name: 'meter_start', nullable: true, transformer: numericAsNumber }) meterStart:
    number | null;
  @Column('numeric', { name: 'meter_end', nullable: true, transformer: numericAsNumber }) meterEnd:
    number | null;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('uuid', { name: 'recorded_by', nullable: true }) recordedBy: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}

export type WaitlistReason = 'displaced' | 'no-slot';
export type WaitlistStatus = 'waiting' | 'offered' | 'fulfilled' | 'withdrawn';

@Entity({ name: 'waitlist_entries' })
export class WaitlistEntryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'pool_id' }) poolId: string;
  @Column('text', { name: 'resource_type' }) resourceType: string;
  @Column('uuid', { name: 'resource_id', nullable: true }) resourceId: string | null;
  @Column('uuid', { name: 'municipality_id' }) municipalityId: string;
  @Column('uuid', { name: 'site_municipality_id' }) siteMunicipalityId: string;
  @Column('timestamptz', { name: 'start_at' }) startAt: Date;
  @Column('timestamptz', { name: 'end_at' }) endAt: Date;
  @Column('text') priority: BookingPriority;
  /** Any slot of the same duration inside this window serves the request. */
  @Column('timestamptz', { name: 'flexible_start', nullable: true }) flexibleStart: Date | null;
  @Column('timestamptz', { name: 'flexible_end', nullable: true }) flexibleEnd: Date | null;
  @Column('text') reason: WaitlistReason;
  @Column('uuid', { name: 'displaced_booking_id', nullable: true }) displacedBookingId: string | null;
  @Column('text') status: WaitlistStatus;
  @Column('jsonb', { nullable: true }) offer: unknown;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The outbox of booking changes: the notifications worker reads and marks these. */
@Entity({ name: 'booking_events' })
export class BookingEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'booking_id', nullable: true }) bookingId: string | null;
  @Column('uuid', { name: 'waitlist_entry_id', nullable: true }) waitlistEntryId: string | null;
  @Column('uuid', { name: 'municipality_id' }) municipalityId: string;
  @Column('text') kind: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
}
