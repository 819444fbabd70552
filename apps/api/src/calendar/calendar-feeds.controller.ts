import { Body, Controller, Delete, Get, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Permission } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { CalendarFeedsService } from '@allmende/notifications';
import { CurrentActor } from '../auth/current-actor.decorator';
import { RequirePermission } from '../auth/require-permission.decorator';
import { uuidPipe } from '../common/uuid.pipe';
import { SecretInResponse } from '../users/secret-response';
import {
  CalendarFeedResponse,
  CreateCalendarFeedDto,
  CreatedCalendarFeedResponse,
  mapCalendarFeed,
} from './calendar-feed.dto';

/** Where the feeds are served (the global prefix plus CalendarController's path). */
const FEED_PATH = '/api/v1/calendar';

/** The caller's own calendar feeds: subscription URLs with a secret token, revocable. */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('users/me/calendar-feeds')
export class CalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Post()
  @RequirePermission(Permission.OwnCalendarFeeds)
  @SecretInResponse('token', 'url', 'webcalUrl')
  @ApiOperation({
    summary: 'Create a calendar feed (yours, or a resource’s); the URL is shown once',
    description:
      'An iCalendar subscription URL with a secret token. Takes an Idempotency-Key: a replay returns the ' +
      'feed with `token`, `url` and `webcalUrl` null and `secretsShownOnce` saying they were shown once.',
  })
  @ApiCreatedResponse({ type: CreatedCalendarFeedResponse })
  async create(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Body() dto: CreateCalendarFeedDto,
  ): Promise<CreatedCalendarFeedResponse> {
    const { feed, token } = await this.feeds.create(actor, dto);
    const path = `${request.headers.host ?? 'localhost'}${FEED_PATH}/${token}.ics`;
    return {
      ...mapCalendarFeed(feed),
      token,
      url: `${request.protocol}://${path}`,
      webcalUrl: `webcal://${path}`,
    };
  }

  @Get()
  @RequirePermission(Permission.OwnCalendarFeeds)
  @ApiOperation({
    summary: 'Your calendar feeds, newest first, without their tokens',
    description: 'With their status and last use.',
  })
  @ApiOkResponse({ type: [CalendarFeedResponse] })
  async list(@CurrentActor() actor: Actor): Promise<CalendarFeedResponse[]> {
    return (await this.feeds.list(actor)).map(mapCalendarFeed);
  }

  @Delete(':id')
  @RequirePermission(Permission.OwnCalendarFeeds)
  @ApiOperation({
    summary: 'Revoke a calendar feed: its URL answers 404 from now on',
    description: 'Only your own feeds; another user’s is 404.',
  })
  @ApiOkResponse({ type: CalendarFeedResponse })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', uuidPipe) id: string,
  ): Promise<CalendarFeedResponse> {
    return mapCalendarFeed(await this.feeds.revoke(actor, id));
  }
}
