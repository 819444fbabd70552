import { Module } from '@nestjs/common';
import { WebhookClock } from './webhook-clock';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookFanoutService } from './webhook-fanout.service';
import { WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

/** Webhooks: endpoints (API), fan-out and signed delivery (worker). Repositories are global. */
@Module({
  providers: [
    WebhookClock,
    WebhookTargetPolicy,
    WebhookSender,
    WebhookFanoutService,
    WebhookDeliveryService,
    WebhookEndpointsService,
  ],
  exports: [WebhookClock, WebhookFanoutService, WebhookDeliveryService, WebhookEndpointsService],
})
export class WebhooksModule {}
