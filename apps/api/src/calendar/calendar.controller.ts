import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFound } from '@allmende/core';
import { CalendarFeedsService, FEED_TOKEN_PREFIX, matchesEtag } from '@allmende/notifications';
import { Public } from '../auth/public.decorator';

const TOKEN_SHAPE = new RegExp(`^${FEED_TOKEN_PREFIX}[A-Za-z0-9_-]{20,100}$`);

/**
 * The iCalendar feed itself. Public: calendar apps (Outlook, Thunderbird, Google Calendar) send no
 * Authorization header, so the secret token in the URL is the credential.
 */
@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Get(':feedToken.ics')
  @Public()
  @ApiOperation({
    summary: 'iCalendar feed of a user’s or a resource’s bookings (subscribe to this URL)',
    description: 'Answers 304 to If-None-Match with the current ETag; 404 for unknown or revoked tokens.',
  })
  @ApiProduces('text/calendar')
  @ApiOkResponse({
    description: 'text/calendar; charset=utf-8',
    content: { 'text/calendar': { schema: { type: 'string', description: 'RFC 5545 VCALENDAR' } } },
  })
  async feed(
    @Param('feedToken') token: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
  ): Promise<void> {
    if (!TOKEN_SHAPE.test(token)) throw new NotFound('Calendar feed');
    const feed = await this.feeds.render(token);
    res.header('ETag', feed.etag);
    res.header('Cache-Control', `private, max-age=0, must-revalidate`);
    if (feed.lastModified) res.header('Last-Modified', feed.lastModified.toUTCString());
    if (matchesEtag(ifNoneMatch, feed.etag)) {
      void res.code(304).send();
      return;
    }
    res.code(200);
    res.header('Content-Type', 'text/calendar; charset=utf-8');
    res.header('Content-Disposition', 'inline; filename="allmende.ics"');
    void res.send(feed.body);
  }
}
