/**
 * Benchmark child process: the worker's statements code on its own — a Nest application context
 * with the database and the cost-sharing module, as the worker builds it — computes one pool's
 * statements for last month (the JSON document the API returns), then runs the monthly job
 * (finalize: compute, numbered statements, outbox events), then makes every member's email
 * attachments (PDF and XLSX) the way the worker's statement emails do, one member after another.
 * Prints one JSON line with the times and this process's peak RSS.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SYSTEM_ACTOR } from '@allmende/core';
import {
  CostSharingModule,
  previousMonth,
  StatementDocumentsModule,
  StatementRenderer,
  StatementsService,
} from '@allmende/cost-sharing';
import { DatabaseModule } from '@allmende/database';
import { StatementAttachments } from '../apps/worker/src/statement-attachments';

export interface StatementsRunReport {
  bootMs: number;
  documentMs: number;
  documentBytes: number;
  statements: number;
  lines: number;
  monthlyRunMs: number;
  issuedPools: number;
  /** Every member's PDF and XLSX, as its statement email carries them. */
  attachmentsMs: number;
  pdfs: number;
  /** The PDFs alone, every member's in turn, from the finalized document. */
  pdfMs: number;
  pdfBytes: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const [url, poolId] = process.argv.slice(2);
  const boot = performance.now();
  @Module({
    imports: [
      DatabaseModule.forRoot({
        url,
        poolSize: 4,
        applicationName: 'bench-statements',
        preparedStatements: true,
      }),
      CostSharingModule,
      StatementDocumentsModule,
    ],
    providers: [StatementAttachments],
  })
  class StatementsBenchModule {}
  const app = await NestFactory.createApplicationContext(StatementsBenchModule, { logger: false });
  const service = app.get(StatementsService);
  const bootMs = performance.now() - boot;

  const period = previousMonth(new Date()).label;
  const t0 = performance.now();
  const doc = await service.get(SYSTEM_ACTOR, poolId, period, 'de');
  const documentBytes = Buffer.byteLength(JSON.stringify(doc));
  const documentMs = performance.now() - t0;

  const t1 = performance.now();
  const run = await service.issueLastMonth();
  const monthlyRunMs = performance.now() - t1;

  // The statement emails: each member's attachments, in turn, as the send jobs ask for them.
  const attachments = app.get(StatementAttachments);
  const t2 = performance.now();
  for (const s of doc.statements) {
    await attachments.documentsFor({
      poolId,
      municipalityId: s.municipalityId,
      period,
      language: 'de',
    });
  }
  const attachmentsMs = performance.now() - t2;
  const finalized = await service.get(SYSTEM_ACTOR, poolId, period, 'de');
  const renderer = app.get(StatementRenderer);
  let pdfs = 0;
  let pdfBytes = 0;
  const t3 = performance.now();
  for (const s of finalized.statements) {
    const pdf = await renderer.render(finalized, 'pdf', s.municipalityId);
    pdfs++;
    pdfBytes += pdf.body.length;
  }
  const pdfMs = performance.now() - t3;
  const report: StatementsRunReport = {
    bootMs,
    documentMs,
    documentBytes,
    statements: doc.statements.length,
    lines: doc.statements.reduce((a, s) => a + s.lines.length, 0),
    monthlyRunMs,
    issuedPools: run.issued.length,
    attachmentsMs,
    pdfs,
    pdfMs,
    pdfBytes,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  await app.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
