import ical, { ICalAlarmType, ICalCalendar, ICalCalendarMethod } from 'ical-generator';
import type { BookingView } from '../facts';
import type { Language } from '../kinds';
import { addBookingEvent, BOOKING_TIMEZONE, vtimezone } from './booking-vevent';
import { foldLines } from './fold-lines';

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

function inviteCalendar(o: BookingInviteOptions): ICalCalendar {
  return ical({
    prodId: { company: 'allmende', product: 'allmende', language: o.language.toUpperCase() },
    method: ICalCalendarMethod[o.method],
    timezone: { name: BOOKING_TIMEZONE, generator: vtimezone },
  });
}

/**
 * A booking as an iCalendar object: one VEVENT with the Europe/Berlin VTIMEZONE, UID stable for
 * the booking, SEQUENCE the booking's sequence, the site as LOCATION, the pool as ORGANIZER and a
 * display alarm. CANCEL (cancelled or displaced) marks the event cancelled. Feeds can reuse it
 * with method PUBLISH.
 */
export function buildBookingCalendar(b: BookingView, o: BookingInviteOptions): string {
  return inviteText(bookingInvite(b, o), o);
}

const CALENDAR_END = 'END:VCALENDAR';
/** Everything of an invite before its event (VCALENDAR, METHOD, VTIMEZONE), per method and language. */
const heads = new Map<string, string>();

/**
 * The text of an invite, byte for byte `calendar.toString()` (the spec compares them): the
 * calendar's lines before its event never change for a method and language, so ical-generator
 * writes them once per process; per message it writes only the event, folded the library's way.
 */
export function inviteText(calendar: ICalCalendar, o: BookingInviteOptions): string {
  const key = `${o.method} ${o.language}`;
  let head = heads.get(key);
  if (head === undefined) {
    const empty = inviteCalendar(o).toString();
    if (!empty.endsWith(CALENDAR_END)) throw new Error('unexpected iCalendar layout from ical-generator');
    head = empty.slice(0, -CALENDAR_END.length);
    heads.set(key, head);
  }
  return (
    head +
    calendar
      .events()
      .map((e) => foldLines(e.toString()))
      .join('') +
    CALENDAR_END
  );
}

/** The invite as ical-generator's calendar with its one event. */
export function bookingInvite(b: BookingView, o: BookingInviteOptions): ICalCalendar {
  const calendar = inviteCalendar(o);
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
  return calendar;
}
