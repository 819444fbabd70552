import type { BookingAudience, BookingView, MessageFacts } from '../facts';
import type { Language, NotificationKind } from '../kinds';
import { formatDate, formatInstant, formatOffset, formatSpan } from './dates';

/** A message in words: the one place where facts become German or English text. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

interface Draft {
  subject: string;
  paragraphs: string[];
}

type Words = (facts: MessageFacts, l: Language) => Draft;

const t = (l: Language, de: string, en: string) => (l === 'de' ? de : en);

function what(b: BookingView, l: Language): string {
  if (b.machineName)
    return t(l, `Einsatz als Bediener für ${b.machineName}`, `Operator duty for ${b.machineName}`);
  return b.resourceName;
}

function bookingLines(b: BookingView, l: Language): string[] {
  const lines = [
    `${t(l, 'Was', 'What')}: ${what(b, l)}`,
    `${t(l, 'Wann', 'When')}: ${formatSpan(b.start, b.end, l)}`,
    `${t(l, 'Einsatzort', 'Site')}: ${b.siteName}`,
    `${t(l, 'Gebucht von', 'Booked by')}: ${b.municipalityName}`,
    `${t(l, 'Verbund', 'Pool')}: ${b.poolName}`,
  ];
  if (b.operatorNames.length > 0)
    lines.push(`${t(l, 'Bediener', 'Operator')}: ${b.operatorNames.join(', ')}`);
  if (b.emergency) lines.push(t(l, 'Priorität: Notfall', 'Priority: emergency'));
  if (b.notes) lines.push(`${t(l, 'Notiz', 'Note')}: ${b.notes}`);
  return lines;
}

function audienceLine(audience: BookingAudience, b: BookingView, l: Language): string | null {
  switch (audience) {
    case 'owner':
      return t(
        l,
        `Ihre Maschine ${b.resourceName} verlässt dafür den Bauhof ${b.homeMunicipalityName}.`,
        `Your machine ${b.resourceName} leaves the ${b.homeMunicipalityName} depot for it.`,
      );
    case 'coordinator':
      return t(
        l,
        `Zur Kenntnis als Koordination des Verbunds ${b.poolName}.`,
        `For your information as coordinator of ${b.poolName}.`,
      );
    case 'operator':
      return t(l, 'Sie sind als Bediener eingeteilt.', 'You are assigned as the operator.');
    case 'booker':
      return null;
  }
}

function bookingDraft(subjectDe: string, subjectEn: string, leadDe: string, leadEn: string): Words {
  return (facts, l) => {
    if (facts.type !== 'booking') throw new Error('booking facts expected');
    const b = facts.booking;
    const extra = audienceLine(facts.audience, b, l);
    return {
      subject: `${t(l, subjectDe, subjectEn)}: ${what(b, l)}, ${formatInstant(b.start, l)}`,
      paragraphs: [t(l, leadDe, leadEn), bookingLines(b, l).join('\n'), ...(extra ? [extra] : [])],
    };
  };
}

const WORDS: Record<NotificationKind, Words> = {
  'booking-confirmed': bookingDraft(
    'Buchung bestätigt',
    'Booking confirmed',
    'Die Buchung ist bestätigt. Die Kalendereinladung hängt an.',
    'The booking is confirmed. The calendar invitation is attached.',
  ),
  'booking-changed': bookingDraft(
    'Buchung geändert',
    'Booking changed',
    'Die Buchung wurde geändert. So gilt sie jetzt; die Kalendereinladung ist aktualisiert.',
    'The booking was changed. This is how it stands now; the calendar invitation is updated.',
  ),
  'booking-cancelled': bookingDraft(
    'Buchung storniert',
    'Booking cancelled',
    'Die Buchung wurde storniert; der Termin wird aus dem Kalender entfernt.',
    'The booking was cancelled; the appointment is removed from the calendar.',
  ),
  'booking-displaced': (facts, l) => {
    if (facts.type !== 'booking') throw new Error('booking facts expected');
    const b = facts.booking;
    const alternatives = facts.alternatives ?? [];
    const extra = audienceLine(facts.audience, b, l);
    return {
      subject: `${t(l, 'Buchung verdrängt durch Notfall', 'Booking displaced by an emergency')}: ${what(b, l)}, ${formatInstant(b.start, l)}`,
      paragraphs: [
        t(
          l,
          'Ein Notfalleinsatz braucht die Maschine zu dieser Zeit. Ihre Buchung entfällt und steht auf der Warteliste; wird die Zeit wieder frei, bekommen Sie ein Angebot.',
          'An emergency needs the machine at this time. Your booking is withdrawn and on the waitlist; if the time frees up, you will get an offer.',
        ),
        bookingLines(b, l).join('\n'),
        alternatives.length > 0
          ? `${t(l, 'Mögliche Alternativen', 'Possible alternatives')}:\n` +
            alternatives.map((a) => `- ${a.resourceName}: ${formatSpan(a.start, a.end, l)}`).join('\n')
          : t(l, 'Eine Alternative gibt es derzeit nicht.', 'There is no alternative at the moment.'),
        ...(extra ? [extra] : []),
      ],
    };
  },
  reminder: (facts, l) => {
    if (facts.type !== 'booking') throw new Error('booking facts expected');
    const b = facts.booking;
    return {
      subject: `${t(l, 'Erinnerung', 'Reminder')}: ${what(b, l)}, ${formatInstant(b.start, l)}`,
      paragraphs: [
        facts.offsetMinutes
          ? t(
              l,
              `In ${formatOffset(facts.offsetMinutes, l)} beginnt Ihre Buchung.`,
              `Your booking starts in ${formatOffset(facts.offsetMinutes, l)}.`,
            )
          : t(l, 'Ihre Buchung beginnt bald.', 'Your booking starts soon.'),
        bookingLines(b, l).join('\n'),
      ],
    };
  },
  'waitlist-offer': (facts, l) => {
    if (facts.type !== 'waitlist-offer') throw new Error('waitlist facts expected');
    const thing = facts.resourceName ?? facts.resourceType;
    return {
      subject: `${t(l, 'Angebot von der Warteliste', 'Offer from the waitlist')}: ${thing}, ${formatInstant(facts.start, l)}`,
      paragraphs: [
        t(
          l,
          `Für Ihre Anfrage auf der Warteliste ist ${thing} frei geworden.`,
          `${thing} has become free for your request on the waitlist.`,
        ),
        [
          `${t(l, 'Wann', 'When')}: ${formatSpan(facts.start, facts.end, l)}`,
          `${t(l, 'Einsatzort', 'Site')}: ${facts.siteName}`,
          `${t(l, 'Für', 'For')}: ${facts.municipalityName}`,
          `${t(l, 'Verbund', 'Pool')}: ${facts.poolName}`,
        ].join('\n'),
        t(
          l,
          `So nehmen Sie an: in allmende unter „Warteliste“ auf „Annehmen“, oder über die API mit POST /api/v1/waitlist/${facts.waitlistEntryId}/accept. Das Angebot gilt, solange niemand sonst die Zeit bucht.`,
          `How to accept: in allmende under "Waitlist", choose "Accept", or through the API with POST /api/v1/waitlist/${facts.waitlistEntryId}/accept. The offer holds as long as nobody else books the time.`,
        ),
      ],
    };
  },
  'proposal-applied': (facts, l) => {
    if (facts.type !== 'proposal-applied') throw new Error('proposal facts expected');
    return {
      subject: `${t(l, 'Vorschlag umgesetzt', 'Proposal applied')}: ${facts.poolName}`,
      paragraphs: [
        t(
          l,
          `Ein Vorschlag des Planers wurde im Verbund ${facts.poolName} umgesetzt. Das gilt jetzt:`,
          `A planning proposal was applied in ${facts.poolName}. This is what holds now:`,
        ),
        facts.changes
          .map(
            (b) =>
              `- ${b.municipalityName}: ${what(b, l)}, ${formatSpan(b.start, b.end, l)}, ${t(l, 'Einsatzort', 'site')} ${b.siteName}`,
          )
          .join('\n'),
        t(l, 'Die Betroffenen wurden einzeln benachrichtigt.', 'Everyone affected was told individually.'),
      ],
    };
  },
  'inspection-due': (facts, l) => {
    if (facts.type !== 'inspection-due') throw new Error('inspection facts expected');
    return {
      subject: `${t(l, 'Prüfung fällig', 'Inspection due')}: ${facts.resourceName}, ${formatDate(facts.dueDate, l)}`,
      paragraphs: [
        t(
          l,
          `Die Prüfung von ${facts.resourceName} (Bauhof ${facts.homeMunicipalityName}, Verbund ${facts.poolName}) ist am ${formatDate(facts.dueDate, l)} fällig.`,
          `The inspection of ${facts.resourceName} (${facts.homeMunicipalityName} depot, ${facts.poolName}) is due on ${formatDate(facts.dueDate, l)}.`,
        ),
        t(
          l,
          'Ist die Prüfung überfällig, kann die Maschine nicht mehr gebucht werden. Tragen Sie das neue Prüfdatum ein, sobald sie erledigt ist.',
          'Once the inspection is overdue, the machine can no longer be booked. Enter the next inspection date as soon as it is done.',
        ),
      ],
    };
  },
  'statement-issued': (facts, l) => {
    if (facts.type !== 'statement-issued') throw new Error('statement facts expected');
    const number = facts.statementNumber ? ` ${facts.statementNumber}` : '';
    return {
      subject: `${t(l, 'Abrechnung', 'Statement')}${number}: ${facts.poolName}, ${facts.period}`,
      paragraphs: [
        t(
          l,
          `Die Abrechnung${number} des Verbunds ${facts.poolName} für ${facts.municipalityName}, Zeitraum ${facts.period}, ist erstellt.`,
          `The statement${number} of ${facts.poolName} for ${facts.municipalityName}, period ${facts.period}, has been issued.`,
        ),
      ],
    };
  },
  'webhook-disabled': (facts, l) => {
    if (facts.type !== 'webhook-disabled') throw new Error('webhook facts expected');
    return {
      subject: t(l, `Webhook abgeschaltet: ${facts.url}`, `Webhook disabled: ${facts.url}`),
      paragraphs: [
        t(
          l,
          `Der Webhook an ${facts.url} ist seit ${formatInstant(facts.disabledAt, l)} abgeschaltet, weil die Zustellung einen Tag lang fehlschlug.`,
          `The webhook to ${facts.url} was disabled at ${formatInstant(facts.disabledAt, l)} because deliveries failed for a day.`,
        ),
        ...(facts.lastError ? [`${t(l, 'Letzter Fehler', 'Last error')}: ${facts.lastError}`] : []),
        t(
          l,
          'Beheben Sie die Ursache und schalten Sie den Endpunkt über die API wieder ein.',
          'Fix the cause and enable the endpoint again through the API.',
        ),
      ],
    };
  },
};

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Extra paragraphs the sender adds (e.g. where the statement's documents are). */
export function renderMessage(
  kind: NotificationKind,
  facts: MessageFacts,
  language: Language,
  recipientName: string,
  extra: string[] = [],
): RenderedMessage {
  const draft = WORDS[kind](facts, language);
  const greeting = language === 'de' ? `Guten Tag ${recipientName},` : `Hello ${recipientName},`;
  const signature =
    language === 'de'
      ? 'Ihr allmende – Maschinen und Personal im Verbund\nBenachrichtigungen stellen Sie unter /api/v1/users/me/notification-preferences ein.'
      : 'allmende – shared machines and staff\nChange your notifications at /api/v1/users/me/notification-preferences.';
  const paragraphs = [greeting, ...draft.paragraphs, ...extra, signature];
  const text = paragraphs.join('\n\n') + '\n';
  const html =
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(draft.subject)}</title></head>` +
    `<body style="font-family: sans-serif; line-height: 1.4">` +
    paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('') +
    `</body></html>`;
  return { subject: draft.subject, text, html };
}
