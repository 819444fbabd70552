import type { BookingView } from '../facts';
import { BookingInviteOptions, bookingInvite, inviteText } from './booking-event';

const booking = (over: Partial<BookingView>): BookingView => ({
  id: '00000000-0000-4000-8000-000000000001',
  sequence: 3,
  status: 'active',
  emergency: false,
  poolName: 'Bauhof-Verbund Ost',
  resourceName: 'Kehrmaschine 1',
  resourceKind: 'machine',
  machineName: null,
  operatorNames: [],
  municipalityName: 'Eschwege',
  siteName: 'Eschwege',
  homeMunicipalityName: 'Eschwege',
  start: '2027-03-28T00:30:00Z',
  end: '2027-03-28T03:30:00Z',
  notes: null,
  ...over,
});

describe('booking invites', () => {
  it('are byte for byte what ical-generator writes for the whole calendar', () => {
    const bookings = [
      booking({}),
      booking({
        poolName: 'Zweckverband Bauhöfe Südliches Werra-Meißner-Land mit einem sehr langen Namen 🚜',
        resourceName: 'Großflächenmäher „Wiesel“ mit Mulchwerk und Auffangbehälter für Straßenbegleitgrün',
        municipalityName: 'Hessisch Lichtenau',
        siteName: 'Sportplatz Fürstenhagen, Am Hohen Meißner 12, 37235 Hessisch Lichtenau',
        operatorNames: ['Jürgen Weiß', 'Ana Đorđević'],
        machineName: 'Radlader',
        start: '2027-10-31T00:30:00Z',
        end: '2027-10-31T02:30:00Z',
      }),
    ];
    const options: BookingInviteOptions[] = [];
    for (const method of ['REQUEST', 'CANCEL'] as const)
      for (const language of ['de', 'en'] as const)
        options.push({
          method,
          language,
          organizer: { name: 'allmende', email: 'noreply@allmende.local' },
          attendee: { name: 'Jörg Müller-Lüdenscheidt', email: 'joerg.mueller@hessisch-lichtenau.example' },
        });
    for (const b of bookings)
      for (const o of options) {
        const calendar = bookingInvite(b, o);
        expect(inviteText(calendar, o)).toBe(calendar.toString());
      }
  });
});
