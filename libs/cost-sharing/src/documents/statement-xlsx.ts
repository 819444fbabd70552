// exceljs is loaded on the first workbook only: the API holds it for a rare request otherwise.
import type * as ExcelJS from 'exceljs';
import type { MemberStatement, PoolStatements } from '../statement-document';
import { dayBefore, formatPeriod, utcDate } from './format';
import { LABELS, StatementLabels, sumRowLabel } from './labels';
import { statementsOf } from './select';

/** Amounts are numbers in euros with this format, so that Excel sums them as money. */
export const EURO_FORMAT = '#,##0.00 "€";-#,##0.00 "€"';
const DATE_FORMAT = 'dd.mm.yyyy';
const HOURS_FORMAT = '#,##0.00';

/** Excel's rules for sheet names: at most 31 characters, none of []:*?/\, unique in the book. */
function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Gemeinde';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = base.slice(0, 31 - suffix.length) + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

const euros = (cents: number) => cents / 100;

function bold(row: ExcelJS.Row): void {
  row.font = { bold: true };
}

function header(sheet: ExcelJS.Worksheet, values: string[]): ExcelJS.Row {
  const row = sheet.addRow(values);
  bold(row);
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } };
  return row;
}

function heading(sheet: ExcelJS.Worksheet, doc: PoolStatements, t: StatementLabels, title: string): void {
  const first = sheet.addRow([`${t.title} – ${doc.poolName}`]);
  first.font = { bold: true, size: 14 };
  sheet.addRow([title]).font = { bold: true, size: 12 };
  sheet.addRow([
    t.period,
    `${formatPeriod(doc.period, doc.periodKind, doc.language)}`,
    utcDate(doc.from),
    utcDate(dayBefore(doc.to)),
  ]);
  sheet.lastRow!.getCell(3).numFmt = DATE_FORMAT;
  sheet.lastRow!.getCell(4).numFmt = DATE_FORMAT;
  sheet.addRow([t.status, doc.finalized ? t.finalized : t.draft]);
  sheet.addRow([t.key, doc.keyDescription]);
  sheet.addRow([]);
}

function summarySheet(
  book: ExcelJS.Workbook,
  doc: PoolStatements,
  statements: MemberStatement[],
  name: string,
) {
  const t = LABELS[doc.language];
  const sheet = book.addWorksheet(name);
  heading(sheet, doc, t, t.summary);
  header(sheet, [t.member, t.number, t.usage, t.fixed, t.adjustments, t.total, t.credits, t.net]);
  const first = sheet.rowCount + 1;
  for (const s of statements) {
    sheet.addRow([
      s.municipalityName,
      s.number ?? '',
      euros(s.usageCents),
      euros(s.fixedCents),
      euros(s.adjustmentsCents),
      euros(s.totalCents),
      euros(s.creditsCents),
      euros(s.netCents),
    ]);
  }
  const last = sheet.rowCount;
  const sum = (col: string, cents: number) => ({
    formula: `SUM(${col}${first}:${col}${last})`,
    result: euros(cents),
  });
  const total = (pick: (s: MemberStatement) => number) => statements.reduce((a, s) => a + pick(s), 0);
  const totals = sheet.addRow([
    sumRowLabel(
      t,
      doc.poolTotalCents,
      total((s) => s.totalCents),
    ),
    '',
    sum(
      'C',
      total((s) => s.usageCents),
    ),
    sum(
      'D',
      total((s) => s.fixedCents),
    ),
    sum(
      'E',
      total((s) => s.adjustmentsCents),
    ),
    sum(
      'F',
      total((s) => s.totalCents),
    ),
    sum(
      'G',
      total((s) => s.creditsCents),
    ),
    sum(
      'H',
      total((s) => s.netCents),
    ),
  ]);
  bold(totals);
  for (let r = first; r <= sheet.rowCount; r++) {
    for (let c = 3; c <= 8; c++) sheet.getRow(r).getCell(c).numFmt = EURO_FORMAT;
  }

  sheet.addRow([]);
  bold(sheet.addRow([t.settlement]));
  header(sheet, [t.from, t.to, t.amount]);
  const ids = new Set(statements.map((s) => s.municipalityId));
  const transfers = doc.settlement.filter(
    (tr) =>
      statements.length === doc.statements.length ||
      ids.has(tr.fromMunicipalityId) ||
      ids.has(tr.toMunicipalityId),
  );
  if (transfers.length === 0) sheet.addRow([t.settlementNone]);
  for (const tr of transfers) {
    sheet.addRow([tr.fromMunicipalityName, tr.toMunicipalityName, euros(tr.amountCents)]).getCell(3).numFmt =
      EURO_FORMAT;
  }

  const withSavings = statements.filter((s) => s.savings);
  if (withSavings.length > 0) {
    const f = t.savingsFields;
    sheet.addRow([]);
    bold(sheet.addRow([t.savings]));
    header(sheet, [t.member, f.paidNet, f.standalone, f.saving, `${f.saving} %`, f.earned, f.basis]);
    for (const s of withSavings) {
      const v = s.savings!;
      const row = sheet.addRow([
        s.municipalityName,
        euros(v.paidNetCents),
        euros(v.standaloneCostCents),
        euros(v.savingCents),
        v.savingPercent / 100,
        euros(v.earnedFromOthersCents),
        v.basis,
      ]);
      for (const c of [2, 3, 4, 6]) row.getCell(c).numFmt = EURO_FORMAT;
      row.getCell(5).numFmt = '0.00 %';
    }
  }
  sheet.columns.forEach((col, i) => (col.width = i === 0 ? 28 : i === 6 ? 40 : 18));
}

function memberSheet(book: ExcelJS.Workbook, doc: PoolStatements, s: MemberStatement, name: string) {
  const t = LABELS[doc.language];
  const sheet = book.addWorksheet(name);
  heading(sheet, doc, t, s.municipalityName);
  if (s.number) sheet.addRow([t.number, s.number]);
  if (s.checksum) sheet.addRow([t.checksum, s.checksum]);
  if (s.number || s.checksum) sheet.addRow([]);
  header(sheet, [
    t.date,
    t.kind,
    t.resource,
    t.description,
    t.hours,
    t.ratePerHour,
    t.amount,
    t.basis,
    t.estimated,
  ]);
  for (const line of s.lines) {
    const row = sheet.addRow([
      line.date ? utcDate(line.date) : null,
      t.kinds[line.kind],
      line.resourceName ?? '',
      line.description,
      line.hours ?? null,
      line.rateCents === undefined ? null : euros(line.rateCents),
      euros(line.amountCents),
      line.basis ?? '',
      line.usageEstimated ? t.yes : '',
    ]);
    row.getCell(1).numFmt = DATE_FORMAT;
    row.getCell(5).numFmt = HOURS_FORMAT;
    row.getCell(6).numFmt = EURO_FORMAT;
    row.getCell(7).numFmt = EURO_FORMAT;
  }
  sheet.addRow([]);
  const totals: [string, number][] = [
    [t.usage, s.usageCents],
    [t.fixed, s.fixedCents],
    [t.adjustments, s.adjustmentsCents],
    [t.total, s.totalCents],
    [t.credits, s.creditsCents],
    [t.net, s.netCents],
  ];
  for (const [label, cents] of totals) {
    const row = sheet.addRow(['', '', '', label, '', '', euros(cents)]);
    row.getCell(7).numFmt = EURO_FORMAT;
    if (label === t.total || label === t.net) bold(row);
  }
  sheet.columns.forEach((col, i) => (col.width = [12, 12, 26, 48, 9, 12, 14, 40, 10][i] ?? 12));
}

/**
 * The statements as an Excel workbook: a summary sheet (members' totals, credits and nets, the
 * settlement, the savings where known) and one sheet per member with its lines. Amounts are numbers
 * in euros with a € format, dates are date cells: Excel sums and sorts them.
 */
export async function renderStatementsXlsx(doc: PoolStatements, memberId?: string): Promise<Buffer> {
  const statements = statementsOf(doc, memberId);
  const t = LABELS[doc.language];
  const { Workbook } = await import('exceljs');
  const book = new Workbook();
  book.creator = 'allmende';
  const stamp = new Date(doc.finalizedAt ?? `${doc.to}T00:00:00Z`);
  book.created = stamp;
  book.modified = stamp;
  const taken = new Set<string>();
  summarySheet(book, doc, statements, sheetName(t.summary, taken));
  for (const s of statements) memberSheet(book, doc, s, sheetName(s.municipalityName, taken));
  return Buffer.from(await book.xlsx.writeBuffer());
}
