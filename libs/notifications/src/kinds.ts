/** What a person can be told; the keys of the preferences (each can be switched off). */
export const NOTIFICATION_KINDS = [
  'booking-confirmed',
  'booking-changed',
  'booking-cancelled',
  'booking-displaced',
  'waitlist-offer',
  'proposal-applied',
  'inspection-due',
  'statement-issued',
  'reminder',
  'webhook-disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Outbox (booking_events) kinds the notification side reads. */
export const OutboxKind = {
  BookingCreated: 'booking.created',
  BookingRescheduled: 'booking.rescheduled',
  BookingCancelled: 'booking.cancelled',
  BookingDisplaced: 'booking.displaced',
  WaitlistOffered: 'waitlist.offered',
  ProposalApplied: 'proposal.applied',
  StatementIssued: 'statement.issued',
  WebhookDisabled: 'webhook.disabled',
} as const;

/** Pools remind 24 h and 2 h before a booking unless they set other offsets. */
export const DEFAULT_REMINDER_OFFSETS_MINUTES = [1440, 120];

/** How far ahead the machine's owner is told of a due inspection. */
export const INSPECTION_NOTICE_DAYS = 14;
