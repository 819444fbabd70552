import { Injectable, Logger } from '@nestjs/common';
import { SYSTEM_ACTOR } from '@allmende/core';
import {
  BookingRepository,
  UnitOfWork,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  WebhookTarget,
} from '@allmende/database';
import { WebhookClock } from './webhook-clock';
import { WEBHOOK_DISABLED_EVENT, WebhookDisabledPayload } from './webhook-events';
import { WebhookSender } from './webhook-sender';

/** An endpoint failing this long without a single success is disabled. */
export const DISABLE_AFTER_MS = 24 * 3_600_000;

/** Where the attempt stands among the job's tries (BullMQ counts them). */
export interface AttemptInfo {
  /** 1 for the first try. */
  number: number;
  /** No try follows this one. */
  last: boolean;
  /** When the next try runs if this one fails; null on the last. */
  retryInMs: number | null;
}

export type AttemptOutcome = 'succeeded' | 'retry' | 'failed' | 'skipped' | 'disabled' | 'gone';

/** A failed try that BullMQ should repeat after its backoff. */
export class WebhookAttemptFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAttemptFailed';
  }
}

/**
 * One try of one delivery. The delivery row is locked for the try, so a job that runs twice at
 * once sends once, and a delivery that succeeded is never sent again. Failures start (or extend)
 * the endpoint's failure streak; once the streak is a day old the endpoint is disabled, its
 * pending deliveries are skipped, and a `webhook.disabled` outbox event tells its owner.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly bookings: BookingRepository,
    private readonly sender: WebhookSender,
    private readonly clock: WebhookClock,
  ) {}

  /** Tries once; throws WebhookAttemptFailed (after recording the try) when a retry should follow. */
  async attempt(deliveryId: string, info: AttemptInfo): Promise<AttemptOutcome> {
    const outcome = await this.uow.run(SYSTEM_ACTOR, () => this.attemptLocked(deliveryId, info));
    if (outcome.kind === 'retry') throw new WebhookAttemptFailed(outcome.error);
    return outcome.kind;
  }

  private async attemptLocked(
    deliveryId: string,
    info: AttemptInfo,
  ): Promise<{ kind: AttemptOutcome; error: string }> {
    const delivery = await this.deliveries.lock(deliveryId);
    if (!delivery) return { kind: 'gone', error: '' };
    if (delivery.status === 'succeeded' || delivery.status === 'skipped' || delivery.status === 'failed') {
      return { kind: delivery.status, error: '' };
    }
    const endpoint = await this.endpoints.findTarget(delivery.endpointId);
    if (!endpoint) return { kind: 'gone', error: '' };
    if (endpoint.status !== 'active') {
      await this.deliveries.skip(deliveryId, 'The endpoint is disabled.');
      return { kind: 'skipped', error: '' };
    }
    const result = await this.sender.send({
      url: endpoint.url,
      secret: endpoint.secret,
      messageId: delivery.messageId,
      body: JSON.stringify(delivery.payload),
      at: this.clock.now(),
    });
    const at = this.clock.now();
    const attempts = delivery.attempts + 1;
    if (result.ok) {
      await this.deliveries.recordAttempt(deliveryId, {
        status: 'succeeded',
        attempts,
        at,
        responseStatus: result.responseStatus,
        error: null,
        nextAttemptAt: null,
      });
      await this.endpoints.recordSuccess(endpoint.id);
      return { kind: 'succeeded', error: '' };
    }
    const error = result.error ?? 'failed';
    const failingSince = await this.endpoints.recordFailure(endpoint.id, at, error);
    const disable = failingSince !== null && at.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
    const final = disable || info.last;
    await this.deliveries.recordAttempt(deliveryId, {
      status: final ? 'failed' : 'retrying',
      attempts,
      at,
      responseStatus: result.responseStatus,
      error,
      nextAttemptAt: final || info.retryInMs === null ? null : new Date(at.getTime() + info.retryInMs),
    });
    if (disable) {
      await this.disable(endpoint, at, error);
      return { kind: 'disabled', error };
    }
    return { kind: final ? 'failed' : 'retry', error };
  }

  private async disable(endpoint: WebhookTarget, at: Date, lastError: string): Promise<void> {
    if (!(await this.endpoints.disable(endpoint.id, at))) return;
    const payload: WebhookDisabledPayload = {
      endpointId: endpoint.id,
      url: endpoint.url,
      ownerUserId: endpoint.ownerUserId,
      disabledAt: at.toISOString(),
      lastError,
    };
    const municipalityId = endpoint.ownerMunicipalityId ?? endpoint.municipalityId;
    if (municipalityId === null) {
      // An installation-wide endpoint of an admin (no municipality): nobody to address by town.
      this.logger.warn(payload, 'webhook endpoint disabled after a day of failures');
      return;
    }
    await this.bookings.recordEvent({
      bookingId: null,
      waitlistEntryId: null,
      municipalityId,
      kind: WEBHOOK_DISABLED_EVENT,
      payload: payload as unknown as Record<string, unknown>,
    });
    this.logger.warn(payload, 'webhook endpoint disabled after a day of failures; owner told');
  }
}
