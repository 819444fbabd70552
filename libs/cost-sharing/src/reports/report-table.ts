import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
// exceljs is loaded by the first XLSX report only.
import type * as ExcelJS from 'exceljs';
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

/** Where the rows of a report go: one file being written. */
interface RowSink {
  row(values: ReportValue[]): Promise<void>;
  end(totals?: ReportValue[]): Promise<void>;
}

/** CSV as German Excel opens it (UTF-8 with BOM, semicolons, decimal commas, CRLF), row by row. */
function csvSink(table: ReportTable, lang: Language, out: Writable): RowSink {
  const csv = stringify({ delimiter: ';', record_delimiter: '\r\n' });
  const finished = new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
  });
  out.write('\uFEFF');
  csv.pipe(out);
  const write = async (record: string[]) => {
    if (!csv.write(record)) await new Promise((r) => csv.once('drain', r));
  };
  const values = (row: ReportValue[]) => row.map((v, i) => csvValue(table.columns[i].kind, v, lang));
  const preamble = (async () => {
    await write([csvText(table.title)]);
    for (const note of table.notes) await write([csvText(note)]);
    await write([]);
    await write(table.columns.map((c) => c.header));
  })();
  return {
    async row(row) {
      await preamble;
      await write(values(row));
    },
    async end(totals) {
      await preamble;
      if (totals) await write(values(totals));
      csv.end();
      await finished;
    },
  };
}

/**
 * XLSX streamed with exceljs's WorkbookWriter: rows are committed as they come, so a long list
 * never sits in memory. Amounts are numbers in euros with a € format, dates are date cells, and
 * the totals row sums the column (with the total as the cached result).
 */
function xlsxSink(excel: typeof ExcelJS, table: ReportTable, out: Writable): RowSink {
  const book = new excel.stream.xlsx.WorkbookWriter({
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
  return {
    row(row) {
      add(
        row.map((v, i) => xlsxValue(table.columns[i].kind, v)),
        formats,
      );
      return Promise.resolve();
    },
    async end(totals) {
      const last = rows;
      if (totals) {
        const cells = totals.map((v, i): ExcelJS.CellValue => {
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
        add(cells, (row) => {
          formats(row);
          row.font = { bold: true };
        });
      }
      sheet.commit();
      await book.commit();
    },
  };
}

export interface ReportTarget {
  format: ReportFormat;
  out: Writable;
}

/**
 * Writes the table into every target in one pass over its rows: a long list is read once, however
 * many files it becomes (the CLI writes CSV and XLSX together).
 */
export async function writeReport(
  table: ReportTable,
  lang: Language,
  targets: ReportTarget[],
): Promise<void> {
  const excel = targets.some((t) => t.format === 'xlsx') ? await import('exceljs') : undefined;
  const sinks = targets.map((t) =>
    t.format === 'csv' ? csvSink(table, lang, t.out) : xlsxSink(excel!, table, t.out),
  );
  for await (const row of table.rows) {
    for (const sink of sinks) await sink.row(row);
  }
  await Promise.all(sinks.map((sink) => sink.end(table.totals)));
}
