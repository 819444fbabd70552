import { createHash } from 'node:crypto';
import ical, { ICalCalendarMethod, ICalEventBusyStatus, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import type { FeedBookingRow } from '@allmende/database';
import { describeBooking, FeedLanguage } from './feed-texts';

export const FEED_TIME_ZONE = 'Europe/Berlin';
/** How often subscribers should fetch again (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 3600;

/** The UID of a booking's event: the same in every feed and every invite, for its whole life. */
export function bookingUid(bookingId: string): string {
  return `${bookingId}@allmende`;
}

export interface FeedCalendarInput {
  name: string;
  description: string;
  language: FeedLanguage;
  bookings: { booking: FeedBookingRow; privateDetails: boolean }[];
}

export interface RenderedFeed {
  body: string;
  /** Strong validator of the body: the same bookings give the same bytes and the same tag. */
  etag: string;
  /** The latest change among the bookings shown; null for an empty feed. */
  lastModified: Date | null;
}

const berlin = (d: Date) => DateTime.fromJSDate(d, { zone: FEED_TIME_ZONE });

/**
 * The feed as iCalendar: METHOD:PUBLISH, the Europe/Berlin VTIMEZONE, times with TZID, and a
 * DTSTAMP taken from the booking's last change rather than from now, so that an unchanged feed
 * is byte for byte the same (ETag, 304).
 */
export function renderFeedCalendar(input: FeedCalendarInput): RenderedFeed {
  const calendar = ical({
    prodId: { company: 'allmende', product: 'calendar-feed', language: input.language.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    name: input.name,
    description: input.description,
    ttl: FEED_REFRESH_SECONDS,
  });
  // The generator without a calendar-wide zone: VTIMEZONE for the events' TZID, DTSTAMP in UTC.
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  calendar.x('X-WR-TIMEZONE', FEED_TIME_ZONE);
  let lastModified: Date | null = null;
  for (const { booking: b, privateDetails } of input.bookings) {
    const text = describeBooking(b, privateDetails, input.language);
    calendar.createEvent({
      id: bookingUid(b.id),
      sequence: b.sequence,
      start: berlin(b.startAt),
      end: berlin(b.endAt),
      timezone: FEED_TIME_ZONE,
      stamp: b.updatedAt,
      lastModified: b.updatedAt,
      summary: text.summary,
      description: text.description,
      location: b.siteName,
      status: ICalEventStatus.CONFIRMED,
      busystatus: ICalEventBusyStatus.BUSY,
    });
    if (!lastModified || b.updatedAt > lastModified) lastModified = b.updatedAt;
  }
  const body = calendar.toString();
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return { body, etag, lastModified };
}

/** If-None-Match: a list of entity tags (weak or strong compare the same here), or `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}
