import { DateTime } from 'luxon';
import { DomainError, ErrorCode, FieldError, NotFound } from '@allmende/core';
import { germanConflict, germanFieldMessage, germanRefusal } from './domain-messages.de';

/** The languages of error texts (API.md: German by default, English by Accept-Language). */
export type Language = 'de' | 'en';

/** The caller's language from Accept-Language: English only when preferred over German. */
export function negotiateLanguage(header: string | undefined): Language {
  if (!header) return 'de';
  let best: { lang: Language; q: number } | null = null;
  for (const part of header.split(',').slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Language | null = tag.startsWith('de') ? 'de' : tag.startsWith('en') ? 'en' : null;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'de';
}

const ZONE = 'Europe/Berlin';

const WEEKDAYS = ['Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.', 'So.'];

/** "Fr., 25.12.2026, 08:00 Uhr" (Europe/Berlin); a date alone as "Fr., 25.12.2026". Independent of ICU data. */
export function germanDate(value: string | Date): string {
  const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = dateOnly
    ? DateTime.fromISO(value, { zone: ZONE })
    : (typeof value === 'string' ? DateTime.fromISO(value) : DateTime.fromJSDate(value)).setZone(ZONE);
  if (!d.isValid) return String(value);
  const day = `${WEEKDAYS[d.weekday - 1]}, ${d.toFormat('dd.MM.yyyy')}`;
  return dateOnly ? day : `${day}, ${d.toFormat('HH:mm')} Uhr`;
}

export const TITLES: Record<Language, Record<ErrorCode, string>> = {
  en: {
    [ErrorCode.ValidationFailed]: 'Validation failed',
    [ErrorCode.BadRequest]: 'Bad request',
    [ErrorCode.Unauthorized]: 'Unauthorized',
    [ErrorCode.Forbidden]: 'Forbidden',
    [ErrorCode.NotFound]: 'Not found',
    [ErrorCode.Conflict]: 'Conflict',
    [ErrorCode.BookingConflict]: 'Booking conflict',
    [ErrorCode.ResourceUnavailable]: 'Resource unavailable',
    [ErrorCode.IdempotencyKeyReused]: 'Idempotency key reused',
    [ErrorCode.IdempotencyKeyInFlight]: 'Request with this idempotency key in flight',
    [ErrorCode.PayloadTooLarge]: 'Payload too large',
    [ErrorCode.UnsupportedMediaType]: 'Unsupported media type',
    [ErrorCode.RateLimited]: 'Too many requests',
    [ErrorCode.ServiceUnavailable]: 'Service unavailable',
    [ErrorCode.Internal]: 'Internal server error',
    [ErrorCode.PeriodFinalized]: 'Period finalized',
    [ErrorCode.NotAcceptable]: 'Not acceptable',
    [ErrorCode.CsrfTokenInvalid]: 'CSRF token missing or invalid',
    [ErrorCode.AccountLocked]: 'Account locked',
  },
  de: {
    [ErrorCode.ValidationFailed]: 'Ungültige Eingabe',
    [ErrorCode.BadRequest]: 'Fehlerhafte Anfrage',
    [ErrorCode.Unauthorized]: 'Nicht angemeldet',
    [ErrorCode.Forbidden]: 'Nicht erlaubt',
    [ErrorCode.NotFound]: 'Nicht gefunden',
    [ErrorCode.Conflict]: 'Konflikt',
    [ErrorCode.BookingConflict]: 'Buchungskonflikt',
    [ErrorCode.ResourceUnavailable]: 'Ressource nicht verfügbar',
    [ErrorCode.IdempotencyKeyReused]: 'Idempotency-Key wiederverwendet',
    [ErrorCode.IdempotencyKeyInFlight]: 'Anfrage mit diesem Idempotency-Key läuft noch',
    [ErrorCode.PayloadTooLarge]: 'Anfrage zu groß',
    [ErrorCode.UnsupportedMediaType]: 'Format nicht unterstützt',
    [ErrorCode.RateLimited]: 'Zu viele Anfragen',
    [ErrorCode.ServiceUnavailable]: 'Dienst nicht verfügbar',
    [ErrorCode.Internal]: 'Interner Fehler',
    [ErrorCode.PeriodFinalized]: 'Zeitraum abgeschlossen',
    [ErrorCode.NotAcceptable]: 'Format nicht verfügbar',
    [ErrorCode.CsrfTokenInvalid]: 'Sicherheitstoken fehlt oder ist ungültig',
    [ErrorCode.AccountLocked]: 'Konto vorübergehend gesperrt',
  },
};

const GERMAN_NOUNS: Record<string, string> = {
  'The resource': 'Die angefragte Ressource',
  Booking: 'Die Buchung',
  Resource: 'Die Ressource',
  Machine: 'Die Maschine',
  Pool: 'Der Pool',
  Municipality: 'Die Kommune',
  User: 'Der Benutzer',
  Token: 'Das Token',
  'Waitlist entry': 'Der Wartelisteneintrag',
  Proposal: 'Der Vorschlag',
  'Solver run': 'Der Planungslauf',
  Operator: 'Der Bediener',
  Blackout: 'Die Sperrzeit',
  'Calendar feed': 'Das Kalender-Abo',
  Notification: 'Die Benachrichtigung',
  'Statement of municipality': 'Die Abrechnung der Kommune',
  'Usage of booking': 'Die Nutzung der Buchung',
  'Webhook delivery': 'Die Webhook-Zustellung',
  'Webhook endpoint': 'Der Webhook',
};

/** What a NotFound looked for, in German ("User with the email x" keeps its detail). */
function germanNoun(what: string): string {
  const byEmail = /^User with the email (.+)$/.exec(what);
  if (byEmail) return `Der Benutzer mit der E-Mail-Adresse ${byEmail[1]}`;
  return GERMAN_NOUNS[what] ?? what;
}

/** German for class-validator's rules and ours; the rest from domain-messages.de.ts, else English. */
const GERMAN_RULES: Record<string, (field: string, e: FieldError) => string> = {
  whitelistValidation: () => 'ist kein bekanntes Feld',
  isUuid: (f) => `${f} muss eine UUID sein`,
  isInstant: (f) =>
    `${f} muss ein ISO-8601-Zeitpunkt mit Zeitzone sein, z. B. 2026-10-25T02:30:00+02:00 (in einer URL + als %2B schreiben)`,
  inPlanningRange: (f) => `${f} muss zwischen 2000 und 2099 liegen`,
  isAfter: (f) => `${f} muss nach dem Beginn liegen`,
  isString: (f) => `${f} muss ein Text sein`,
  isNumber: (f) => `${f} muss eine Zahl sein`,
  isInt: (f) => `${f} muss eine ganze Zahl sein`,
  min: (f) => `${f} ist zu klein`,
  max: (f) => `${f} ist zu groß`,
  minLength: (f) => `${f} ist zu kurz`,
  maxLength: (f) => `${f} ist zu lang`,
  isIn: (f) => `${f} hat keinen der erlaubten Werte`,
  isEnum: (f) => `${f} hat keinen der erlaubten Werte`,
  matches: (f) => `${f} hat nicht das erwartete Format`,
  isObject: (f) => `${f} muss ein Objekt sein`,
  nestedValidation: (f) => `${f} muss ein Objekt sein`,
  isDefined: (f) => `${f} fehlt`,
  isEmail: (f) => `${f} muss eine E-Mail-Adresse sein`,
  isIso8601: (f) => `${f} muss ein Datum sein (JJJJ-MM-TT)`,
  isArray: (f) => `${f} muss eine Liste sein`,
  arrayMaxSize: (f) => `${f} hat zu viele Einträge`,
  arrayUnique: (f) => `${f} enthält Einträge doppelt`,
  isLatitude: (f) => `${f} muss ein Breitengrad sein`,
  isLongitude: (f) => `${f} muss ein Längengrad sein`,
  isBoolean: (f) => `${f} muss true oder false sein`,
  unstorable: (f) => `${f} enthält ein NUL-Zeichen oder ein einzelnes UTF-16-Surrogat`,
  tooLong: (f) => `${f} ist zu lang`,
  tooDeep: (f) => `${f} ist zu tief verschachtelt`,
  cursor: () => 'ist kein Cursor, den dieser Endpunkt ausgegeben hat',
  resourceType: (f, e) =>
    `${f}: Ressourcen dieses Typs hat der Pool nicht; seine Typen sind: ${e.allowed?.join(', ') || 'keine'}`,
  reference: (f) => `${f} verweist auf etwas, das es nicht gibt`,
  dataRange: (f) => `${f} liegt außerhalb des erlaubten Bereichs`,
};

function fieldMessage(e: FieldError, lang: Language): string {
  if (lang === 'en') return e.message;
  const render = e.rule ? GERMAN_RULES[e.rule] : undefined;
  if (render) return render(e.field.split('.').pop() ?? e.field, e);
  // The domain's own messages (no class-validator rule): German from the catalogue.
  return germanFieldMessage(e.message) ?? e.message;
}

export function translateFieldErrors(errors: FieldError[], lang: Language): FieldError[] {
  return errors.map((e) => ({ ...e, message: fieldMessage(e, lang) }));
}

interface ReasonFacts {
  reason: string;
  detail: string;
  resourceName?: string;
  date?: string;
  holiday?: string;
  state?: string;
  start?: string;
  end?: string;
  note?: string;
}

const GERMAN_REASONS: Record<string, (r: ReasonFacts) => string> = {
  'public-holiday': (r) =>
    r.date
      ? `${germanDate(r.date)} ist ein gesetzlicher Feiertag${r.holiday ? ` (${r.holiday})` : ''}${r.state ? ` in ${r.state}` : ''}.`
      : 'An diesem Tag ist ein gesetzlicher Feiertag.',
  blackout: (r) =>
    r.start && r.end
      ? `${r.resourceName ?? 'Die Ressource'} ist von ${germanDate(r.start)} bis ${germanDate(r.end)} nicht verfügbar${r.note ? `: ${r.note}` : ''}.`
      : `${r.resourceName ?? 'Die Ressource'} ist in dieser Zeit gesperrt.`,
  'inspection-overdue': (r) =>
    `${r.resourceName ?? 'Die Maschine'} ist ${r.date ? `am ${germanDate(r.date)} ` : ''}zur Prüfung fällig und darf danach nicht eingesetzt werden.`,
  'outside-working-hours': (r) => `${r.resourceName ?? 'Die Person'} arbeitet zu dieser Zeit nicht.`,
  'not-a-pool-member': () =>
    'Die buchende Kommune ist nicht an jedem Tag der Buchung Mitglied im Pool der Ressource.',
  'operator-not-qualified': () => 'Für diese Maschine ist kein qualifizierter Bediener frei.',
  'resource-inactive': (r) => `${r.resourceName ?? 'Die Ressource'} ist außer Dienst gestellt.`,
};

function germanReasons(reasons: unknown): string[] {
  if (!Array.isArray(reasons)) return [];
  return (reasons as ReasonFacts[]).map((r) => GERMAN_REASONS[r.reason]?.(r) ?? r.detail);
}

/** German details by error code; a code without an entry keeps the error's own message. */
const GERMAN_DETAILS: Partial<Record<ErrorCode, (e: DomainError) => string>> = {
  [ErrorCode.ValidationFailed]: (e) => {
    const errors = (e.extra.errors as FieldError[] | undefined) ?? [];
    const list = translateFieldErrors(errors, 'de')
      .slice(0, 5)
      .map((f) => (f.message.startsWith(f.field) ? f.message : `${f.field}: ${f.message}`));
    return list.length ? `Die Anfrage ist ungültig: ${list.join('; ')}.` : 'Die Anfrage ist ungültig.';
  },
  [ErrorCode.BadRequest]: () => 'Die Anfrage ist fehlerhaft.',
  [ErrorCode.Unauthorized]: () =>
    'Ein gültiges Bearer-Token ist erforderlich (Authorization: Bearer <Token>).',
  [ErrorCode.Forbidden]: (e) => germanRefusal(e.message) ?? 'Das darf Ihre Rolle hier nicht.',
  [ErrorCode.NotFound]: (e) =>
    e instanceof NotFound ? `${germanNoun(e.what)} wurde nicht gefunden.` : 'Nicht gefunden.',
  [ErrorCode.Conflict]: (e) =>
    germanConflict(e.message) ??
    (e.extra.field === 'email'
      ? 'Ein Benutzer mit dieser E-Mail-Adresse existiert bereits.'
      : e.extra.field === 'ags'
        ? 'Eine Kommune mit diesem AGS existiert bereits.'
        : 'Die Änderung widerspricht dem aktuellen Stand.'),
  [ErrorCode.BookingConflict]: (e) => {
    const n = Array.isArray(e.extra.conflictingBookingIds) ? e.extra.conflictingBookingIds.length : 0;
    return n > 0
      ? `Die Ressource ist in dieser Zeit (einschließlich An- und Abfahrt) schon belegt: ${n} Buchung${n === 1 ? '' : 'en'} im Weg; siehe alternatives.`
      : 'Die Ressource ist in dieser Zeit (einschließlich An- und Abfahrt) schon belegt.';
  },
  [ErrorCode.ResourceUnavailable]: (e) => {
    const reasons = germanReasons(e.extra.reasons);
    return reasons.length
      ? `Zu dieser Zeit nicht buchbar: ${reasons.join(' ')}`
      : 'Die Ressource ist zu dieser Zeit nicht buchbar.';
  },
  [ErrorCode.IdempotencyKeyReused]: () =>
    'Dieser Idempotency-Key wurde schon mit einem anderen Anfrageinhalt verwendet.',
  [ErrorCode.IdempotencyKeyInFlight]: () =>
    'Eine Anfrage mit diesem Idempotency-Key wird noch bearbeitet oder ist gerade gescheitert; bitte wiederholen.',
  [ErrorCode.PayloadTooLarge]: () => 'Der Anfrageinhalt ist größer als erlaubt.',
  [ErrorCode.UnsupportedMediaType]: () =>
    'Das Format oder die Kodierung des Anfrageinhalts wird nicht unterstützt.',
  [ErrorCode.RateLimited]: (e) =>
    e.extra.lockedUntil
      ? 'Zu viele gescheiterte Anmeldungen von dieser Adresse; bitte später erneut versuchen.'
      : 'Zu viele Anfragen mit diesem Token; bitte kurz warten.',
  [ErrorCode.AccountLocked]: () =>
    'Zu viele gescheiterte Anmeldungen für dieses Konto; es ist eine Weile gesperrt.',
  [ErrorCode.CsrfTokenInvalid]: () =>
    'Eine Änderung mit dem Sitzungs-Cookie braucht den Header X-CSRF-Token mit dem Wert des CSRF-Cookies.',
  [ErrorCode.PeriodFinalized]: (e) =>
    typeof e.extra.finalizedPeriod === 'string'
      ? `Der Zeitraum ${e.extra.finalizedPeriod} ist abgeschlossen; eine neue Vereinbarung kann erst danach gelten.`
      : typeof e.extra.period === 'string'
        ? `Der Zeitraum ${e.extra.period} ist schon abgeschlossen.`
        : 'Der Zeitraum ist schon abgeschlossen.',
  [ErrorCode.NotAcceptable]: (e) =>
    Array.isArray(e.extra.available)
      ? `Verfügbar sind nur diese Formate: ${e.extra.available.join(', ')}.`
      : 'Dieses Format ist nicht verfügbar.',
  [ErrorCode.ServiceUnavailable]: () =>
    'Die Datenbank ist ausgelastet; bitte in ein paar Sekunden wiederholen.',
  [ErrorCode.Internal]: () => 'Ein unerwarteter Fehler ist aufgetreten.',
};

/** The detail of a domain error in the caller's language. */
export function detailOf(error: DomainError, lang: Language): string {
  if (lang === 'en') return error.message;
  return GERMAN_DETAILS[error.code]?.(error) ?? error.message;
}

/** The title of a code in the caller's language; unknown codes (added elsewhere) get a generic one. */
export function titleOf(code: string, lang: Language): string {
  return (
    (TITLES[lang] as Record<string, string>)[code] ??
    code
      .toLowerCase()
      .replace(/_/g, ' ')
      .replace(/^./, (c) => c.toUpperCase())
  );
}
