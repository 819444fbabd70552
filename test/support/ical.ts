import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  sequence: number;
  summary: string;
  description: string;
  location: string;
  tzid: string | null;
  start: Date;
  end: Date;
  dtstamp: string;
}

export interface ParsedCalendar {
  props: Record<string, string>;
  timezones: string[];
  events: ParsedEvent[];
}

/**
 * Parses iCalendar text with ical.js, an implementation independent of the generator: times are
 * resolved through the VTIMEZONE the text itself carries.
 */
export function parseCalendar(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const timezones = calendar.getAllSubcomponents('vtimezone');
  for (const tz of timezones) ICAL.TimezoneService.register(tz);
  const props: Record<string, string> = {};
  for (const p of calendar.getAllProperties()) props[p.name.toUpperCase()] = String(p.getFirstValue());
  const events = calendar.getAllSubcomponents('vevent').map((c) => {
    const event = new ICAL.Event(c);
    const dtstart = c.getFirstProperty('dtstart');
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      description: event.description,
      location: event.location,
      tzid: (dtstart?.getParameter('tzid') as string | undefined) ?? null,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      dtstamp: String(c.getFirstPropertyValue('dtstamp')),
    };
  });
  return { props, timezones: timezones.map((t) => String(t.getFirstPropertyValue('tzid'))), events };
}
