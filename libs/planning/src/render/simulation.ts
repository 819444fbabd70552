import type { SimulationResult, TypeTotals } from '../membership-simulation';
import {
  date,
  hours,
  isoLocal,
  isoUtc,
  isoWeek,
  type Language,
  list,
  number,
  percent,
  plural,
} from './format';
import { capitalize, typeLabel } from './labels';
import { Names } from './names';
import { type FindingView, type Named, presentFinding } from './present';

export interface TypeTotalsView extends Omit<TypeTotals, 'overCapacityWeeks'> {
  overCapacityWeeks: string[];
}

export interface SimulationView {
  from: string;
  fromLocal: string;
  to: string;
  toLocal: string;
  joins: {
    municipalityId: string;
    municipalityName: string;
    from: string;
    fromLocal: string;
    demand: {
      type: string;
      typeLabel: string;
      hoursPerWeek: number;
      source: 'given' | 'history';
      bookings: number;
      requests: number;
    }[];
    basisFrom: string | null;
    basisFromLocal: string | null;
    basisTo: string | null;
    basisToLocal: string | null;
    text: string;
  }[];
  leaves: {
    municipalityId: string;
    municipalityName: string;
    from: string;
    fromLocal: string;
    bookingsRemoved: number;
    requestsRemoved: number;
    resourcesLeaving: Named[];
    text: string;
  }[];
  types: { type: string; typeLabel: string; before: TypeTotalsView; after: TypeTotalsView; text: string }[];
  bottlenecksBefore: FindingView[];
  bottlenecksAfter: FindingView[];
  /** Findings (critical or warning) that only the changed pool has. */
  newBottlenecks: FindingView[];
  /** Findings (critical or warning) the changed pool no longer has. */
  resolvedBottlenecks: FindingView[];
  text: string;
}

export function presentSimulation(s: SimulationResult, lang: Language): SimulationView {
  const names = new Names(s.names);
  const de = lang === 'de';
  const totalsView = (t: TypeTotals): TypeTotalsView => ({
    ...t,
    overCapacityWeeks: t.overCapacityWeeks.map(isoWeek),
  });
  const before = s.findingsBefore.map((f) => presentFinding(f, names, lang));
  const after = s.findingsAfter.map((f) => presentFinding(f, names, lang));
  const serious = (f: FindingView) => f.severity !== 'info';
  const key = (f: FindingView) => `${f.kind}|${f.type}|${f.qualification}|${f.resourceId}`;
  const beforeKeys = new Set(before.filter(serious).map(key));
  const afterKeys = new Set(after.filter(serious).map(key));
  const changedTypes = s.types.filter(
    (t) => t.before.demandHours !== t.after.demandHours || t.before.availableHours !== t.after.availableHours,
  );
  const typeText = (t: (typeof s.types)[number]): string => {
    const label = capitalize(typeLabel(t.type, lang, true));
    const weeks = (x: TypeTotals) =>
      x.overCapacityWeeks.length === 0
        ? ''
        : ` (${list(
            x.overCapacityWeeks.map((w) =>
              de ? `KW ${w.weekNumber}/${w.weekYear}` : `week ${w.weekNumber}/${w.weekYear}`,
            ),
            lang,
          )})`;
    return de
      ? `${label}: Auslastung ${percent(t.before.utilization, lang)} → ${percent(t.after.utilization, lang)}; Bedarf über der Kapazität ${hours(t.before.excessHours, lang)} → ${hours(t.after.excessHours, lang)}, in ${plural(t.after.overCapacityWeeks.length, 'Woche', 'Wochen', lang)}${weeks(t.after)}`
      : `${label}: utilization ${percent(t.before.utilization, lang)} → ${percent(t.after.utilization, lang)}; demand beyond capacity ${hours(t.before.excessHours, lang)} → ${hours(t.after.excessHours, lang)}, in ${plural(t.after.overCapacityWeeks.length, 'week', 'weeks', lang)}${weeks(t.after)}`;
  };
  const joins = s.joins.map((j) => {
    const who = names.municipality(j.municipalityId, lang);
    const demand = j.demand
      .filter((d) => d.hoursPerWeek > 0)
      .map((d) => `${hours(d.hoursPerWeek, lang)} ${typeLabel(d.type, lang, true)}`);
    const source = j.basis
      ? de
        ? ` (geschätzt aus ${plural(
            j.demand.reduce((a, d) => a + d.bookings, 0),
            'eigenen Buchung',
            'eigenen Buchungen',
            lang,
          )} und ${plural(
            j.demand.reduce((a, d) => a + d.requests, 0),
            'unbedienten Anfrage',
            'unbedienten Anfragen',
            lang,
          )} der ${number(52, lang, 0)} Wochen davor)`
        : ` (estimated from ${plural(
            j.demand.reduce((a, d) => a + d.bookings, 0),
            'own booking',
            'own bookings',
            lang,
          )} and ${plural(
            j.demand.reduce((a, d) => a + d.requests, 0),
            'unserved request',
            'unserved requests',
            lang,
          )} in the 52 weeks before)`
      : de
        ? ' (angegeben)'
        : ' (as given)';
    const text =
      demand.length === 0
        ? de
          ? `${who} tritt am ${date(j.from, lang)} bei; kein Bedarf bekannt${source}.`
          : `${who} joins on ${date(j.from, lang)}; no demand known${source}.`
        : de
          ? `${who} tritt am ${date(j.from, lang)} bei, Bedarf je Woche: ${list(demand, lang)}${source}.`
          : `${who} joins on ${date(j.from, lang)}, demand per week: ${list(demand, lang)}${source}.`;
    return {
      municipalityId: j.municipalityId,
      municipalityName: who,
      from: isoUtc(j.from),
      fromLocal: isoLocal(j.from),
      demand: j.demand.map((d) => ({ ...d, typeLabel: typeLabel(d.type, lang, true) })),
      basisFrom: j.basis ? isoUtc(j.basis.start) : null,
      basisFromLocal: j.basis ? isoLocal(j.basis.start) : null,
      basisTo: j.basis ? isoUtc(j.basis.end) : null,
      basisToLocal: j.basis ? isoLocal(j.basis.end) : null,
      text,
    };
  });
  const leaves = s.leaves.map((l) => {
    const who = names.municipality(l.municipalityId, lang);
    const resources = l.resourcesLeaving.map((id) => ({ id, name: names.resource(id, lang) }));
    const machines =
      resources.length > 0
        ? de
          ? `; mit ihr gehen ${list(
              resources.map((r) => r.name),
              lang,
            )}`
          : `; with it go ${list(
              resources.map((r) => r.name),
              lang,
            )}`
        : '';
    return {
      municipalityId: l.municipalityId,
      municipalityName: who,
      from: isoUtc(l.from),
      fromLocal: isoLocal(l.from),
      bookingsRemoved: l.bookingsRemoved,
      requestsRemoved: l.requestsRemoved,
      resourcesLeaving: resources,
      text: de
        ? `${who} tritt am ${date(l.from, lang)} aus: ${plural(l.bookingsRemoved, 'Buchung', 'Buchungen', lang)} und ${plural(l.requestsRemoved, 'Anfrage', 'Anfragen', lang)} entfallen${machines}.`
        : `${who} leaves on ${date(l.from, lang)}: ${plural(l.bookingsRemoved, 'booking', 'bookings', lang)} and ${plural(l.requestsRemoved, 'request', 'requests', lang)} drop out${machines}.`,
    };
  });
  const newOnes = after.filter((f) => serious(f) && !beforeKeys.has(key(f)));
  const resolved = before.filter((f) => serious(f) && !afterKeys.has(key(f)));
  const summary = [
    ...joins.map((j) => j.text),
    ...leaves.map((l) => l.text),
    ...changedTypes.map((t) => `${typeText(t)}.`),
    de
      ? `${plural(newOnes.length, 'neuer Engpass', 'neue Engpässe', lang)}, ${plural(resolved.length, 'Engpass entfällt', 'Engpässe entfallen', lang)}.`
      : `${plural(newOnes.length, 'new bottleneck', 'new bottlenecks', lang)}, ${plural(resolved.length, 'bottleneck resolved', 'bottlenecks resolved', lang)}.`,
    de ? 'Nichts wurde gespeichert.' : 'Nothing was stored.',
  ].join(' ');
  return {
    from: isoUtc(s.period.start),
    fromLocal: isoLocal(s.period.start),
    to: isoUtc(s.period.end),
    toLocal: isoLocal(s.period.end),
    joins,
    leaves,
    types: s.types.map((t) => ({
      type: t.type,
      typeLabel: typeLabel(t.type, lang, true),
      before: totalsView(t.before),
      after: totalsView(t.after),
      text: typeText(t),
    })),
    bottlenecksBefore: before,
    bottlenecksAfter: after,
    newBottlenecks: newOnes,
    resolvedBottlenecks: resolved,
    text: summary,
  };
}
