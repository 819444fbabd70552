import ical, { ICalAlarmType, ICalCalendarMethod } from 'ical-generator';
import type { BookingView } from '../facts';
import type { Language } from '../kinds';
import { addBookingEvent, BOOKING_TIMEZONE, vtimezone } from './booking-vevent';

export { BOOKING_TIMEZONE, bookingUid } from './booking-vevent';

export interface BookingInviteOptions {
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  organizer: { name: string; email: string };
  attendee?: { name: string; email: string };
  language: Language;
  /** Minutes before the start the calendar alarm fires. */
  alarmMinutes?: number;
}

function summary(b: BookingView, l: Language): string {
  const what = b.machineName ? `${l === 'de' ? 'Bediener' : 'Operator'}: ${b.machineName}` : b.resourceName;
  return `${what} – ${b.municipalityName}`;
}

/**
 * A booking as an iCalendar object: one VEVENT with the Europe/Berlin VTIMEZONE, UID stable for
 * the booking, SEQUENCE the booking's sequence, the site as LOCATION, the pool as ORGANIZER and a
 * display alarm. CANCEL (cancelled or displaced) marks the event cancelled. Feeds can reuse it
 * with method PUBLISH.
 */
export function buildBookingCalendar(b: BookingView, o: BookingInviteOptions): string {
  const calendar = ical({
    prodId: { company: 'allmende', product: 'allmende', language: o.language.toUpperCase() },
    method: ICalCalendarMethod[o.method],
    timezone: { name: BOOKING_TIMEZONE, generator: vtimezone },
  });
  const cancelled = o.method === 'CANCEL';
  const description = [
    `${o.language === 'de' ? 'Verbund' : 'Pool'}: ${b.poolName}`,
    `${o.language === 'de' ? 'Gebucht von' : 'Booked by'}: ${b.municipalityName}`,
    ...(b.operatorNames.length
      ? [`${o.language === 'de' ? 'Bediener' : 'Operator'}: ${b.operatorNames.join(', ')}`]
      : []),
  ].join('\n');
  addBookingEvent(
    calendar,
    {
      bookingId: b.id,
      sequence: b.sequence,
      start: b.start,
      end: b.end,
      stamp: new Date(),
      summary: summary(b, o.language),
      description,
      location: b.siteName,
      cancelled,
    },
    {
      organizer: { name: `${b.poolName} (allmende)`, email: o.organizer.email },
      attendees: o.attendee ? [{ name: o.attendee.name, email: o.attendee.email, rsvp: false }] : [],
      alarms: cancelled
        ? []
        : [
            {
              type: ICalAlarmType.display,
              trigger: (o.alarmMinutes ?? 60) * 60,
              description: summary(b, o.language),
            },
          ],
    },
  );
  return calendar.toString();
}
