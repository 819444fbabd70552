import { PassThrough, Readable, Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { berlinWallClock } from '@allmende/bookings';
import { cell as csvText } from '../documents/statement-csv';
import { EURO_FORMAT } from '../documents/statement-xlsx';
import { formatDate, formatInstant, Language, plainDecimal, plainEuros, utcDate } from '../documents/format';

/** How a column's values are written: cents become euros, dates German dates, and so on. */
/** `instant`: an ISO instant; written as its Europe/Berlin wall clock. */
export type ColumnKind = 'text' | 'int' | 'hours' | 'cents' | 'percent' | 'date' | 'instant' | 'flag';

export interface ReportColumn {
  header: string;
  kind: ColumnKind;
  width?: number;
}

export type ReportValue = string | number | boolean | null;

/** A report as a table: a title block, columns, rows (streamed where long) and a totals row. */
export interface ReportTable {
  title: string;
  /** Lines under the title: pool, window, scope, what the figures mean. */
  notes: string[];
  sheetName: string;
  columns: ReportColumn[];
  rows: AsyncIterable<ReportValue[]> | Iterable<ReportValue[]>;
  totals?: ReportValue[];
}

export type ReportFormat = 'csv' | 'xlsx';

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function csvValue(kind: ColumnKind, v: ReportValue, lang: Language): string {
  if (v === null || v === undefined || v === '') return '';
  switch (kind) {
    case 'text':
      return csvText(String(v));
    case 'int':
      return String(v);
    case 'hours':
    case 'percent':
      return plainDecimal(Number(v), lang);
    case 'cents':
      return plainEuros(Number(v), lang);
    case 'date':
      return formatDate(String(v), lang);
    case 'instant':
      return formatInstant(String(v), lang);
    case 'flag':
      return v ? (lang === 'de' ? 'ja' : 'yes') : '';
  }
}

function xlsxValue(kind: ColumnKind, v: ReportValue): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  switch (kind) {
    case 'cents':
      return Number(v) / 100;
    case 'percent':
      return Number(v) / 100;
    case 'date':
      return utcDate(String(v));
    case 'instant':
      // Excel has no time zones: the Europe/Berlin wall clock, written as if it were UTC
      return new Date(`${berlinWallClock(new Date(String(v))).slice(0, 19)}Z`);
    case 'flag':
      return v ? 'x' : '';
    case 'text':
      return String(v);
    case 'int':
    case 'hours':
      return Number(v);
  }
}

const XLSX_FORMATS: Partial<Record<ColumnKind, string>> = {
  cents: EURO_FORMAT,
  hours: '#,##0.00',
  percent: '0.00 %',
  date: 'dd.mm.yyyy',
  instant: 'dd.mm.yyyy hh:mm',
};

/** CSV as German Excel opens it (UTF-8 with BOM, semicolons, decimal commas, CRLF), row by row. */
export async function writeReportCsv(table: ReportTable, lang: Language, out: Writable): Promise<void> {
  const csv = stringify({ delimiter: ';', record_delimiter: '\r\n' });
  const piped = new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
  });
  csv.pipe(out);
  out.write('\uFEFF');
  const write = async (record: string[]) => {
    if (!csv.write(record)) await new Promise((r) => csv.once('drain', r));
  };
  await write([csvText(table.title)]);
  for (const note of table.notes) await write([csvText(note)]);
  await write([]);
  await write(table.columns.map((c) => c.header));
  for await (const row of table.rows)
    await write(row.map((v, i) => csvValue(table.columns[i].kind, v, lang)));
  if (table.totals) await write(table.totals.map((v, i) => csvValue(table.columns[i].kind, v, lang)));
  csv.end();
  await piped;
}

/**
 * XLSX streamed with exceljs's WorkbookWriter: rows are committed as they come, so a long list
 * never sits in memory. Amounts are numbers in euros with a € format, dates are date cells.
 */
export async function writeReportXlsx(table: ReportTable, out: Writable): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  book.creator = 'allmende';
  const sheet = book.addWorksheet(table.sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
  sheet.columns = table.columns.map((c) => ({ width: c.width ?? (c.kind === 'text' ? 28 : 14) }));
  // A committed row leaves the sheet: count the rows here, for the totals' SUM ranges.
  let rows = 0;
  const add = (values: ExcelJS.CellValue[], style: (row: ExcelJS.Row) => void = () => undefined) => {
    const row = sheet.addRow(values);
    rows++;
    style(row);
    row.commit();
  };
  const formats = (row: ExcelJS.Row) =>
    table.columns.forEach((c, i) => {
      const fmt = XLSX_FORMATS[c.kind];
      if (fmt) row.getCell(i + 1).numFmt = fmt;
    });
  add([table.title], (row) => (row.font = { bold: true, size: 13 }));
  for (const note of table.notes) add([note]);
  add([]);
  add(
    table.columns.map((c) => c.header),
    (row) => (row.font = { bold: true }),
  );
  const first = rows + 1;
  for await (const row of table.rows)
    add(
      row.map((v, i) => xlsxValue(table.columns[i].kind, v)),
      formats,
    );
  const last = rows;
  if (table.totals) {
    const totals = table.totals.map((v, i): ExcelJS.CellValue => {
      const kind = table.columns[i].kind;
      if (v === null || !(kind === 'cents' || kind === 'hours' || kind === 'int') || last < first) {
        return xlsxValue(kind, v);
      }
      const col = sheet.getColumn(i + 1).letter;
      return {
        formula: `SUM(${col}${first}:${col}${last})`,
        result: xlsxValue(kind, v) as number,
        date1904: false,
      };
    });
    add(totals, (row) => {
      formats(row);
      row.font = { bold: true };
    });
  }
  sheet.commit();
  await book.commit();
}

/** The table as a readable stream of the file; errors while reading rows destroy the stream. */
export function reportStream(table: ReportTable, format: ReportFormat, lang: Language): Readable {
  const out = new PassThrough();
  const work = format === 'csv' ? writeReportCsv(table, lang, out) : writeReportXlsx(table, out);
  work.catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}
