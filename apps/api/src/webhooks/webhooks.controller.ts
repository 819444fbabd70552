import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { WebhookEndpointsService } from '@allmende/notifications';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { uuidPipe } from '../common/uuid.pipe';
import { refuseIdempotencyKey } from '../users/secret-response';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveriesQuery,
  mapDelivery,
  mapEndpoint,
  UpdateWebhookDto,
  WebhookDeliveryResponse,
  WebhookEndpointResponse,
} from './webhook.dto';

const cursorOf = (r: { createdAt: Date; id: string }) => ({ createdAt: r.createdAt.toISOString(), id: r.id });

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookEndpointsService) {}

  @Post()
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({
    summary: 'Register a webhook endpoint; the signing secret is shown once; no Idempotency-Key',
    description:
      'Admins: the installation, a pool or a municipality; coordinators: a pool they coordinate; yard managers and finance: their municipality. statement.issued needs statements:read.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  async create(
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Body() dto: CreateWebhookDto,
  ): Promise<CreatedWebhookResponse> {
    refuseIdempotencyKey(request);
    const { endpoint, secret } = await this.webhooks.register(actor, dto);
    return { ...mapEndpoint(endpoint), secret };
  }

  @Get()
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({ summary: 'The endpoints you manage, newest first' })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: PageQuery,
  ): Promise<Page<WebhookEndpointResponse>> {
    const limit = query.limit ?? 100;
    const rows = await this.webhooks.list(actor, limit + 1, decodeCursor(query.cursor, ['createdAt', 'id']));
    return toPage(rows, limit, mapEndpoint, cursorOf);
  }

  @Get(':id')
  @RequirePermission(Permission.WebhooksManage)
  @ApiOkResponse({ type: WebhookEndpointResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<WebhookEndpointResponse> {
    return mapEndpoint(await this.webhooks.get(actor, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({ summary: 'Change the URL, event types or description; scope and secret stay' })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  async update(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookEndpointResponse> {
    return mapEndpoint(await this.webhooks.update(actor, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery history; nothing more is sent to it' })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({ summary: 'Enable an endpoint that was disabled after a day of failures' })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  async enable(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<WebhookEndpointResponse> {
    return mapEndpoint(await this.webhooks.enable(actor, id));
  }

  @Get(':id/deliveries')
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({
    summary: 'Deliveries to the endpoint, newest event first: status, tries, answer, last error',
  })
  async deliveries(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Query() query: DeliveriesQuery,
  ): Promise<Page<WebhookDeliveryResponse>> {
    const limit = query.limit ?? 100;
    const rows = await this.webhooks.deliveriesOf(
      actor,
      id,
      limit + 1,
      decodeCursor(query.cursor, ['eventId']),
      query.status,
    );
    return toPage(rows, limit, mapDelivery, (d) => ({ eventId: d.eventId }));
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({ summary: 'Send a failed or skipped delivery again (same webhook-id)' })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse })
  async retry(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Param('deliveryId', uuidPipe) deliveryId: string,
  ): Promise<WebhookDeliveryResponse> {
    return mapDelivery(await this.webhooks.retry(actor, id, deliveryId));
  }
}
