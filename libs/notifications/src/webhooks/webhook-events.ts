import { Permission } from '@allmende/auth';

/** The event types an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.changed',
  'booking.cancelled',
  'statement.issued',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The outbox kinds (booking_events.kind) that become webhooks, and as what. A displacement ends
 * the booking for its municipality as a cancellation does (the payload says why).
 */
export const WEBHOOK_TYPE_OF_KIND: Readonly<Record<string, WebhookEventType>> = {
  'booking.created': 'booking.created',
  'booking.rescheduled': 'booking.changed',
  'booking.cancelled': 'booking.cancelled',
  'booking.displaced': 'booking.cancelled',
  'statement.issued': 'statement.issued',
};
export const WEBHOOK_OUTBOX_KINDS = Object.keys(WEBHOOK_TYPE_OF_KIND);

/** Subscribing to an event type needs the permission to read what it carries. */
export const PERMISSION_FOR_EVENT: Readonly<Record<WebhookEventType, Permission>> = {
  'booking.created': Permission.BookingsRead,
  'booking.changed': Permission.BookingsRead,
  'booking.cancelled': Permission.BookingsRead,
  'statement.issued': Permission.StatementsRead,
};

/**
 * The outbox event the sender writes when it disables an endpoint (booking_id NULL,
 * municipality_id = the owner's municipality); the notifications side emails the owner.
 */
export const WEBHOOK_DISABLED_EVENT = 'webhook.disabled';

export interface WebhookDisabledPayload {
  endpointId: string;
  url: string;
  ownerUserId: string | null;
  disabledAt: string;
  lastError: string | null;
}
