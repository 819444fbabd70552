import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CostSharingKey = 'population' | 'equal' | 'usage' | 'shares' | 'mixed';

export interface CostSharing {
  key: CostSharingKey;
  mix?: { population?: number; equal?: number; usage?: number };
  shares?: Record<string, number>;
  annualOverheadCents?: number;
}

@Entity({ name: 'pools' })
export class PoolEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'field_of_action' }) fieldOfAction: string;
  @Column('jsonb', { name: 'cost_sharing' }) costSharing: CostSharing;
  @Column('date', { name: 'cost_sharing_valid_from', nullable: true }) costSharingValidFrom: string | null;
  /** Local hours per ISO weekday in which free windows and alternatives are offered; null: Mon–Fri 06:00–20:00. */
  @Column('jsonb', { name: 'operating_hours', nullable: true }) operatingHours: Partial<
    Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', [string, string]>
  > | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'pool_members' })
export class PoolMemberEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'pool_id' }) poolId: string;
  @Column('uuid', { name: 'municipality_id' }) municipalityId: string;
  @Column('date', { name: 'joined_on' }) joinedOn: string;
  @Column('date', { name: 'left_on', nullable: true }) leftOn: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity({ name: 'pool_travel_times' })
export class PoolTravelTimeEntity {
  @Column('uuid', { name: 'pool_id', primary: true }) poolId: string;
  @Column('uuid', { name: 'from_municipality_id', primary: true }) fromMunicipalityId: string;
  @Column('uuid', { name: 'to_municipality_id', primary: true }) toMunicipalityId: string;
  @Column('integer') minutes: number;
}
