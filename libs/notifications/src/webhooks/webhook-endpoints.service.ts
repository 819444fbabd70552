import { Injectable } from '@nestjs/common';
import { policies, roleHas } from '@allmende/auth';
import { Actor, Conflict, DomainError, ErrorCode, NotFound, ValidationFailed } from '@allmende/core';
import {
  AuditLog,
  MunicipalityRepository,
  PoolRepository,
  UnitOfWork,
  WebhookDeliveryRepository,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
  WebhookEndpointRepository,
  WebhookEndpointRow,
} from '@allmende/database';
import { PERMISSION_FOR_EVENT, WebhookEventType } from './webhook-events';
import { WebhookFanoutService } from './webhook-fanout.service';
import { generateWebhookSecret } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

export interface NewEndpointRequest {
  url: string;
  events: WebhookEventType[];
  description?: string;
  poolId?: string;
  municipalityId?: string;
}

export interface EndpointChange {
  url?: string;
  events?: WebhookEventType[];
  description?: string | null;
}

/** A freshly registered endpoint: `secret` is shown once. */
export interface RegisteredEndpoint {
  endpoint: WebhookEndpointRow;
  secret: string;
}

/**
 * Webhook endpoints as integrators register them. Who may register what:
 * - admins: the whole installation, or one pool or municipality;
 * - coordinators: a pool they coordinate (or their own municipality);
 * - yard managers and finance staff: their own municipality.
 * Event types need the permission to read what they carry (statement.issued: statements).
 * An endpoint is managed by its owner, by admins, and by the coordinators of its pool.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly pools: PoolRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly targets: WebhookTargetPolicy,
    private readonly fanout: WebhookFanoutService,
    private readonly audit: AuditLog,
  ) {}

  async register(actor: Actor, request: NewEndpointRequest): Promise<RegisteredEndpoint> {
    this.assertMayReceive(actor, request.events);
    const scope = this.scopeOf(actor, request);
    await this.targets.validate(request.url);
    return this.uow.run(actor, async () => {
      if (scope.poolId && !(await this.pools.findById(scope.poolId))) {
        throw new ValidationFailed([{ field: 'poolId', message: 'names no pool' }]);
      }
      if (scope.municipalityId && !(await this.municipalities.findById(scope.municipalityId))) {
        throw new ValidationFailed([{ field: 'municipalityId', message: 'names no municipality' }]);
      }
      const secret = generateWebhookSecret();
      const endpoint = await this.endpoints.insert({
        ownerUserId: actor.userId,
        poolId: scope.poolId,
        municipalityId: scope.municipalityId,
        url: request.url,
        description: request.description ?? null,
        events: [...new Set(request.events)],
        secret,
      });
      await this.audit.record(actor, {
        action: 'webhook.registered',
        entityType: 'webhook_endpoint',
        entityId: endpoint.id,
        municipalityId: scope.municipalityId ?? actor.municipalityId,
        after: {
          url: endpoint.url,
          events: endpoint.events,
          poolId: scope.poolId,
          municipalityId: scope.municipalityId,
        },
      });
      return { endpoint, secret };
    });
  }

  list(
    actor: Actor,
    limit: number,
    after?: { createdAt: string; id: string },
  ): Promise<WebhookEndpointRow[]> {
    return this.uow.run(actor, () =>
      this.endpoints.list(
        limit,
        after,
        policies.isAdmin(actor)
          ? undefined
          : { ownerUserId: actor.userId, poolIds: actor.role === 'coordinator' ? actor.poolIds : [] },
      ),
    );
  }

  get(actor: Actor, id: string): Promise<WebhookEndpointRow> {
    return this.uow.run(actor, () => this.managed(actor, id));
  }

  /** Changes URL, event types or description; the scope and the secret stay. */
  async update(actor: Actor, id: string, change: EndpointChange): Promise<WebhookEndpointRow> {
    if (change.events) this.assertMayReceive(actor, change.events);
    if (change.url !== undefined) await this.targets.validate(change.url);
    return this.uow.run(actor, async () => {
      const before = await this.managed(actor, id);
      await this.endpoints.update(id, {
        url: change.url,
        events: change.events ? [...new Set(change.events)] : undefined,
        description: change.description,
      });
      const after = (await this.endpoints.findById(id))!;
      await this.audit.record(actor, {
        action: 'webhook.changed',
        entityType: 'webhook_endpoint',
        entityId: id,
        municipalityId: after.municipalityId ?? actor.municipalityId,
        before: { url: before.url, events: before.events, description: before.description },
        after: { url: after.url, events: after.events, description: after.description },
      });
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.uow.run(actor, async () => {
      const endpoint = await this.managed(actor, id);
      await this.endpoints.delete(id);
      await this.audit.record(actor, {
        action: 'webhook.deleted',
        entityType: 'webhook_endpoint',
        entityId: id,
        municipalityId: endpoint.municipalityId ?? actor.municipalityId,
        before: { url: endpoint.url, events: endpoint.events, status: endpoint.status },
      });
    });
  }

  /** Turns a disabled endpoint back on; its failure streak starts afresh. */
  enable(actor: Actor, id: string): Promise<WebhookEndpointRow> {
    return this.uow.run(actor, async () => {
      const endpoint = await this.managed(actor, id);
      if (endpoint.status === 'active') return endpoint;
      await this.targets.validate(endpoint.url);
      await this.endpoints.enable(id);
      await this.audit.record(actor, {
        action: 'webhook.enabled',
        entityType: 'webhook_endpoint',
        entityId: id,
        municipalityId: endpoint.municipalityId ?? actor.municipalityId,
        before: { status: endpoint.status, disabledAt: endpoint.disabledAt },
        after: { status: 'active' },
      });
      return (await this.endpoints.findById(id))!;
    });
  }

  deliveriesOf(
    actor: Actor,
    id: string,
    limit: number,
    after?: { eventId: string },
    status?: WebhookDeliveryStatus,
  ): Promise<WebhookDeliveryRow[]> {
    return this.uow.run(actor, async () => {
      await this.managed(actor, id);
      return this.deliveries.list(id, limit, after, status);
    });
  }

  /** Sends a failed or skipped delivery again (new tries, same webhook-id). */
  async retry(actor: Actor, id: string, deliveryId: string): Promise<WebhookDeliveryRow> {
    const delivery = await this.uow.run(actor, async () => {
      const endpoint = await this.managed(actor, id);
      const found = await this.deliveries.findById(deliveryId);
      if (!found || found.endpointId !== id) throw new NotFound('Webhook delivery', deliveryId);
      if (endpoint.status !== 'active') {
        throw new Conflict('The endpoint is disabled; enable it before retrying deliveries.');
      }
      if (found.status !== 'failed' && found.status !== 'skipped') {
        throw new Conflict(`The delivery is ${found.status}; only failed or skipped deliveries are retried.`);
      }
      await this.deliveries.reset(deliveryId);
      return (await this.deliveries.findById(deliveryId))!;
    });
    await this.fanout.enqueue(deliveryId, `${delivery.attempts}-${Date.now()}`);
    return delivery;
  }

  /** The endpoint if the actor manages it; 404 otherwise (row-level security hides the rest). */
  private async managed(actor: Actor, id: string): Promise<WebhookEndpointRow> {
    const endpoint = await this.endpoints.findById(id);
    const manages =
      endpoint !== null &&
      (policies.isAdmin(actor) ||
        (actor.userId !== null && endpoint.ownerUserId === actor.userId) ||
        (endpoint.poolId !== null && policies.coordinates(actor, endpoint.poolId)));
    if (!manages) throw new NotFound('Webhook endpoint', id);
    return endpoint;
  }

  private assertMayReceive(actor: Actor, events: WebhookEventType[]): void {
    for (const type of events) {
      if (!roleHas(actor.role, PERMISSION_FOR_EVENT[type])) {
        throw new DomainError(ErrorCode.Forbidden, `The role ${actor.role} may not receive ${type}.`);
      }
    }
  }

  private scopeOf(
    actor: Actor,
    request: NewEndpointRequest,
  ): { poolId: string | null; municipalityId: string | null } {
    const poolId = request.poolId ?? null;
    const municipalityId = request.municipalityId ?? null;
    if (poolId && municipalityId) {
      throw new ValidationFailed([{ field: 'poolId', message: 'give poolId or municipalityId, not both' }]);
    }
    switch (actor.role) {
      case 'admin':
        return { poolId, municipalityId };
      case 'coordinator':
        if (poolId) {
          policies.assertCoordinates(actor, poolId);
          return { poolId, municipalityId: null };
        }
        if (municipalityId === null) {
          throw new ValidationFailed([
            { field: 'poolId', message: 'name the pool (or your municipality) the webhook is for' },
          ]);
        }
        return { poolId: null, municipalityId: this.ownMunicipality(actor, municipalityId) };
      case 'yard-manager':
      case 'finance':
        if (poolId) {
          throw new DomainError(ErrorCode.Forbidden, 'Only coordinators register webhooks for a pool.');
        }
        return { poolId: null, municipalityId: this.ownMunicipality(actor, municipalityId) };
      case 'viewer':
        throw new DomainError(ErrorCode.Forbidden, 'Viewers do not register webhooks.');
    }
  }

  private ownMunicipality(actor: Actor, requested: string | null): string {
    if (requested !== null && requested !== actor.municipalityId) {
      throw new DomainError(ErrorCode.Forbidden, 'You may register webhooks only for your own municipality.');
    }
    return actor.municipalityId!;
  }
}
