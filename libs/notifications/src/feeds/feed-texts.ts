import type { FeedBookingRow } from '@allmende/database';

export type FeedLanguage = 'de' | 'en';

/** Every word a calendar feed shows, in German (default) and English: the one place they live. */
interface FeedTexts {
  userCalendar(userName: string): string;
  resourceCalendar(resourceName: string): string;
  userCalendarDescription: string;
  resourceCalendarDescription(resourceName: string): string;
  emergency: string;
  operates(staff: string, machine: string): string;
  busy(resource: string, municipality: string): string;
  bookedBy: string;
  site: string;
  pool: string;
  operators: string;
  priority: string;
  emergencyPriority: string;
  notes: string;
  contact: string;
  busyDescription(municipality: string): string;
}

const TEXTS: Record<FeedLanguage, FeedTexts> = {
  de: {
    userCalendar: (user) => `allmende: Buchungen (${user})`,
    resourceCalendar: (resource) => `allmende: ${resource}`,
    userCalendarDescription: 'Buchungen in Ihren Verbünden; die anderer Gemeinden als belegte Zeit.',
    resourceCalendarDescription: (resource) => `Belegungen von ${resource}.`,
    emergency: 'Notfall: ',
    operates: (staff, machine) => `${staff} bedient ${machine}`,
    busy: (resource, municipality) => `${resource} belegt (${municipality})`,
    bookedBy: 'Gebucht von',
    site: 'Einsatzort',
    pool: 'Verbund',
    operators: 'Bedienung',
    priority: 'Priorität',
    emergencyPriority: 'Notfall',
    notes: 'Notizen',
    contact: 'Kontakt',
    busyDescription: (municipality) =>
      `Belegt durch ${municipality}. Einzelheiten sieht nur die buchende Gemeinde.`,
  },
  en: {
    userCalendar: (user) => `allmende: bookings (${user})`,
    resourceCalendar: (resource) => `allmende: ${resource}`,
    userCalendarDescription: "Bookings in your pools; other municipalities' bookings as busy time.",
    resourceCalendarDescription: (resource) => `Bookings of ${resource}.`,
    emergency: 'Emergency: ',
    operates: (staff, machine) => `${staff} operates ${machine}`,
    busy: (resource, municipality) => `${resource} booked (${municipality})`,
    bookedBy: 'Booked by',
    site: 'Site',
    pool: 'Pool',
    operators: 'Operator',
    priority: 'Priority',
    emergencyPriority: 'emergency',
    notes: 'Notes',
    contact: 'Contact',
    busyDescription: (municipality) =>
      `Booked by ${municipality}. Only the booking municipality sees the details.`,
  },
};

export function feedTexts(language: FeedLanguage): FeedTexts {
  return TEXTS[language];
}

/** The event's title and description; `privateDetails` false shows busy time only. */
export function describeBooking(
  b: FeedBookingRow,
  privateDetails: boolean,
  language: FeedLanguage,
): { summary: string; description: string } {
  const t = TEXTS[language];
  if (!privateDetails) {
    return {
      summary: t.busy(b.machineName ?? b.resourceName, b.municipalityName),
      description: [t.busyDescription(b.municipalityName), `${t.pool}: ${b.poolName}`].join('\n'),
    };
  }
  const what = b.machineName ? t.operates(b.resourceName, b.machineName) : b.resourceName;
  const lines = [
    `${t.bookedBy}: ${b.municipalityName}`,
    `${t.site}: ${b.siteName}`,
    `${t.pool}: ${b.poolName}`,
  ];
  if (b.operatorNames) lines.push(`${t.operators}: ${b.operatorNames}`);
  if (b.priority === 'emergency') lines.push(`${t.priority}: ${t.emergencyPriority}`);
  if (b.notes) lines.push(`${t.notes}: ${b.notes}`);
  if (b.contact) lines.push(`${t.contact}: ${b.contact}`);
  return {
    summary: `${b.priority === 'emergency' ? t.emergency : ''}${what} – ${b.municipalityName}`,
    description: lines.join('\n'),
  };
}
