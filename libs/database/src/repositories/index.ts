import { ApiTokenRepository } from './api-token.repository';
import { AuditLog } from './audit-log.repository';
import { BookingRepository } from './booking.repository';
import { DemandHistoryQuery } from './demand-history.query';
import { IdempotencyRepository } from './idempotency.repository';
import { MunicipalityRepository } from './municipality.repository';
import { PlacementContextQuery } from './placement-context.query';
import { PoolRepository } from './pool.repository';
import { ResourceRepository } from './resource.repository';
import { SolverRunRepository } from './solver-run.repository';
import { UserRepository } from './user.repository';
import { WaitlistRepository } from './waitlist.repository';

export {
  AuditLog,
  BookingRepository,
  DemandHistoryQuery,
  IdempotencyRepository,
  MunicipalityRepository,
  PlacementContextQuery,
  PoolRepository,
  ResourceRepository,
  WaitlistRepository,
};
export type { NewMunicipality } from './municipality.repository';
export { ApiTokenRepository, SolverRunRepository, UserRepository };
export type { NewProposal, NewSolverRun } from './solver-run.repository';
export type { NewApiToken, TokenCredential } from './api-token.repository';
export type { NewUser } from './user.repository';
export type { NewPool } from './pool.repository';
export type { NewResource } from './resource.repository';
export type {
  NewBooking,
  NewBookingEvent,
  BookingFilter,
  BookingTrail,
  BusyInterval,
  LegChange,
} from './booking.repository';
export type { PlacementContext, PlacementQuery } from './placement-context.query';
export type { DemandByType } from './demand-history.query';
export type { AuditChange, AuditRecord } from './audit-log.repository';
export { auditRecord } from './audit-log.repository';
export { BUSY_SQL, PG_EXCLUSION_VIOLATION } from './booking.repository';
export type { NewWaitlistEntry } from './waitlist.repository';

export const REPOSITORIES = [
  MunicipalityRepository,
  IdempotencyRepository,
  PoolRepository,
  ResourceRepository,
  BookingRepository,
  PlacementContextQuery,
  WaitlistRepository,
  AuditLog,
  UserRepository,
  ApiTokenRepository,
  SolverRunRepository,
  DemandHistoryQuery,
];
