import { AuditEntryEntity } from './audit-entry.entity';
import { BookingEntity, BookingEventEntity, BookingUsageEntity, WaitlistEntryEntity } from './booking.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { MunicipalityEntity } from './municipality.entity';
import { PoolEntity, PoolMemberEntity, PoolTravelTimeEntity } from './pool.entity';
import { BlackoutEntity, InspectionEntity, ResourceEntity } from './resource.entity';
import { ProposalEntity, SolverRunEntity } from './solver.entity';
import { ApiTokenEntity, UserEntity, UserPoolEntity } from './user.entity';

export * from './audit-entry.entity';
export * from './booking.entity';
export * from './idempotency-record.entity';
export * from './municipality.entity';
export * from './pool.entity';
export * from './resource.entity';
export * from './solver.entity';
export * from './user.entity';

export const ENTITIES = [
  MunicipalityEntity,
  AuditEntryEntity,
  IdempotencyRecordEntity,
  PoolEntity,
  PoolMemberEntity,
  PoolTravelTimeEntity,
  ResourceEntity,
  BlackoutEntity,
  InspectionEntity,
  BookingEntity,
  BookingUsageEntity,
  WaitlistEntryEntity,
  BookingEventEntity,
  UserEntity,
  UserPoolEntity,
  ApiTokenEntity,
  SolverRunEntity,
  ProposalEntity,
];
