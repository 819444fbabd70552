import { DateTime } from 'luxon';
import type { ICalCalendar, ICalEvent, ICalEventData } from 'ical-generator';
import { ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';

/** Bookings are shown in Berlin time, in invites and feeds alike. */
export const BOOKING_TIMEZONE = 'Europe/Berlin';

/** The UID of a booking's event: the same in every feed and every invite, for its whole life. */
export function bookingUid(bookingId: string): string {
  return `${bookingId}@allmende`;
}

/** The VTIMEZONE blocks never change while the process runs: read each once. */
const vtimezones = new Map<string, string | null>();
export function vtimezone(tz: string): string | null {
  if (!vtimezones.has(tz)) vtimezones.set(tz, getVtimezoneComponent(tz));
  return vtimezones.get(tz)!;
}

/** What every booking event carries, in an invite or a feed. */
export interface BookingEventFields {
  bookingId: string;
  sequence: number;
  start: Date | string;
  end: Date | string;
  summary: string;
  description: string;
  location: string | null;
  cancelled: boolean;
  /** DTSTAMP: now for an invite; the booking's last change for a feed (same bytes, same ETag). */
  stamp: Date;
}

const berlin = (t: Date | string) =>
  (typeof t === 'string' ? DateTime.fromISO(t) : DateTime.fromJSDate(t)).setZone(BOOKING_TIMEZONE);

/**
 * The one VEVENT of a booking, for invites and feeds: UID stable for the booking, SEQUENCE the
 * booking's sequence, DTSTART/DTEND as Berlin wall-clock time with TZID, the site as LOCATION,
 * CANCELLED or CONFIRMED. `extra` adds what only one of them has (organizer and alarm, or
 * LAST-MODIFIED and busy status).
 */
export function addBookingEvent(
  calendar: ICalCalendar,
  f: BookingEventFields,
  extra: Partial<ICalEventData> = {},
): ICalEvent {
  return calendar.createEvent({
    id: bookingUid(f.bookingId),
    sequence: f.sequence,
    start: berlin(f.start),
    end: berlin(f.end),
    timezone: BOOKING_TIMEZONE,
    stamp: f.stamp,
    summary: f.summary,
    description: f.description,
    location: f.location,
    status: f.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...extra,
  });
}
