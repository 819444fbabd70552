/**
 * Benchmark child process: the worker's statements code on its own — a Nest application context
 * with the database and the cost-sharing module, as the worker builds it — computes one pool's
 * statements for last month (the JSON document the API returns), then runs the monthly job
 * (finalize: compute, numbered statements, outbox events). Prints one JSON line with the times
 * and this process's peak RSS.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SYSTEM_ACTOR } from '@allmende/core';
import { CostSharingModule, previousMonth, StatementsService } from '@allmende/cost-sharing';
import { DatabaseModule } from '@allmende/database';

export interface StatementsRunReport {
  bootMs: number;
  documentMs: number;
  documentBytes: number;
  statements: number;
  lines: number;
  monthlyRunMs: number;
  issuedPools: number;
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
    ],
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
  const report: StatementsRunReport = {
    bootMs,
    documentMs,
    documentBytes,
    statements: doc.statements.length,
    lines: doc.statements.reduce((a, s) => a + s.lines.length, 0),
    monthlyRunMs,
    issuedPools: run.issued.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  await app.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
