/**
 * German for what the services write in English: field messages (ValidationFailed without a
 * class-validator `rule`), the details of conflicts (409) and refusals (403). Each pattern matches
 * one message as the services word it and keeps its numbers and names.
 * `domain-messages.de.spec.ts` reads every such message from the source and checks it has German.
 */

/** Patterns of English messages, each with its German. */
type Catalogue = [RegExp, (m: RegExpExecArray) => string][];

/** The German of the first pattern that matches, or undefined. */
function lookUp(catalogue: Catalogue, message: string): string | undefined {
  for (const [pattern, render] of catalogue) {
    const m = pattern.exec(message);
    if (m) return render(m);
  }
  return undefined;
}

/** The kinds of address a webhook may not point to (webhook-target-policy.ts). */
const ADDRESS_KINDS: Record<string, string> = {
  unspecified: 'eine unspezifizierte Adresse',
  private: 'eine private Adresse',
  'private (carrier-grade NAT)': 'eine private Adresse (Carrier-Grade-NAT)',
  loopback: 'eine Loopback-Adresse',
  'link-local': 'eine Link-Local-Adresse',
  'unique-local': 'eine Unique-Local-Adresse',
  reserved: 'eine reservierte Adresse',
  'reserved (benchmarking)': 'eine reservierte Adresse (Benchmarking)',
  multicast: 'eine Multicast-Adresse',
};

/** Field messages. */
const MESSAGES: Catalogue = [
  // Periods and order
  [/^must be after from$/, () => 'muss nach from liegen'],
  [/^must be after start$/, () => 'muss nach dem Beginn liegen'],
  [/^must be after joinedOn$/, () => 'muss nach joinedOn liegen'],
  [/^must lie after inspectedOn$/, () => 'muss nach inspectedOn liegen'],
  [/^the period may span at most (\d+) days$/, (m) => `der Zeitraum darf höchstens ${m[1]} Tage umfassen`],
  [/^a booking may last at most (\d+) days$/, (m) => `eine Buchung darf höchstens ${m[1]} Tage dauern`],
  [/^a report covers at most five years$/, () => 'ein Bericht umfasst höchstens fünf Jahre'],
  [/^must lie between (\d+) and (\d+)$/, (m) => `muss zwischen ${m[1]} und ${m[2]} liegen`],
  [/^must be a year between 2000 and 2100$/, () => 'muss ein Jahr zwischen 2000 und 2100 sein'],
  [
    /^must be a month \(2026-11\), a quarter \(2026-Q4\) or a year \(2026\) between 2000 and 2100$/,
    () => 'muss ein Monat (2026-11), ein Quartal (2026-Q4) oder ein Jahr (2026) zwischen 2000 und 2100 sein',
  ],
  [/^must be a date YYYY-MM-DD$/, () => 'muss ein Datum JJJJ-MM-TT sein'],
  [
    /^is required \(a date, e\.g\. 2026-01-01\), or give year$/,
    () => 'fehlt (ein Datum, z. B. 2026-01-01), oder year angeben',
  ],
  [
    /^give either year or from and to, not both$/,
    () => 'entweder year oder from und to angeben, nicht beides',
  ],
  [/^must not lie after today \((.+)\)$/, (m) => `darf nicht nach heute (${m[1]}) liegen`],
  [
    /^must not lie in the past; a coordinator or admin may enter a past booking with "backdated": true$/,
    () =>
      'darf nicht in der Vergangenheit liegen; Koordinatoren und Admins können eine vergangene Buchung mit "backdated": true nachtragen',
  ],
  [
    /^only a coordinator or an admin may enter a booking after the fact$/,
    () => 'nur Koordinatoren und Admins dürfen eine Buchung nachträglich eintragen',
  ],
  [/^must contain start and end$/, () => 'muss Beginn und Ende enthalten'],

  // Things named that do not exist
  [/^does not exist$/, () => 'gibt es nicht'],
  [/^is not a municipality$/, () => 'ist keine Kommune'],
  [/^no such municipality$/, () => 'diese Kommune gibt es nicht'],
  [/^names no municipality$/, () => 'nennt keine Kommune'],
  [
    /^names no municipality \(give its id or its 8-digit AGS\)$/,
    () => 'nennt keine Kommune (ihre ID oder ihren 8-stelligen AGS angeben)',
  ],
  [/^municipality does not exist$/, () => 'die Kommune gibt es nicht'],
  [/^municipality (.+) does not exist$/, (m) => `die Kommune ${m[1]} gibt es nicht`],
  [/^both municipalities must exist$/, () => 'beide Kommunen müssen existieren'],
  [/^names no pool$/, () => 'nennt keinen Pool'],
  [/^names no pool: (.+)$/, (m) => `nennt keinen Pool: ${m[1]}`],
  [/^names no resource you can see$/, () => 'nennt keine Ressource, die Sie sehen dürfen'],
  [/^is not a cursor this list gave out$/, () => 'ist kein Cursor, den diese Liste ausgegeben hat'],
  [/^must be one of (.+)$/, (m) => `muss einer dieser Werte sein: ${m[1]}`],

  // Pools, members, scenarios
  [/^is a member of the pool on (.+) already$/, (m) => `ist am ${m[1]} schon Mitglied des Pools`],
  [/^is not a member of the pool on (.+)$/, (m) => `ist am ${m[1]} kein Mitglied des Pools`],
  [
    /^name at least one municipality that joins or leaves$/,
    () => 'mindestens eine Kommune nennen, die beitritt oder austritt',
  ],
  [/^must add up to 100 percent \(is (.+)\)$/, (m) => `muss zusammen 100 Prozent ergeben (ist ${m[1]})`],
  [/^only for key "(.+)"$/, (m) => `nur für den Schlüssel „${m[1]}“`],
  [/^must be a whole number of cents ≥ 0$/, () => 'muss eine ganze Zahl von Cent ≥ 0 sein'],
  [/^must be a number of hours ≥ 0$/, () => 'muss eine Zahl von Stunden ≥ 0 sein'],
  [
    /^is needed to settle through the lead municipality$/,
    () => 'wird gebraucht, um über die federführende Kommune abzurechnen',
  ],

  // Users and passwords
  [/^an admin belongs to no municipality$/, () => 'ein Admin gehört zu keiner Kommune'],
  [/^a (.+) must belong to a municipality$/, (m) => `die Rolle ${m[1]} braucht eine Kommune`],
  [/^only coordinators are assigned pools$/, () => 'nur Koordinatoren werden Pools zugewiesen'],
  [
    /^a coordinator needs the pools it coordinates$/,
    () => 'ein Koordinator braucht die Pools, die er koordiniert',
  ],
  [/^must be at least (\d+) characters long$/, (m) => `muss mindestens ${m[1]} Zeichen lang sein`],
  [/^must be at most (\d+) characters long$/, (m) => `darf höchstens ${m[1]} Zeichen lang sein`],
  [/^must be at most (\d+) characters$/, (m) => `darf höchstens ${m[1]} Zeichen lang sein`],
  [/^must be 1 to (\d+) characters$/, (m) => `muss 1 bis ${m[1]} Zeichen lang sein`],
  [/^must not be only spaces$/, () => 'darf nicht nur aus Leerzeichen bestehen'],
  [/^is not the current password$/, () => 'ist nicht das aktuelle Passwort'],
  [
    /^is not accepted here: the response carries a secret that is never stored$/,
    () => 'wird hier nicht angenommen: die Antwort enthält ein Geheimnis, das nie gespeichert wird',
  ],

  // Notifications and webhooks
  [/^at most (\d+) offsets$/, (m) => `höchstens ${m[1]} Vorlaufzeiten`],
  [
    /^each offset is whole minutes from (\d+) to (\d+)$/,
    (m) => `jede Vorlaufzeit ist eine ganze Zahl von Minuten von ${m[1]} bis ${m[2]}`,
  ],
  [/^offsets must differ$/, () => 'die Vorlaufzeiten müssen verschieden sein'],
  [/^must be de or en$/, () => 'muss de oder en sein'],
  [/^unknown kinds: (.+)$/, (m) => `unbekannte Arten: ${m[1]}`],
  [/^give poolId or municipalityId, not both$/, () => 'poolId oder municipalityId angeben, nicht beides'],
  [
    /^name the pool \(or your municipality\) the webhook is for$/,
    () => 'den Pool (oder Ihre Kommune) nennen, für den der Webhook gilt',
  ],
  [/^must be an absolute http or https URL$/, () => 'muss eine absolute http- oder https-URL sein'],
  [/^must use http or https, not (.+)$/, (m) => `muss http oder https verwenden, nicht ${m[1]}`],
  [
    /^must not carry a user name or password; the signature authenticates$/,
    () => 'darf keinen Benutzernamen und kein Passwort enthalten; die Signatur weist aus',
  ],
  [/^must name a host$/, () => 'muss einen Host nennen'],
  [
    /^must not point to (.+): an? (.+) address; an admin may allow it in ALLMENDE_WEBHOOK_ALLOWED_HOSTS$/,
    (m) =>
      `darf nicht auf ${m[1]} zeigen, ${ADDRESS_KINDS[m[2]] ?? `eine Adresse der Art ${m[2]}`}; ein Admin kann sie in ALLMENDE_WEBHOOK_ALLOWED_HOSTS erlauben`,
  ],
  [/^(.+) has no address$/, (m) => `${m[1]} hat keine Adresse`],
  [
    /^names a host that cannot be resolved: (.+)$/,
    (m) => `nennt einen Host, der sich nicht auflösen lässt: ${m[1]}`,
  ],

  // Bookings, series, usage, operators
  [/^must be a resource of the same pool$/, () => 'muss eine Ressource desselben Pools sein'],
  [
    /^must be a (.+) like the booked one$/,
    (m) =>
      `muss wie die gebuchte ${m[1] === 'staff' ? 'eine Person' : m[1] === 'machine' ? 'eine Maschine' : m[1]} sein`,
  ],
  [/^must be a staff member of the machine’s pool$/, () => 'muss eine Person aus dem Pool der Maschine sein'],
  [/^only machines take an operator$/, () => 'nur Maschinen bekommen einen Bediener'],
  [
    /^is not a valid RRULE: write NAME=VALUE parts separated by ";", e\.g\. (.+)$/,
    (m) => `ist keine gültige RRULE: Teile NAME=WERT durch „;“ getrennt, z. B. ${m[1]}`,
  ],
  [
    /^is not a valid RRULE: Unknown RRULE property '(.*)'$/,
    (m) => `ist keine gültige RRULE: unbekannte Eigenschaft „${m[1]}“`,
  ],
  [
    /^is not a valid RRULE: Invalid UNTIL value: (.*)$/,
    (m) => `ist keine gültige RRULE: ungültiges UNTIL „${m[1]}“`,
  ],
  [
    /^is not a valid RRULE: Invalid weekday string: (.*)$/,
    (m) => `ist keine gültige RRULE: ungültiger Wochentag „${m[1]}“`,
  ],
  [
    /^is not a valid RRULE: Can't create weekday with n == 0$/,
    () => 'ist keine gültige RRULE: ein Wochentag kann nicht an Position 0 stehen',
  ],
  [/^is not a valid RRULE: (.+)$/, (m) => `ist keine gültige RRULE: ${m[1]}`],
  [
    /^FREQ is required: YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY$/,
    () => 'FREQ fehlt oder ist unbekannt: YEARLY, MONTHLY, WEEKLY, DAILY oder HOURLY',
  ],
  [
    /^BYDAY must list weekdays \(MO, TU, WE, TH, FR, SA, SU\), each with an optional position such as 2MO or -1FR$/,
    () =>
      'BYDAY muss Wochentage nennen (MO, TU, WE, TH, FR, SA, SU), jeder wahlweise mit Position wie 2MO oder -1FR',
  ],
  [
    /^matches too rarely: not all its occurrences fall within (\d+) years of the start \(perhaps it never matches, as BYMONTH=2;BYMONTHDAY=30\)$/,
    (m) =>
      `trifft zu selten zu: nicht alle Termine liegen in den ${m[1]} Jahren ab start (vielleicht trifft sie nie zu, wie BYMONTH=2;BYMONTHDAY=30)`,
  ],
  [
    /^must not carry DTSTART or TZID; start gives them$/,
    () => 'darf DTSTART und TZID nicht enthalten; beides ergibt sich aus start',
  ],
  [/^needs COUNT or UNTIL$/, () => 'braucht COUNT oder UNTIL'],
  [/^COUNT must be at least 1$/, () => 'COUNT muss mindestens 1 sein'],
  [/^yields no occurrence from start on$/, () => 'ergibt ab start keinen einzigen Termin'],
  [/^yields more than (\d+) occurrences$/, (m) => `ergibt mehr als ${m[1]} Termine`],
  [/^(.+) is out of range \((.+)\)$/, (m) => `${m[1]} liegt außerhalb des Bereichs (${m[2]})`],
  [/^INTERVAL must be between 1 and 1000$/, () => 'INTERVAL muss zwischen 1 und 1000 liegen'],
  [
    /^FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY$/,
    () => 'FREQ muss YEARLY, MONTHLY, WEEKLY, DAILY oder HOURLY sein',
  ],
  [/^UNTIL must lie between 2000 and 2099$/, () => 'UNTIL muss zwischen 2000 und 2099 liegen'],
  [
    /^the meter cannot run backwards: end (.+) is below start (.+)$/,
    (m) => `der Zähler kann nicht rückwärts laufen: Ende ${m[1]} liegt unter Anfang ${m[2]}`,
  ],
  [
    /^(.+) h is more than the booked (.+) h plus (.+) h$/,
    (m) => `${m[1]} h sind mehr als die gebuchten ${m[2]} h plus ${m[3]} h`,
  ],
  [
    /^(.+) h does not match the meter \((.+) h, ±(.+) h\)$/,
    (m) => `${m[1]} h passen nicht zum Zähler (${m[2]} h, ±${m[3]} h)`,
  ],

  // Resources
  [
    /^the resource has no inspection interval: give nextDue, or set inspectionIntervalMonths first$/,
    () => 'die Ressource hat kein Prüfintervall: nextDue angeben oder zuerst inspectionIntervalMonths setzen',
  ],
  [
    /^(.+) is retired and cannot be changed$/,
    (m) => `${m[1]} ist außer Dienst gestellt und kann nicht geändert werden`,
  ],
  [/^only machines have this$/, () => 'das haben nur Maschinen'],
  [/^only staff have working hours$/, () => 'Arbeitszeiten haben nur Personen'],
  [
    /^only machines require an operator qualification$/,
    () => 'nur Maschinen verlangen eine Bedienerqualifikation',
  ],
  [
    /^only staff \(operators\) have an email address$/,
    () => 'nur Personen (Bediener) haben eine E-Mail-Adresse',
  ],
  [/^only staff have weekly working hours$/, () => 'nur Personen haben eine Wochenarbeitszeit'],
];

/** The German of a domain's English field message, or undefined where the catalogue has none. */
export const germanFieldMessage = (message: string) => lookUp(MESSAGES, message);

/** A proposal's status, as a conflict names it. */
const PROPOSAL_STATUS: Record<string, string> = { open: 'offen', applied: 'angewendet', stale: 'veraltet' };

/** The details of conflicts (409), each telling what to do next. */
const CONFLICTS: Catalogue = [
  [
    /^This user has a live token named "(.+)" already\.$/,
    (m) => `Dieser Benutzer hat schon ein gültiges Token namens „${m[1]}“.`,
  ],
  [
    /^A user with the email (.+) exists already\.$/,
    (m) => `Ein Benutzer mit der E-Mail-Adresse ${m[1]} existiert bereits.`,
  ],
  [
    /^A municipality with AGS (.+) exists already\.$/,
    (m) => `Eine Kommune mit dem AGS ${m[1]} existiert bereits.`,
  ],
  [
    /^Proposal (.+) is (.+) already\.$/,
    (m) => `Der Vorschlag ${m[1]} ist schon ${PROPOSAL_STATUS[m[2]] ?? m[2]}.`,
  ],
  [
    /^The proposal no longer fits the calendar; compute new proposals\.$/,
    () => 'Der Vorschlag passt nicht mehr zum Kalender; bitte neue Vorschläge berechnen.',
  ],
  [
    /^The proposal is stale: a booking it moves changed since; compute new proposals\.$/,
    () =>
      'Der Vorschlag ist veraltet: eine Buchung, die er verschiebt, hat sich seitdem geändert; bitte neue Vorschläge berechnen.',
  ],
  [
    /^The proposal is stale: a waitlist request it serves changed since\.$/,
    () =>
      'Der Vorschlag ist veraltet: eine Anfrage der Warteliste, die er bedient, hat sich seitdem geändert.',
  ],
  [
    /^The user is disabled; enable it before issuing tokens\.$/,
    () => 'Der Benutzer ist deaktiviert; erst aktivieren, dann Tokens ausstellen.',
  ],
  [
    /^The pool already has an agreement from (.+)\.$/,
    (m) => `Der Pool hat schon eine Vereinbarung ab ${m[1]}.`,
  ],
  [
    /^The period (.+) is not over yet; it can be finalized from (.+)\.$/,
    (m) => `Der Zeitraum ${m[1]} ist noch nicht vorbei; er kann ab ${m[2]} abgeschlossen werden.`,
  ],
  [
    /^The period (.+) overlaps the finalized period (.+); finalize periods of one kind\.$/,
    (m) =>
      `Der Zeitraum ${m[1]} überschneidet den abgeschlossenen Zeitraum ${m[2]}; bitte Zeiträume einer Art abschließen.`,
  ],
  [/^(.+) is already a member on (.+)\.$/, (m) => `${m[1]} ist am ${m[2]} schon Mitglied.`],
  [
    /^(.+) is already a member of this pool in that period\.$/,
    (m) => `${m[1]} ist in diesem Zeitraum schon Mitglied des Pools.`,
  ],
  [
    /^Notification (.+) is (.+); only failed notifications can be retried\.$/,
    (m) => `Die Benachrichtigung ${m[1]} hat den Status ${m[2]}; nur gescheiterte lassen sich wiederholen.`,
  ],
  [
    /^Calendar feeds belong to a user account; the installation admin token has none\. Use a user’s token\.$/,
    () =>
      'Kalender-Abos gehören zu einem Benutzerkonto; das Admin-Token der Installation hat keins. Bitte das Token eines Benutzers verwenden.',
  ],
  [
    /^The endpoint is disabled; enable it before retrying deliveries\.$/,
    () => 'Der Webhook ist deaktiviert; erst aktivieren, dann Zustellungen wiederholen.',
  ],
  [
    /^The delivery is (.+); only failed or skipped deliveries are retried\.$/,
    (m) => `Die Zustellung hat den Status ${m[1]}; nur gescheiterte oder übersprungene werden wiederholt.`,
  ],
];

/** The German of a conflict's English detail, or undefined where the catalogue has none. */
export const germanConflict = (message: string) => lookUp(CONFLICTS, message);

/** Why a role may not do something (403), in German. */
const REFUSALS: Catalogue = [
  [
    /^Only the user themself or an admin may manage its tokens\.$/,
    () => 'Nur der Benutzer selbst oder ein Admin darf seine Tokens verwalten.',
  ],
  [
    /^The bootstrap admin token has no account and no password\.$/,
    () => 'Das Admin-Token der Installation hat kein Konto und kein Passwort.',
  ],
  [/^Only an admin may do this\.$/, () => 'Das darf nur ein Admin.'],
  [
    /^Only the coordinators of this pool may do this\.$/,
    () => 'Das dürfen nur die Koordinatoren dieses Pools.',
  ],
  [/^You may act only for your own municipality\.$/, () => 'Sie dürfen nur für Ihre eigene Kommune handeln.'],
  [
    /^Only the pool’s coordinators or finance staff of its lead municipality may finalize statements\.$/,
    () =>
      'Abrechnungen abschließen dürfen nur die Koordinatoren des Pools und die Kämmerei der federführenden Kommune.',
  ],
  [
    /^Statements are for finance staff and the pool’s coordinators\.$/,
    () => 'Abrechnungen sind für die Kämmerei und die Koordinatoren des Pools.',
  ],
  [
    /^Finance reports show only your own municipality's figures\.$/,
    () => 'Finanzberichte zeigen nur die Zahlen Ihrer eigenen Kommune.',
  ],
  [/^Finance reports need a municipality\.$/, () => 'Finanzberichte brauchen eine Kommune.'],
  [/^The role (.+) may not receive (.+)\.$/, (m) => `Die Rolle ${m[1]} darf ${m[2]} nicht empfangen.`],
  [
    /^Only coordinators register webhooks for a pool\.$/,
    () => 'Webhooks für einen Pool richten nur Koordinatoren ein.',
  ],
  [/^Viewers do not register webhooks\.$/, () => 'Mit Lesezugriff lassen sich keine Webhooks einrichten.'],
  [
    /^You may register webhooks only for your own municipality\.$/,
    () => 'Sie dürfen Webhooks nur für Ihre eigene Kommune einrichten.',
  ],
  [
    /^This endpoint declares no permission, so it is closed\.$/,
    () => 'Dieser Endpunkt nennt keine Berechtigung und ist deshalb gesperrt.',
  ],
  [/^The role (.+) may not do this\.$/, (m) => `Die Rolle ${m[1]} darf das nicht.`],
];

/** The German of a refusal's English detail, or undefined where the catalogue has none. */
export const germanRefusal = (message: string) => lookUp(REFUSALS, message);
