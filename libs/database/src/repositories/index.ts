import { ApiTokenRepository } from './api-token.repository';
import { AuditLog } from './audit-log.repository';
import { AvailabilityFactsQuery } from './availability-facts.query';
import { BookingRepository } from './booking.repository';
import { DemandHistoryQuery } from './demand-history.query';
import { FinanceReportQuery } from './finance-report.query';
import { IdempotencyRepository } from './idempotency.repository';
import { MunicipalityRepository } from './municipality.repository';
import { PlacementContextQuery } from './placement-context.query';
import { PoolRepository } from './pool.repository';
import { ResourceRepository } from './resource.repository';
import { SolverRunRepository } from './solver-run.repository';
import { UserRepository } from './user.repository';
import { WaitlistRepository } from './waitlist.repository';
import { NotificationRepository } from './notification.repository';
import { ReminderRepository } from './reminder.repository';
import { NotificationPreferencesRepository } from './notification-preferences.repository';
import { NotificationFactsQuery } from './notification-facts.query';
import { CostInputsQuery, CostSharingAgreementRepository } from './cost-sharing-agreement.repository';
import { StatementRepository } from './statement.repository';
import { StatementUsageQuery } from './statement-usage.query';
import { CalendarFeedRepository } from './calendar-feed.repository';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebSessionRepository } from './web-session.repository';
import { SignInThrottleRepository } from './sign-in-throttle.repository';

export {
  AuditLog,
  AvailabilityFactsQuery,
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
export { FinanceReportQuery };
export type {
  BookedHoursRow,
  CostGrouping,
  CostRow,
  ReportBlackout,
  ReportResource,
  ReportWindow,
  UnrecordedBookingRow,
} from './finance-report.query';
export type { NewProposal, NewSolverRun } from './solver-run.repository';
export type { NewApiToken, TokenCredential } from './api-token.repository';
export type { NewUser, SignInAccount } from './user.repository';
export { SignInThrottleRepository, WebSessionRepository };
export type { NewWebSession, WebSessionCredential } from './web-session.repository';
export type { ThrottleRule } from './sign-in-throttle.repository';
export type { NewPool } from './pool.repository';
export type { NewResource, ResourceChange } from './resource.repository';
export type {
  NewBooking,
  NewBookingEvent,
  BookingFilter,
  BookingTrail,
  BusyInterval,
  LegChange,
} from './booking.repository';
export type { AvailabilityCalendar, AvailabilityHead } from './availability-facts.query';
export type {
  BatchPlacementQuery,
  LockedBatch,
  LockedPlacement,
  LockedPlacementQuery,
  PlacementContext,
  PlacementQuery,
} from './placement-context.query';
export type { DemandByType } from './demand-history.query';
export type { AuditChange, AuditRecord } from './audit-log.repository';
export { auditRecord } from './audit-log.repository';
export { PG_EXCLUSION_VIOLATION } from './booking.repository';
export { BUSY_SQL } from './availability-facts.query';
export type { NewWaitlistEntry } from './waitlist.repository';
export {
  NotificationRepository,
  ReminderRepository,
  NotificationPreferencesRepository,
  NotificationFactsQuery,
};
export type {
  NewNotification,
  NotificationRow,
  NotificationStatus,
  QueuedNotification,
} from './notification.repository';
export type { ClaimedReminder, DesiredReminder, ReminderRow } from './reminder.repository';
export type { NotificationPreferencesRow } from './notification-preferences.repository';
export type {
  BookingFacts,
  InspectionFacts,
  NotifiableUser,
  NotificationOutboxEvent,
  WaitlistFacts,
} from './notification-facts.query';
export { CalendarFeedRepository, WebhookDeliveryRepository, WebhookEndpointRepository };
export type { CalendarFeedRow, FeedBookingRow, FeedOwner, NewCalendarFeed } from './calendar-feed.repository';
export type {
  NewWebhookEndpoint,
  WebhookEndpointRow,
  WebhookEndpointStatus,
  WebhookTarget,
} from './webhook-endpoint.repository';
export type {
  NewWebhookDelivery,
  OutboxEvent,
  WebhookBookingFacts,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
} from './webhook-delivery.repository';

export { CostInputsQuery, CostSharingAgreementRepository, StatementRepository, StatementUsageQuery };
export type { AgreementRow, CostMemberRow, CostResourceRow } from './cost-sharing-agreement.repository';
export type {
  FinalizedPeriodRow,
  IssuedStatementRow,
  NewCorrection,
  NewStatement,
} from './statement.repository';
export type { UsageGroupRow, UsageSegment } from './statement-usage.query';
export { USAGE_GROUPS_SQL, USAGE_QUERY_SETTINGS, usageParams } from './statement-usage.query';

export const REPOSITORIES = [
  MunicipalityRepository,
  IdempotencyRepository,
  PoolRepository,
  ResourceRepository,
  BookingRepository,
  PlacementContextQuery,
  AvailabilityFactsQuery,
  WaitlistRepository,
  AuditLog,
  UserRepository,
  ApiTokenRepository,
  SolverRunRepository,
  NotificationRepository,
  ReminderRepository,
  NotificationPreferencesRepository,
  NotificationFactsQuery,
  CostSharingAgreementRepository,
  CostInputsQuery,
  StatementRepository,
  StatementUsageQuery,
  DemandHistoryQuery,
  CalendarFeedRepository,
  WebhookEndpointRepository,
  WebhookDeliveryRepository,
  WebSessionRepository,
  SignInThrottleRepository,
  FinanceReportQuery,
];
