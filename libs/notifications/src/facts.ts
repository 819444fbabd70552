import type { Language, NotificationKind } from './kinds';

/**
 * What a message says, as facts captured when it was planned (names, instants as ISO strings):
 * stored with the ledger row, rendered into words only when sent.
 */
export interface BookingView {
  id: string;
  sequence: number;
  status: 'active' | 'cancelled' | 'displaced';
  emergency: boolean;
  poolName: string;
  resourceName: string;
  resourceKind: 'machine' | 'staff';
  /** For an operator's booking: the machine operated. */
  machineName: string | null;
  operatorNames: string[];
  municipalityName: string;
  siteName: string;
  homeMunicipalityName: string;
  start: string;
  end: string;
  notes: string | null;
}

/** Whom a booking message addresses, which decides its wording. */
export type BookingAudience = 'booker' | 'operator' | 'owner' | 'coordinator';

export interface AlternativeView {
  resourceName: string;
  start: string;
  end: string;
}

export type MessageFacts =
  | {
      type: 'booking';
      booking: BookingView;
      audience: BookingAudience;
      alternatives?: AlternativeView[];
      offsetMinutes?: number;
    }
  | {
      type: 'waitlist-offer';
      waitlistEntryId: string;
      poolName: string;
      resourceType: string;
      resourceName: string | null;
      municipalityName: string;
      siteName: string;
      start: string;
      end: string;
    }
  | { type: 'proposal-applied'; poolName: string; changes: BookingView[] }
  | {
      type: 'inspection-due';
      resourceName: string;
      poolName: string;
      homeMunicipalityName: string;
      dueDate: string;
    }
  | {
      type: 'statement-issued';
      poolId: string;
      poolName: string;
      municipalityId: string;
      municipalityName: string;
      period: string;
      statementNumber: string | null;
    }
  | { type: 'webhook-disabled'; url: string; disabledAt: string; lastError: string | null };

/** One planned message: kind, recipient, facts. */
export interface PlannedMessage {
  kind: NotificationKind;
  recipientKey: string;
  userId: string | null;
  email: string;
  name: string;
  language: Language;
  facts: MessageFacts;
}
