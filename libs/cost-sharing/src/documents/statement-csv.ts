import { stringify } from 'csv-stringify/sync';
import type { PoolStatements } from '../statement-document';
import { dayBefore, formatDate, formatPeriod, plainDecimal, plainEuros } from './format';
import { LABELS } from './labels';
import { statementsOf } from './select';

const BOM = '\uFEFF';

/** Text a spreadsheet would run as a formula (CSV injection) is kept as text. */
export function cell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * The statements as German Excel opens a CSV file by double-click: UTF-8 with BOM, semicolons,
 * decimal commas, CRLF, dates as 08.12.2026. Amounts are plain numbers in euros (no thousands
 * separator, no € sign) so that Excel sums them. Three tables one below the other, each with its
 * header row: the lines of every statement, the members' totals, and the settlement.
 */
export function renderStatementsCsv(doc: PoolStatements, memberId?: string): Buffer {
  const lang = doc.language;
  const t = LABELS[lang];
  const euros = (cents: number) => plainEuros(cents, lang);
  const statements = statementsOf(doc, memberId);
  const rows: (string | number)[][] = [];

  rows.push([t.title, cell(doc.poolName), `${t.period}: ${formatPeriod(doc.period, doc.periodKind, lang)}`]);
  rows.push([
    t.period,
    formatDate(doc.from, lang),
    formatDate(dayBefore(doc.to), lang),
    t.status,
    doc.finalized ? t.finalized : t.draft,
  ]);
  rows.push([t.key, cell(doc.keyDescription)]);
  rows.push([]);

  rows.push([
    t.member,
    t.number,
    t.kind,
    t.date,
    t.resource,
    t.hours,
    t.ratePerHour,
    `${t.amount} (EUR)`,
    t.description,
    t.basis,
    t.estimated,
  ]);
  for (const s of statements) {
    for (const line of s.lines) {
      rows.push([
        cell(s.municipalityName),
        s.number ?? '',
        t.kinds[line.kind],
        line.date ? formatDate(line.date, lang) : '',
        cell(line.resourceName ?? ''),
        line.hours === undefined ? '' : plainDecimal(line.hours, lang),
        line.rateCents === undefined ? '' : euros(line.rateCents),
        euros(line.amountCents),
        cell(line.description),
        cell(line.basis ?? ''),
        line.usageEstimated ? t.yes : '',
      ]);
    }
  }
  rows.push([]);

  rows.push([t.member, t.number, t.usage, t.fixed, t.adjustments, t.total, t.credits, t.net, t.checksum]);
  for (const s of statements) {
    rows.push([
      cell(s.municipalityName),
      s.number ?? '',
      euros(s.usageCents),
      euros(s.fixedCents),
      euros(s.adjustmentsCents),
      euros(s.totalCents),
      euros(s.creditsCents),
      euros(s.netCents),
      s.checksum ?? '',
    ]);
  }
  if (memberId === undefined) rows.push([t.poolTotal, '', '', '', '', euros(doc.poolTotalCents)]);
  rows.push([]);

  rows.push([t.settlement, t.from, t.to, `${t.amount} (EUR)`]);
  const transfers = doc.settlement.filter(
    (tr) => memberId === undefined || tr.fromMunicipalityId === memberId || tr.toMunicipalityId === memberId,
  );
  for (const tr of transfers) {
    rows.push(['', cell(tr.fromMunicipalityName), cell(tr.toMunicipalityName), euros(tr.amountCents)]);
  }

  const text = stringify(rows, { delimiter: ';', record_delimiter: '\r\n' });
  return Buffer.from(BOM + text, 'utf8');
}
