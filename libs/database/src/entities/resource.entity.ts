import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ResourceKind = 'machine' | 'staff';

/** Local working hours per ISO weekday (1 = Monday), e.g. { "1": ["07:00", "15:30"] }. */
export type WorkingHours = Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', [string, string]>>;

const bigintAsNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };
const numericAsNumber = bigintAsNumber;

@Entity({ name: 'resources' })
export class ResourceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'pool_id' }) poolId: string;
  @Column('text') kind: ResourceKind;
  @Column('text') name: string;
  @Column('text') type: string;
  @Column('uuid', { name: 'home_municipality_id' }) homeMunicipalityId: string;
  @Column('jsonb') attributes: Record<string, unknown>;
  @Column('text', { array: true }) qualifications: string[];
  @Column('text', { name: 'required_qualification', nullable: true }) requiredQualification: string | null;
  @Column('integer', { name: 'hourly_rate_cents' }) hourlyRateCents: number;
  @Column('integer', { name: 'per_use_cents' }) perUseCents: number;
  @Column('bigint', { name: 'annual_fixed_cost_cents', transformer: bigintAsNumber })
  annualFixedCostCents: number;
  @Column('integer', { name: 'transport_speed_kmh', nullable: true }) transportSpeedKmh: number | null;
  @Column('date', { name: 'next_inspection_due', nullable: true }) nextInspectionDue: string | null;
  @Column('numeric', { name: 'weekly_hours', nullable: true, transformer: numericAsNumber }) weeklyHours:
    number | null;
  @Column('jsonb', { name: 'working_hours', nullable: true }) workingHours: WorkingHours | null;
  @Column('integer', { name: 'inspection_interval_months', nullable: true }) inspectionIntervalMonths:
    number | null;
  /** Retired resources take no new bookings; `active` is false from then on. */
  @Column('timestamptz', { name: 'retired_at', nullable: true }) retiredAt: Date | null;
  @Column('boolean') active: boolean;
  /** Staff only: where the operator's notifications go. */
  @Column('text', { nullable: true }) email: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'blackouts' })
export class BlackoutEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'resource_id' }) resourceId: string;
  @Column('timestamptz', { name: 'start_at' }) startAt: Date;
  @Column('timestamptz', { name: 'end_at' }) endAt: Date;
  @Column('text') reason: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

export type InspectionResult = 'passed' | 'passed-with-defects' | 'failed';

@Entity({ name: 'resource_inspections' })
export class InspectionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'resource_id' }) resourceId: string;
  @Column('date', { name: 'inspected_on' }) inspectedOn: string;
  @Column('text') result: InspectionResult;
  @Column('date', { name: 'next_due', nullable: true }) nextDue: string | null;
  @Column('text', { nullable: true }) notes: string | null;
  @Column('uuid', { name: 'recorded_by', nullable: true }) recordedBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
