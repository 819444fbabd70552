import type {
  Change,
  InvestmentDetail,
  NothingFound,
  NothingFoundReason,
  ProposalBound,
} from '@allmende/solver';
import { dateTime, euro, hours, type Language, list, percent, plural } from './format';
import { capitalize, typeLabel } from './labels';
import type { Names } from './names';

/** The facts of a stored proposal the words are built from. */
export interface ProposalFacts {
  kind: 'reassignment' | 'trip-order' | 'investment';
  changes: Change[];
  gain: Record<string, number>;
  municipalitiesAffected: string[];
  investment?: InvestmentDetail | null;
  bound?: ProposalBound | null;
  resourceId?: string | null;
}

export function renderProposal(p: ProposalFacts, names: Names, lang: Language): string {
  switch (p.kind) {
    case 'reassignment':
      return renderReassignment(p, names, lang);
    case 'trip-order':
      return renderTripOrder(p, names, lang);
    case 'investment':
      return p.investment ? renderInvestment(p.investment, names, lang) : '';
  }
}

function transport(gain: Record<string, number>, lang: Language): string {
  const saved = gain.transportMinutesSaved ?? 0;
  const extra = gain.extraTransportMinutes ?? 0;
  if (extra > 0)
    return lang === 'de'
      ? ` Zusätzlicher Transport: ${extra} Minuten.`
      : ` Extra transport: ${extra} minutes.`;
  if (saved > 0)
    return lang === 'de' ? ` Spart ${saved} Minuten Transport.` : ` Saves ${saved} minutes of transport.`;
  return '';
}

function renderReassignment(p: ProposalFacts, names: Names, lang: Language): string {
  const de = lang === 'de';
  const lines: string[] = [];
  for (const c of p.changes) {
    if (c.requestId !== undefined && c.role !== 'operator') {
      const q = names.requestOf(c.requestId);
      const operator = p.changes.find((o) => o.requestId === c.requestId && o.role === 'operator');
      const shifted = q && q.start !== c.toStart;
      lines.push(
        de
          ? `${capitalize(names.request(c.requestId, lang))} wird bedient: ${names.resource(c.toResourceId, lang)}, ${dateTime(c.toStart, lang)}` +
              (operator ? ` mit ${names.resource(operator.toResourceId, lang)}` : '') +
              (shifted ? ` statt ${dateTime(q.start, lang)}` : '')
          : `${capitalize(names.request(c.requestId, lang))} is served: ${names.resource(c.toResourceId, lang)}, ${dateTime(c.toStart, lang)}` +
              (operator ? ` with ${names.resource(operator.toResourceId, lang)}` : '') +
              (shifted ? ` instead of ${dateTime(q.start, lang)}` : ''),
      );
    } else if (c.bookingId !== undefined) {
      const parts: string[] = [];
      const isOperator = names.isStaff(c.toResourceId);
      if (c.fromResourceId && c.fromResourceId !== c.toResourceId)
        parts.push(
          de
            ? `${isOperator ? 'Bedienung' : 'wechselt'} von ${names.resource(c.fromResourceId, lang)} auf ${names.resource(c.toResourceId, lang)}`
            : `${isOperator ? 'operator changes' : 'moves'} from ${names.resource(c.fromResourceId, lang)} to ${names.resource(c.toResourceId, lang)}`,
        );
      if (c.fromStart !== undefined && c.fromStart !== c.toStart)
        parts.push(
          de
            ? `wird verschoben auf ${dateTime(c.toStart, lang)}`
            : `is shifted to ${dateTime(c.toStart, lang)}`,
        );
      if (parts.length > 0) lines.push(`${capitalize(names.booking(c.bookingId, lang))} ${parts.join(', ')}`);
    }
  }
  const served = p.gain.requestsServed ?? 0;
  const changed = p.gain.changedBookings ?? 0;
  const head = de
    ? `${plural(served, 'Anfrage', 'Anfragen', lang)} bedient, ${plural(changed, 'Buchung', 'Buchungen', lang)} geändert.`
    : `${plural(served, 'request', 'requests', lang)} served, ${plural(changed, 'booking', 'bookings', lang)} changed.`;
  return `${head} ${lines.join('. ')}.${transport(p.gain, lang)}${exactNote(p.bound, lang)}`;
}

function exactNote(bound: ProposalBound | null | undefined, lang: Language): string {
  if (!bound || bound.subproblems === 0) return '';
  if (bound.proven)
    return lang === 'de'
      ? ' Exakt geprüft: in diesem Zeitraum lassen sich nicht mehr Anfragen bedienen.'
      : ' Checked exactly: no plan serves more requests in this period.';
  return lang === 'de'
    ? ` Obere Schranke (exakt berechnet): höchstens ${bound.servableBound} von ${bound.requests} Anfragen (gewichtet) in diesem Zeitraum bedienbar.`
    : ` Upper bound (computed exactly): at most ${bound.servableBound} of ${bound.requests} requests (weighted) can be served in this period.`;
}

function renderTripOrder(p: ProposalFacts, names: Names, lang: Language): string {
  const de = lang === 'de';
  const resource = names.resource(p.resourceId, lang);
  const moves = p.changes
    .filter((c) => c.bookingId !== undefined)
    .map((c) => `${names.booking(c.bookingId, lang)} → ${dateTime(c.toStart, lang)}`);
  const saved = p.gain.transportMinutesSaved ?? 0;
  const extra = p.gain.extraTransportMinutes ?? 0;
  const effect =
    extra > 0
      ? de
        ? `kostet ${extra} Minuten zusätzlichen Transport`
        : `costs ${extra} minutes of extra transport`
      : de
        ? `spart ${saved} Minuten Transport`
        : `saves ${saved} minutes of transport`;
  return de
    ? `${resource}: eine neue Reihenfolge der Einsätze ${effect}. ${moves.join('; ')}.`
    : `${resource}: a new order of its trips ${effect}. ${moves.join('; ')}.`;
}

/** Buy or lease, how many, what it serves, the utilization it brings, and each member's share. */
export function renderInvestment(d: InvestmentDetail, names: Names, lang: Language): string {
  const de = lang === 'de';
  const model = names.resource(d.modelledOnResourceId, lang);
  const one = typeLabel(d.type, lang);
  const many = typeLabel(d.type, lang, true);
  const units =
    d.units === 1
      ? de
        ? `eine weitere ${one}`
        : `one more ${one}`
      : `${d.units} ${de ? 'weitere' : 'more'} ${many}`;
  const shares = d.shares
    .filter((s) => s.cents > 0)
    .map((s) => `${names.municipality(s.municipalityId, lang)} ${euro(s.cents, lang)}`);
  const key = KEY_NAMES[d.costSharingKey][lang];
  const action =
    d.mode === 'buy'
      ? de
        ? `Empfehlung: ${units} kaufen (wie ${model}), Kosten ${euro(d.annualCostCents, lang)} im Jahr`
        : `Recommendation: buy ${units} (like ${model}), ${euro(d.annualCostCents, lang)} a year`
      : de
        ? `Empfehlung: ${units} für ${plural(d.leaseWeeks ?? 0, 'Woche', 'Wochen', lang)} mieten (wie ${model}), Kosten etwa ${euro(d.annualCostCents, lang)}`
        : `Recommendation: lease ${units} for ${plural(d.leaseWeeks ?? 0, 'week', 'weeks', lang)} (like ${model}), about ${euro(d.annualCostCents, lang)}`;
  return de
    ? `${capitalize(many)}: Der Bedarf übersteigt die Kapazität dauerhaft (${hours(d.unmetHoursBefore, lang)} in ${plural(d.unmetRequestsBefore, 'Anfrage', 'Anfragen', lang)} nicht bedient, in ${plural(d.weeksOverCapacity, 'Woche', 'Wochen', lang)}). ${action}. Sie deckt ${hours(d.unmetHoursServed, lang)} davon ab (${plural(d.requestsServed, 'Anfrage', 'Anfragen', lang)}); Auslastung der ${many} ${percent(d.utilizationBefore, lang)} vorher, ${percent(d.utilizationAfter, lang)} nachher, die neue Einheit ${percent(d.newUnitsUtilization, lang)}. Anteile nach ${key}: ${list(shares, lang)}.`
    : `${capitalize(many)}: demand exceeds capacity for good (${hours(d.unmetHoursBefore, lang)} in ${plural(d.unmetRequestsBefore, 'request', 'requests', lang)} unmet, in ${plural(d.weeksOverCapacity, 'week', 'weeks', lang)}). ${action}. It serves ${hours(d.unmetHoursServed, lang)} of it (${plural(d.requestsServed, 'request', 'requests', lang)}); utilization of the ${many} ${percent(d.utilizationBefore, lang)} before, ${percent(d.utilizationAfter, lang)} after, the new unit ${percent(d.newUnitsUtilization, lang)}. Shares by ${key}: ${list(shares, lang)}.`;
}

const KEY_NAMES: Record<InvestmentDetail['costSharingKey'], Record<Language, string>> = {
  population: { de: 'Einwohnerzahl', en: 'population' },
  equal: { de: 'gleichen Teilen', en: 'equal parts' },
  usage: { de: 'Nutzung', en: 'usage' },
  shares: { de: 'vereinbarten Anteilen', en: 'agreed shares' },
  mixed: {
    de: 'gemischtem Schlüssel (Nutzungsteil nach Nutzungsanteilen)',
    en: 'the mixed key (usage part by usage shares)',
  },
};

const REASONS: Record<NothingFoundReason, Record<Language, string>> = {
  'nothing-waiting': {
    de: 'Keine Anfrage wartet in diesem Zeitraum, und keine Buchung lässt sich sinnvoll verlegen.',
    en: 'No request is waiting in this period, and no booking is worth moving.',
  },
  'all-in-past': {
    de: 'Die wartenden Anfragen liegen in der Vergangenheit; nichts wird für die Vergangenheit vorgeschlagen.',
    en: 'The waiting requests lie in the past; nothing is proposed for the past.',
  },
  'nothing-movable': {
    de: 'Alle passenden Geräte sind zu diesen Zeiten gebucht, und keine Buchung lässt sich verlegen (nicht flexibel, Notfall oder schon begonnen).',
    en: 'Every suitable unit is booked at those times, and no booking can move (not flexible, an emergency, or started already).',
  },
  'no-resource-of-type': {
    de: 'Der Verbund hat kein Gerät dieses Typs.',
    en: 'The pool has no resource of this type.',
  },
  'blocked-by-inspections': {
    de: 'Die passenden Geräte sind wegen fälliger Prüfungen nicht einsetzbar.',
    en: 'The suitable machines are blocked by inspections falling due.',
  },
  'blocked-by-operator-hours': {
    de: 'Es ist keine Fachkraft mit der nötigen Qualifikation in ihrer Arbeitszeit frei.',
    en: 'No operator with the required qualification is free within their working hours.',
  },
  'blocked-by-retirement': {
    de: 'Die passenden Geräte sind außer Dienst gestellt.',
    en: 'The suitable machines are retired.',
  },
  'out-of-time': {
    de: 'Die Rechenzeit reichte für diesen Zeitraum nicht; bitte mit mehr Zeit (timeLimitSeconds) oder einem kürzeren Zeitraum erneut rechnen.',
    en: 'The time limit was too short for this period; run again with more time (timeLimitSeconds) or a shorter period.',
  },
  'fully-booked': {
    de: 'Alle passenden Geräte sind zu diesen Zeiten gebucht, auch nach dem Verlegen flexibler Buchungen.',
    en: 'Every suitable unit is booked at those times, even after moving flexible bookings.',
  },
};

export function renderReason(reason: NothingFoundReason, lang: Language): string {
  return REASONS[reason][lang];
}

export function renderNothingFound(n: NothingFound, names: Names, lang: Language): string {
  const de = lang === 'de';
  const head = de ? 'Kein Vorschlag.' : 'No proposal.';
  if (n.waiting === 0) return `${head} ${renderReason(n.reason, lang)}`;
  const waiting = de
    ? `${plural(n.waiting, 'Anfrage wartet', 'Anfragen warten', lang)}.`
    : `${plural(n.waiting, 'request is', 'requests are', lang)} waiting.`;
  return `${head} ${waiting} ${renderReason(n.reason, lang)}`;
}

/** The investment route's summary: still running, nothing needed, or the advice. */
export function renderInvestmentSummary(done: boolean, advice: { text: string }[], lang: Language): string {
  if (!done) return lang === 'de' ? 'Die Analyse läuft noch.' : 'The analysis is still running.';
  if (advice.length === 0)
    return lang === 'de'
      ? 'Keine Investition nötig: nirgends übersteigt der Bedarf die Kapazität dauerhaft.'
      : 'No investment needed: nowhere does demand exceed capacity for good.';
  return advice.map((a) => a.text).join(' ');
}
