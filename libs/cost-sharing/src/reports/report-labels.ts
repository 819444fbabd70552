import type { Language } from '../documents/format';

export type ReportKind = 'costs' | 'utilization' | 'unrecorded-usage';
export type CostGroupBy = 'municipality' | 'resource' | 'type' | 'month';
export type UtilizationGroupBy = 'resource' | 'type' | 'month';

/** Every word of the finance reports' files, in both languages. */
export const REPORT_LABELS = {
  de: {
    titles: {
      costs: 'Kostenbericht',
      utilization: 'Auslastung',
      'unrecorded-usage': 'Buchungen ohne erfasste Nutzung',
    } satisfies Record<ReportKind, string>,
    files: { costs: 'Kosten', utilization: 'Auslastung', 'unrecorded-usage': 'Nutzung-nicht-erfasst' },
    by: { municipality: 'Gemeinde', resource: 'Ressource', type: 'Typ', month: 'Monat' } satisfies Record<
      CostGroupBy,
      string
    >,
    byWord: 'nach',
    pool: 'Kooperationsverbund',
    window: 'Zeitraum',
    scope: 'Umfang',
    wholePool: 'ganzer Verbund',
    totals: 'Summe',
    costsNote:
      'Nutzung zu den Sätzen der Ressource: erfasste Betriebsstunden × Stundensatz + Einsatzpauschale; wo keine ' +
      'Nutzung erfasst ist, die gebuchten Stunden (als geschätzt ausgewiesen). Nur stattgefundene Buchungen.',
    utilizationNote:
      'Verfügbare Stunden: Arbeitszeit (Personal laut Dienstplan, Maschinen Mo–Fr 07:00–15:30) ohne Feiertage ' +
      'und Sperrzeiten; Einsätze außerhalb der Arbeitszeit können über 100 % führen.',
    unrecordedNote:
      'Vergangene, nicht stornierte Buchungen ohne erfasste Nutzung; geschätzt nach gebuchten Stunden.',
    columns: {
      key: 'Schlüssel',
      type: 'Typ',
      home: 'Standort (Eigentümerin)',
      bookings: 'Buchungen',
      estimatedBookings: 'davon ohne erfasste Nutzung',
      recordedHours: 'erfasste Stunden',
      estimatedHours: 'geschätzte Stunden',
      recordedCents: 'Kosten erfasst (EUR)',
      estimatedCents: 'Kosten geschätzt (EUR)',
      totalCents: 'Kosten gesamt (EUR)',
      resources: 'Ressourcen',
      bookedHours: 'gebuchte Stunden',
      availableHours: 'verfügbare Stunden',
      utilization: 'Auslastung',
      bookingId: 'Buchung',
      date: 'Datum',
      start: 'Beginn',
      end: 'Ende',
      municipality: 'Gemeinde',
      resource: 'Ressource',
      operator: 'Bedienpersonal',
    },
  },
  en: {
    titles: {
      costs: 'Cost report',
      utilization: 'Utilization',
      'unrecorded-usage': 'Bookings without recorded usage',
    } satisfies Record<ReportKind, string>,
    files: { costs: 'Costs', utilization: 'Utilization', 'unrecorded-usage': 'Unrecorded-usage' },
    by: { municipality: 'municipality', resource: 'resource', type: 'type', month: 'month' } satisfies Record<
      CostGroupBy,
      string
    >,
    byWord: 'by',
    pool: 'Pool',
    window: 'Period',
    scope: 'Scope',
    wholePool: 'whole pool',
    totals: 'Total',
    costsNote:
      "Usage at the resource's rates: recorded operating hours × hourly rate + per-use fee; where no usage is " +
      'recorded, the booked hours (shown as estimated). Past bookings only.',
    utilizationNote:
      'Available hours: working time (staff by their schedule, machines Mon–Fri 07:00–15:30) without public ' +
      'holidays and blackouts; work outside working time can exceed 100 %.',
    unrecordedNote: 'Past bookings, not cancelled, without recorded usage; estimated at their booked hours.',
    columns: {
      key: 'Key',
      type: 'Type',
      home: 'Home (owner)',
      bookings: 'Bookings',
      estimatedBookings: 'of which without recorded usage',
      recordedHours: 'Recorded hours',
      estimatedHours: 'Estimated hours',
      recordedCents: 'Costs recorded (EUR)',
      estimatedCents: 'Costs estimated (EUR)',
      totalCents: 'Costs total (EUR)',
      resources: 'Resources',
      bookedHours: 'Booked hours',
      availableHours: 'Available hours',
      utilization: 'Utilization',
      bookingId: 'Booking',
      date: 'Date',
      start: 'Start',
      end: 'End',
      municipality: 'Municipality',
      resource: 'Resource',
      operator: 'Operator',
    },
  },
} satisfies Record<Language, unknown>;
