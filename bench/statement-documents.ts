/**
 * The statement documents in `npm run bench`: every member's PDF of a pool's period (the monthly
 * run mails each member its PDF and XLSX), timed. `renderMemberPdfs` is the helper the
 * statements benchmark calls with the engine's real output; `statementDocumentsTable` runs it on a
 * synthetic pool of 100 members.
 */
import { performance } from 'node:perf_hooks';
import {
  PoolStatements,
  renderStatementPdf,
  renderStatementsCsv,
  renderStatementsXlsx,
  syntheticStatements,
} from '@allmende/cost-sharing';
import { fixed, percentile, table, verdict } from './bookings-support';

export const TARGET_ALL_PDFS_SECONDS = 10;

export interface PdfRun {
  members: number;
  seconds: number;
  /** Per member, in milliseconds. */
  latenciesMs: number[];
  bytes: number;
  pages: number;
}

/** Renders each member's PDF of `doc` one after another, as the monthly run does. */
export async function renderMemberPdfs(doc: PoolStatements): Promise<PdfRun> {
  const latenciesMs: number[] = [];
  let bytes = 0;
  let pages = 0;
  const started = performance.now();
  for (const s of doc.statements) {
    const t0 = performance.now();
    const pdf = await renderStatementPdf(doc, s.municipalityId);
    latenciesMs.push(performance.now() - t0);
    bytes += pdf.length;
    pages += (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  }
  return {
    members: doc.statements.length,
    seconds: (performance.now() - started) / 1000,
    latenciesMs,
    bytes,
    pages,
  };
}

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await work();
  return [result, (performance.now() - t0) / 1000];
}

export async function statementDocumentsTable(members = 100, linesPerMember = 60): Promise<string> {
  const doc = syntheticStatements(members, linesPerMember);
  await renderStatementPdf(doc, doc.statements[0].municipalityId); // warm-up: fonts, code paths
  const run = await renderMemberPdfs(doc);
  const [xlsx, xlsxSeconds] = await timed(() => renderStatementsXlsx(doc));
  const [csv, csvSeconds] = await timed(() => renderStatementsCsv(doc));
  const lines = doc.statements.reduce((a, s) => a + s.lines.length, 0);
  return table(
    `Statement documents (${members} members, ${lines.toLocaleString('en')} lines, ${run.pages} PDF pages)`,
    ['figure', 'target', 'measured', 'verdict'],
    [
      [
        `all ${members} member PDFs, one after another`,
        `≤ ${TARGET_ALL_PDFS_SECONDS} s`,
        `${fixed(run.seconds, 2)} s`,
        verdict(run.seconds <= TARGET_ALL_PDFS_SECONDS),
      ],
      [
        '  per PDF p50 / max',
        '',
        `${fixed(percentile(run.latenciesMs, 50))} / ${fixed(Math.max(...run.latenciesMs))} ms`,
        '',
      ],
      ['  PDF size, mean', '', `${fixed(run.bytes / run.members / 1024)} KB`, ''],
      [
        'the pool XLSX (summary + a sheet per member)',
        '',
        `${fixed(xlsxSeconds, 2)} s, ${fixed(xlsx.length / 1024, 0)} KB`,
        '',
      ],
      [
        'the pool CSV (baseline: text only)',
        '',
        `${fixed(csvSeconds, 3)} s, ${fixed(csv.length / 1024, 0)} KB`,
        '',
      ],
      ['  all PDFs / CSV', '', `${fixed(run.seconds / csvSeconds, 0)}×`, ''],
    ],
  );
}
