import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import { SYSTEM_ACTOR } from '@allmende/core';
import {
  NewWebhookDelivery,
  OutboxEvent,
  UnitOfWork,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  WebhookEndpointRow,
} from '@allmende/database';
import { JobName, JobProducer, jobIds } from '@allmende/queue';
import { WEBHOOK_OUTBOX_KINDS, WEBHOOK_TYPE_OF_KIND } from './webhook-events';
import { bookingBody, messageIdOf, statementBody, WebhookBody } from './webhook-payloads';

const BATCH = 500;
const MAX_BATCHES_PER_RUN = 20;
/** An event id this young may still have an older, uncommitted sibling: the cursor waits. */
const SETTLE_SECONDS = 600;
/** A delivery untried this long lost its job (process died between commit and enqueue). */
const STRANDED_SECONDS = 60;

export interface FanOutResult {
  events: number;
  deliveries: number;
}

/** Whether `endpoint` hears of `event`: subscribed type, in its scope, registered before it. */
function wants(
  endpoint: WebhookEndpointRow,
  event: OutboxEvent,
  body: WebhookBody,
  scope: { poolId: string | null; municipalityId: string },
): boolean {
  if (!endpoint.events.includes(body.type)) return false;
  if (endpoint.createdAt.getTime() > event.createdAt.getTime()) return false;
  if (endpoint.poolId !== null && endpoint.poolId !== scope.poolId) return false;
  if (endpoint.municipalityId !== null && endpoint.municipalityId !== scope.municipalityId) return false;
  return true;
}

/**
 * Fans outbox events out into one delivery per interested endpoint. Deliveries are unique per
 * (endpoint, event) and the fan-out's progress is its own (cursor plus markers, never
 * booking_events.delivered_at), so running it twice, or twice at once, creates each delivery
 * once; the jobs are queued after the commit under the delivery's id, and a delivery whose job
 * got lost is queued again by a later run.
 */
@Injectable()
export class WebhookFanoutService {
  private readonly logger = new Logger('WebhookFanout');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly jobs: JobProducer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async fanOut(): Promise<FanOutResult> {
    const total: FanOutResult = { events: 0, deliveries: 0 };
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const { events, created } = await this.uow.run(SYSTEM_ACTOR, () => this.fanOutBatch());
      for (const id of created) await this.enqueue(id);
      total.events += events;
      total.deliveries += created.length;
      if (events < BATCH) break;
    }
    const stranded = await this.uow.run(SYSTEM_ACTOR, () =>
      this.deliveries.stranded(STRANDED_SECONDS, BATCH),
    );
    for (const id of stranded) await this.enqueue(id);
    if (total.deliveries > 0 || stranded.length > 0) {
      this.logger.log({ ...total, requeued: stranded.length }, 'webhook deliveries created');
    }
    return total;
  }

  private async fanOutBatch(): Promise<{ events: number; created: string[] }> {
    const cursor = await this.deliveries.lockCursor();
    const events = await this.deliveries.unhandledEvents(cursor, WEBHOOK_OUTBOX_KINDS, BATCH);
    const types = [...new Set(events.map((e) => WEBHOOK_TYPE_OF_KIND[e.kind]))];
    const endpoints = events.length > 0 ? await this.endpoints.activeFor(types) : [];
    const created: string[] = [];
    if (endpoints.length > 0) {
      const facts = await this.deliveries.bookingFacts(
        events.flatMap((e) => (e.bookingId ? [e.bookingId] : [])),
      );
      const names = await this.deliveries.names(
        events.flatMap((e) => [
          e.municipalityId,
          ...(typeof e.payload.poolId === 'string' ? [e.payload.poolId] : []),
        ]),
      );
      const rows: NewWebhookDelivery[] = [];
      for (const event of events) {
        const type = WEBHOOK_TYPE_OF_KIND[event.kind];
        let body: WebhookBody;
        let scope: { poolId: string | null; municipalityId: string };
        if (event.bookingId) {
          const booking = facts.get(event.bookingId);
          if (!booking) continue;
          body = bookingBody(type, event, booking);
          scope = { poolId: booking.poolId, municipalityId: booking.municipalityId };
        } else if (type === 'statement.issued') {
          body = statementBody(event, names);
          const poolId = typeof event.payload.poolId === 'string' ? event.payload.poolId : null;
          scope = { poolId, municipalityId: event.municipalityId };
        } else {
          continue;
        }
        for (const endpoint of endpoints) {
          if (!wants(endpoint, event, body, scope)) continue;
          rows.push({
            endpointId: endpoint.id,
            eventId: event.id,
            eventType: type,
            messageId: messageIdOf(event.id),
            payload: body as unknown as Record<string, unknown>,
          });
        }
      }
      created.push(...(await this.deliveries.insertDeliveries(rows)));
    }
    await this.deliveries.markHandled(events.map((e) => e.id));
    await this.deliveries.advanceCursor(cursor, WEBHOOK_OUTBOX_KINDS, SETTLE_SECONDS);
    return { events: events.length, created };
  }

  /** Queues the delivery's tries; `retry` names a manual retry, which is a job of its own. */
  async enqueue(deliveryId: string, retry?: string): Promise<void> {
    await this.jobs.enqueue(
      JobName.DeliverWebhook,
      { deliveryId },
      {
        jobId: jobIds.deliverWebhook(deliveryId, retry),
        attempts: this.config.webhookMaxAttempts,
        backoff: { type: 'exponential', delay: this.config.webhookRetryBaseMs },
      },
    );
  }
}
