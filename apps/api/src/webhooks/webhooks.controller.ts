import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { WebhookEndpointsService } from '@allmende/notifications';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { uuidPipe } from '../common/uuid.pipe';
import { PageOf } from '../common/api-doc';
import { SecretInResponse } from '../users/secret-response';
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
  @SecretInResponse('secret')
  @ApiOperation({
    summary: 'Register a webhook endpoint; the signing secret is shown once',
    description:
      'Admins: the installation, a pool or a municipality; coordinators: a pool they coordinate; yard managers and finance: their municipality. statement.issued needs statements:read. ' +
      'Takes an Idempotency-Key: a replay returns the endpoint with `secret: null` and `secretsShownOnce`.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  async create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const { endpoint, secret } = await this.webhooks.register(actor, dto);
    return { ...mapEndpoint(endpoint), secret };
  }

  @Get()
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({
    summary: 'The endpoints you manage, newest first',
    description: 'Without their signing secrets; paginated by `cursor`.',
  })
  @ApiOkResponse({ type: PageOf(WebhookEndpointResponse) })
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
  @ApiOperation({
    summary: 'One webhook endpoint',
    description: 'Its URL, scope, event types and status; never the secret.',
  })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<WebhookEndpointResponse> {
    return mapEndpoint(await this.webhooks.get(actor, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({
    summary: 'Change the URL, event types or description; scope and secret stay',
    description: 'Fields not given stay as they are.',
  })
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
  @ApiOperation({
    summary: 'Delete an endpoint and its delivery history; nothing more is sent to it',
    description: 'Pending deliveries are dropped with it.',
  })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidPipe) id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @RequirePermission(Permission.WebhooksManage)
  @ApiOperation({
    summary: 'Enable an endpoint that was disabled after a day of failures',
    description: 'New events are delivered to it again.',
  })
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
    description: 'Paginated by `cursor`; filter by status.',
  })
  @ApiOkResponse({ type: PageOf(WebhookDeliveryResponse) })
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
  @ApiOperation({
    summary: 'Send a failed or skipped delivery again (same webhook-id)',
    description: 'Receivers deduplicate by webhook-id, so a retry is safe.',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse })
  async retry(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
    @Param('deliveryId', uuidPipe) deliveryId: string,
  ): Promise<WebhookDeliveryResponse> {
    return mapDelivery(await this.webhooks.retry(actor, id, deliveryId));
  }
}
