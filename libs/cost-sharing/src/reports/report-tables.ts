import { asciiSafe } from '../documents/select';
import { dayBefore, formatDate, Language } from '../documents/format';
import type {
  CostReport,
  ReportHeader,
  UnrecordedBooking,
  UnrecordedUsagePage,
  UtilizationReport,
} from './finance-reports.service';
import { CostGroupBy, REPORT_LABELS, ReportKind } from './report-labels';
import type { ReportFormat, ReportTable, ReportValue } from './report-table';

function notes(header: ReportHeader, language: Language, explanation: string): string[] {
  const t = REPORT_LABELS[language];
  return [
    `${t.pool}: ${header.poolName}`,
    `${t.window}: ${formatDate(header.from, language)} – ${formatDate(dayBefore(header.to), language)}`,
    `${t.scope}: ${header.municipalityName ?? t.wholePool}`,
    explanation,
  ];
}

function titleOf(kind: ReportKind, groupBy: string | undefined, language: Language): string {
  const t = REPORT_LABELS[language];
  const by = groupBy ? ` ${t.byWord} ${t.by[groupBy as CostGroupBy]}` : '';
  return `${t.titles[kind]}${by}`;
}

export function costTable(report: CostReport, language: Language) {
  const t = REPORT_LABELS[language];
  const c = t.columns;
  const withResource = report.groupBy === 'resource';
  const rows: ReportValue[][] = report.rows.map((r) => [
    r.name,
    ...(withResource ? [r.type, r.homeMunicipalityName] : []),
    r.bookings,
    r.estimatedBookings,
    r.recordedHours,
    r.estimatedHours,
    r.recordedCents,
    r.estimatedCents,
    r.totalCents,
  ]);
  const x = report.totals;
  const table: ReportTable = {
    title: `${titleOf('costs', report.groupBy, language)} – ${report.poolName}`,
    notes: notes(report, language, t.costsNote),
    sheetName: titleOf('costs', report.groupBy, language),
    columns: [
      { header: t.by[report.groupBy], kind: 'text', width: 32 },
      ...(withResource
        ? [
            { header: c.type, kind: 'text' as const, width: 18 },
            { header: c.home, kind: 'text' as const, width: 24 },
          ]
        : []),
      { header: c.bookings, kind: 'int' },
      { header: c.estimatedBookings, kind: 'int' },
      { header: c.recordedHours, kind: 'hours' },
      { header: c.estimatedHours, kind: 'hours' },
      { header: c.recordedCents, kind: 'cents' },
      { header: c.estimatedCents, kind: 'cents' },
      { header: c.totalCents, kind: 'cents' },
    ],
    rows,
    totals: [
      t.totals,
      ...(withResource ? [null, null] : []),
      x.bookings,
      x.estimatedBookings,
      x.recordedHours,
      x.estimatedHours,
      x.recordedCents,
      x.estimatedCents,
      x.totalCents,
    ],
  };
  return { header: report as ReportHeader, table };
}

export function utilizationTable(report: UtilizationReport, language: Language) {
  const t = REPORT_LABELS[language];
  const c = t.columns;
  const withResource = report.groupBy === 'resource';
  const x = report.totals;
  const table: ReportTable = {
    title: `${titleOf('utilization', report.groupBy, language)} – ${report.poolName}`,
    notes: notes(report, language, t.utilizationNote),
    sheetName: titleOf('utilization', report.groupBy, language),
    columns: [
      { header: t.by[report.groupBy], kind: 'text', width: 32 },
      ...(withResource
        ? [
            { header: c.type, kind: 'text' as const, width: 18 },
            { header: c.home, kind: 'text' as const, width: 24 },
          ]
        : [{ header: c.resources, kind: 'int' as const }]),
      { header: c.bookings, kind: 'int' },
      { header: c.bookedHours, kind: 'hours' },
      { header: c.availableHours, kind: 'hours' },
      { header: c.utilization, kind: 'percent' },
    ],
    rows: report.rows.map((r) => [
      r.name,
      ...(withResource ? [r.type, r.homeMunicipalityName] : [r.resources]),
      r.bookings,
      r.bookedHours,
      r.availableHours,
      r.utilizationPercent,
    ]),
    totals: [
      t.totals,
      ...(withResource ? [null, null] : [x.resources]),
      x.bookings,
      x.bookedHours,
      x.availableHours,
      x.utilizationPercent,
    ],
  };
  return { header: report as ReportHeader, table };
}

async function* unrecordedRows(items: AsyncIterable<UnrecordedBooking>): AsyncIterable<ReportValue[]> {
  for await (const b of items) {
    yield [
      b.date,
      b.startLocal,
      b.endLocal,
      b.municipalityName,
      b.resourceName,
      b.type,
      b.bookedHours,
      b.estimatedCents,
      b.operatorForBookingId ? true : null,
      b.bookingId,
    ];
  }
}

/** The list's rows come from `items`, which reads the pages as the file is written. */
export function unrecordedTable(
  first: UnrecordedUsagePage,
  language: Language,
  items: AsyncIterable<UnrecordedBooking>,
) {
  const t = REPORT_LABELS[language];
  const c = t.columns;
  const table: ReportTable = {
    title: `${t.titles['unrecorded-usage']} – ${first.poolName}`,
    notes: notes(first, language, t.unrecordedNote),
    sheetName: t.files['unrecorded-usage'],
    columns: [
      { header: c.date, kind: 'date' },
      { header: c.start, kind: 'instant', width: 18 },
      { header: c.end, kind: 'instant', width: 18 },
      { header: c.municipality, kind: 'text', width: 24 },
      { header: c.resource, kind: 'text', width: 30 },
      { header: c.type, kind: 'text', width: 18 },
      { header: c.bookedHours, kind: 'hours' },
      { header: c.estimatedCents, kind: 'cents' },
      { header: c.operator, kind: 'flag' },
      { header: c.bookingId, kind: 'text', width: 38 },
    ],
    rows: unrecordedRows(items),
  };
  return { header: first as ReportHeader, table };
}

/** `Kosten-nach-Gemeinde-Bauhof-Verbund-Ost-2026.csv`, `Auslastung-...-2026-01-01-2026-03-31.xlsx`. */
export function reportFilename(
  header: ReportHeader,
  kind: ReportKind,
  groupBy: string | undefined,
  format: ReportFormat,
  language: Language,
): string {
  const t = REPORT_LABELS[language];
  const last = dayBefore(header.to);
  const wholeYear = header.from.endsWith('-01-01') && last === `${header.from.slice(0, 4)}-12-31`;
  const window = wholeYear ? header.from.slice(0, 4) : `${header.from}-${last}`;
  const parts = [
    t.files[kind],
    groupBy && kind !== 'unrecorded-usage' ? `${t.byWord}-${t.by[groupBy as CostGroupBy]}` : '',
    header.poolName,
    header.municipalityName ?? '',
    window,
  ];
  return `${parts.map(asciiSafe).filter(Boolean).join('-')}.${format}`;
}
