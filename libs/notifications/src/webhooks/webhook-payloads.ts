import { berlinWallClock } from '@allmende/bookings';
import type { OutboxEvent, WebhookBookingFacts } from '@allmende/database';
import type { WebhookEventType } from './webhook-events';

/** The body of every webhook: `{ type, timestamp, data }` as Standard Webhooks recommends. */
export interface WebhookBody {
  type: WebhookEventType;
  /** When the change happened (the outbox event's time), UTC. */
  timestamp: string;
  data: Record<string, unknown>;
}

/** webhook-id: one per outbox event, the same on every retry. */
export function messageIdOf(eventId: string): string {
  return `msg_allmende_${eventId}`;
}

export function bookingBody(type: WebhookEventType, event: OutboxEvent, b: WebhookBookingFacts): WebhookBody {
  const data: Record<string, unknown> = {
    eventId: event.id,
    /** The booking's sequence this change produced; `booking` is its state when sent. */
    sequence: typeof event.payload.sequence === 'number' ? event.payload.sequence : b.sequence,
    booking: {
      id: b.id,
      status: b.status,
      sequence: b.sequence,
      poolId: b.poolId,
      poolName: b.poolName,
      resourceId: b.resourceId,
      resourceName: b.resourceName,
      resourceKind: b.resourceKind,
      resourceType: b.resourceType,
      municipalityId: b.municipalityId,
      municipalityName: b.municipalityName,
      siteMunicipalityId: b.siteMunicipalityId,
      siteMunicipalityName: b.siteMunicipalityName,
      start: b.startAt.toISOString(),
      end: b.endAt.toISOString(),
      startLocal: berlinWallClock(b.startAt),
      endLocal: berlinWallClock(b.endAt),
      priority: b.priority,
      operatorForBookingId: b.operatorForBookingId,
      seriesId: b.seriesId,
      notes: b.notes,
    },
  };
  if (event.kind === 'booking.displaced') {
    data.reason = 'displaced';
    data.byBookingId = event.payload.byBookingId ?? null;
  } else if (type === 'booking.cancelled') {
    data.reason = 'cancelled';
  }
  return { type, timestamp: event.createdAt.toISOString(), data };
}

export function statementBody(event: OutboxEvent, names: Map<string, string>): WebhookBody {
  const p = event.payload as { poolId?: string; period?: string; statementNumber?: string | null };
  return {
    type: 'statement.issued',
    timestamp: event.createdAt.toISOString(),
    data: {
      eventId: event.id,
      poolId: p.poolId ?? null,
      poolName: p.poolId ? (names.get(p.poolId) ?? null) : null,
      municipalityId: event.municipalityId,
      municipalityName: names.get(event.municipalityId) ?? null,
      period: p.period ?? null,
      statementNumber: p.statementNumber ?? null,
    },
  };
}
