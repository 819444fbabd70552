import type { Finding } from '@allmende/solver';
import { date, dateTime, hours, type Language, list, number, percent, plural, weekRange } from './format';
import { capitalize, qualificationLabel, typeLabel } from './labels';
import type { Names } from './names';

/** One finding in words, with names and local dates; never an id, never an epoch number. */
export function renderFinding(f: Finding, names: Names, lang: Language): string {
  const m = f.metrics;
  const de = lang === 'de';
  const weeks = weekRange(f.weeks.from, f.weeks.to, lang);
  const types = f.type ? typeLabel(f.type, lang, true) : '';
  const head = de ? `${types} ${weeks}` : `${capitalize(types)}, ${weeks}`;
  const towns = (f.municipalityIds ?? []).map((id) => names.municipality(id, lang));
  switch (f.kind) {
    case 'utilization': {
      const ratio = percent(m.demandRatio, lang);
      const demand = m.bookedHours + m.unmetHours + m.estimatedHours;
      const waiting =
        m.requests > 0
          ? de
            ? `, davon ${hours(m.unmetHours, lang)} auf der Warteliste (${plural(m.requests, 'Anfrage', 'Anfragen', lang)})`
            : `, ${hours(m.unmetHours, lang)} of it waiting (${plural(m.requests, 'request', 'requests', lang)})`
          : '';
      const estimated =
        m.estimatedHours > 0
          ? de
            ? `, davon ${hours(m.estimatedHours, lang)} geschätzt`
            : `, ${hours(m.estimatedHours, lang)} of it estimated`
          : '';
      const operators =
        m.operatorHours !== undefined
          ? de
            ? `; verfügbar heißt: mit Fachkraft, ${hours(m.operatorHours, lang)} Fachkraftstunden`
            : `; available means with an operator, ${hours(m.operatorHours, lang)} of operator hours`
          : '';
      return de
        ? `${head}: Auslastung ${ratio} (Bedarf ${hours(demand, lang)}${waiting}${estimated}; verfügbar ${hours(m.availableHours, lang)}${operators})`
        : `${head}: utilization ${ratio} (${hours(demand, lang)} needed${waiting}${estimated}; ${hours(m.availableHours, lang)} available${operators})`;
    }
    case 'over-capacity': {
      const listed = (f.weekList ?? []).map((w) =>
        de ? `KW ${w.weekNumber}/${w.weekYear}` : `week ${w.weekNumber}/${w.weekYear}`,
      );
      return de
        ? `${types}: Der Bedarf übersteigt die Kapazität in ${plural(m.weeks, 'Woche', 'Wochen', lang)} (${list(listed, lang)}), zusammen ${hours(m.excessHours, lang)} mehr als verfügbar (Bedarf ${hours(m.demandHours, lang)}, verfügbar ${hours(m.availableHours, lang)})`
        : `${capitalize(types)}: demand exceeds capacity in ${plural(m.weeks, 'week', 'weeks', lang)} (${list(listed, lang)}), ${hours(m.excessHours, lang)} more than available in all (${hours(m.demandHours, lang)} needed, ${hours(m.availableHours, lang)} available)`;
    }
    case 'resource-utilization': {
      const name = names.resource(f.resourceId, lang);
      return de
        ? `${name} ${weeks}: ${percent(m.utilization, lang)} der verfügbaren Stunden gebucht (${hours(m.bookedHours, lang)} von ${hours(m.availableHours, lang)})`
        : `${name}, ${weeks}: ${percent(m.utilization, lang)} of its available hours booked (${hours(m.bookedHours, lang)} of ${hours(m.availableHours, lang)})`;
    }
    case 'unmet-demand': {
      const from = towns.length > 0 ? (de ? ` von ${list(towns, lang)}` : ` from ${list(towns, lang)}`) : '';
      const emergencies =
        m.emergencies > 0
          ? de
            ? `, davon ${plural(m.emergencies, 'Notfall', 'Notfälle', lang)}`
            : `, ${plural(m.emergencies, 'emergency', 'emergencies', lang)} among them`
          : '';
      const load = de
        ? `; mit diesem Bedarf ${percent(m.demandRatio, lang)} der verfügbaren Stunden`
        : `; with this demand ${percent(m.demandRatio, lang)} of the available hours`;
      return de
        ? `${head}: ${plural(m.requests, 'offene Anfrage', 'offene Anfragen', lang)} (${hours(m.hours, lang)})${from}${emergencies}${load}`
        : `${head}: ${plural(m.requests, 'unmet request', 'unmet requests', lang)} (${hours(m.hours, lang)})${from}${emergencies}${load}`;
    }
    case 'skills-short': {
      const q = qualificationLabel(f.qualification ?? '', lang);
      return de
        ? `Fachkräfte mit ${q} ${weeks}: ${hours(m.demandHours, lang)} Bedarf, ${hours(m.qualifiedStaffHours, lang)} verfügbar (${plural(m.qualifiedStaff, 'Person', 'Personen', lang)})`
        : `Staff with ${q}, ${weeks}: ${hours(m.demandHours, lang)} needed, ${hours(m.qualifiedStaffHours, lang)} available (${plural(m.qualifiedStaff, 'person', 'people', lang)})`;
    }
    case 'seasonal-peak':
      return de
        ? `${head}: Saisonspitze mit ${hours(m.weeklyDemandHours, lang)} Bedarf je Woche, das ${number(m.factor, lang)}-Fache des Mittels des Zeitraums (${hours(m.periodMeanWeeklyHours, lang)} je Woche); ${percent(m.demandRatio, lang)} der verfügbaren Stunden`
        : `${head}: seasonal peak of ${hours(m.weeklyDemandHours, lang)} demand per week, ${number(m.factor, lang)} times the mean of the period (${hours(m.periodMeanWeeklyHours, lang)} per week); ${percent(m.demandRatio, lang)} of the available hours`;
    case 'capacity': {
      const q = f.qualification ? ` (${qualificationLabel(f.qualification, lang)})` : '';
      const when = f.at?.peak !== undefined ? dateTime(f.at.peak, lang) : '';
      return de
        ? `${types}${q} ${weeks}: ${plural(m.maxConcurrent, 'Einsatz', 'Einsätze', lang)} gleichzeitig (${when}), aber nur ${plural(m.eligibleResources, 'geeignete Einheit', 'geeignete Einheiten', lang)}`
        : `${capitalize(types)}${q}, ${weeks}: ${plural(m.maxConcurrent, 'job', 'jobs', lang)} at the same time (${when}) but only ${plural(m.eligibleResources, 'eligible unit', 'eligible units', lang)}`;
    }
    case 'inspection-due':
    case 'retired': {
      const name = names.resource(f.resourceId, lang);
      const when = f.kind === 'retired' ? f.at?.retired : f.at?.due;
      // Due and retired instants are the end of the local day (next midnight): show that day.
      const day = when !== undefined ? date(when - 1, lang) : '';
      const after =
        m.bookingsAfter > 0
          ? de
            ? `; ${plural(m.bookingsAfter, 'Buchung liegt', 'Buchungen liegen', lang)} danach (${hours(m.bookedHoursAfter, lang)}${towns.length > 0 ? `, ${list(towns, lang)}` : ''})`
            : `; ${plural(m.bookingsAfter, 'booking lies', 'bookings lie', lang)} after it (${hours(m.bookedHoursAfter, lang)}${towns.length > 0 ? `, ${list(towns, lang)}` : ''})`
          : '';
      if (f.kind === 'retired')
        return de
          ? `${name} wird ${m.beforePeriod ? 'seit' : 'am'} ${day} nicht mehr eingesetzt (außer Dienst)${after}`
          : `${name} is retired ${m.beforePeriod ? 'since' : 'on'} ${day}${after}`;
      return de
        ? `${name}: Prüfung ${m.beforePeriod ? 'überfällig seit' : 'fällig am'} ${day}, danach bis zur Prüfung nicht einsetzbar${after}`
        : `${name}: inspection ${m.beforePeriod ? 'overdue since' : 'due on'} ${day}, unusable after it until inspected${after}`;
    }
  }
}
