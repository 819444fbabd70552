import { Platform1764000000000 } from './1764000000000-platform';
import { PoolsResourcesBookings1764000001000 } from './1764000001000-pools-resources-bookings';
import { RowLevelSecurity1764000002000 } from './1764000002000-row-level-security';
import { DeferrableOverlapCheck1764000004000 } from './1764000004000-deferrable-overlap-check';
import { SolverRuns1764000005000 } from './1764000005000-solver-runs';
import { FlexibleWindows1764000006000 } from './1764000006000-flexible-windows';
import { BusyTimeIndex1764000007000 } from './1764000007000-busy-time-index';
import { ExactChecks1764000008000 } from './1764000008000-exact-checks';
import { DropBlockedEndIndex1764000009000 } from './1764000009000-drop-blocked-end-index';
import { Notifications1765100000000 } from './1765100000000-notifications';
import { CalendarFeedsWebhooks1765200000000 } from './1765200000000-calendar-feeds-webhooks';
import { ResourceCare1765500000000 } from './1765500000000-resource-care';
import { CostSharing1765300000000 } from './1765300000000-cost-sharing';
import { PlanningFacts1765700000000 } from './1765700000000-planning-facts';
import { WebSignIn1765800000000 } from './1765800000000-web-sign-in';
import { UsagePool1798400000000 } from './1798400000000-usage-pool';
import { OneUserLanguage1798400001000 } from './1798400001000-one-user-language';
import { EventFanout1798600000000 } from './1798600000000-event-fanout';
import { BookingFunctions1798700000000 } from './1798700000000-booking-functions';
import { NotificationSendJobs1798800000000 } from './1798800000000-notification-send-jobs';
import { LeanBookingFunctions1798900000000 } from './1798900000000-lean-booking-functions';
import { OutboxWakeAfterCommit1799000000000 } from './1799000000000-outbox-wake-after-commit';
import { LockByKey1799000001000 } from './1799000001000-lock-by-key';
import { BookingBatches1799100000000 } from './1799100000000-booking-batches';
import { BatchLegsByKey1799200000000 } from './1799200000000-batch-legs-by-key';

/** In order; a new migration is appended here (explicit imports work from ts and compiled js alike). */
export const MIGRATIONS = [
  Platform1764000000000,
  PoolsResourcesBookings1764000001000,
  RowLevelSecurity1764000002000,
  DeferrableOverlapCheck1764000004000,
  SolverRuns1764000005000,
  FlexibleWindows1764000006000,
  BusyTimeIndex1764000007000,
  ExactChecks1764000008000,
  DropBlockedEndIndex1764000009000,
  Notifications1765100000000,
  CalendarFeedsWebhooks1765200000000,
  CostSharing1765300000000,
  ResourceCare1765500000000,
  PlanningFacts1765700000000,
  WebSignIn1765800000000,
  UsagePool1798400000000,
  OneUserLanguage1798400001000,
  EventFanout1798600000000,
  BookingFunctions1798700000000,
  NotificationSendJobs1798800000000,
  LeanBookingFunctions1798900000000,
  OutboxWakeAfterCommit1799000000000,
  LockByKey1799000001000,
  BookingBatches1799100000000,
  BatchLegsByKey1799200000000,
];
