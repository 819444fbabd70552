import { createHash } from 'node:crypto';
import ical, { ICalCalendarMethod, ICalEventBusyStatus } from 'ical-generator';
import type { FeedBookingRow } from '@allmende/database';
import { addBookingEvent, BOOKING_TIMEZONE, vtimezone } from '../ical/booking-vevent';
import { describeBooking, FeedLanguage } from './feed-texts';

export { bookingUid } from '../ical/booking-vevent';
export const FEED_TIME_ZONE = BOOKING_TIMEZONE;
/** How often subscribers should fetch again (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
export const FEED_REFRESH_SECONDS = 3600;

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
  calendar.timezone({ name: null, generator: vtimezone });
  calendar.x('X-WR-TIMEZONE', FEED_TIME_ZONE);
  let lastModified: Date | null = null;
  for (const { booking: b, privateDetails } of input.bookings) {
    const text = describeBooking(b, privateDetails, input.language);
    addBookingEvent(
      calendar,
      {
        bookingId: b.id,
        sequence: b.sequence,
        start: b.startAt,
        end: b.endAt,
        stamp: b.updatedAt,
        summary: text.summary,
        description: text.description,
        location: b.siteName,
        cancelled: false,
      },
      { lastModified: b.updatedAt, busystatus: ICalEventBusyStatus.BUSY },
    );
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
