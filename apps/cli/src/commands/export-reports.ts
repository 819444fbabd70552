import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { ConfigError } from '@allmende/config';
import { Actor, DomainError, FieldError, SYSTEM_ACTOR } from '@allmende/core';
import {
  FinanceReportsModule,
  FinanceReportsService,
  DocumentLanguage,
  ReportFormat,
  ReportKind,
} from '@allmende/cost-sharing';
import { DatabaseModule } from '@allmende/database';
import { withDatabase } from './with-database';

export interface ExportReportsOptions {
  pool?: string;
  year?: string;
  out?: string;
  language?: string;
}

const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, tokenName: 'cli' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class UsageError extends Error {
  override name = 'UsageError';
}

/** The reports of a year, each as CSV and XLSX. */
const REPORTS: { kind: ReportKind; groupBy?: string }[] = [
  { kind: 'costs', groupBy: 'municipality' },
  { kind: 'costs', groupBy: 'resource' },
  { kind: 'costs', groupBy: 'type' },
  { kind: 'costs', groupBy: 'month' },
  { kind: 'utilization', groupBy: 'resource' },
  { kind: 'utilization', groupBy: 'month' },
  { kind: 'unrecorded-usage' },
];
const FORMATS: ReportFormat[] = ['csv', 'xlsx'];

function checkOptions(options: ExportReportsOptions): {
  pool: string;
  year: number;
  out: string;
  language: DocumentLanguage;
} {
  if (!options.pool) throw new UsageError("--pool <id> is required (the pool's id, see GET /api/v1/pools)");
  if (!UUID.test(options.pool))
    throw new UsageError(`--pool must be a pool id (a UUID), got "${options.pool}"`);
  if (!options.year) throw new UsageError('--year <yyyy> is required, e.g. --year 2026');
  const year = Number(options.year);
  if (!/^\d{4}$/.test(options.year) || year < 2000 || year > 2100) {
    throw new UsageError(`--year must be a year between 2000 and 2100, got "${options.year}"`);
  }
  if (!options.out) throw new UsageError('--out <dir> is required: the folder the files are written to');
  const language = (options.language ?? 'de') as DocumentLanguage;
  if (language !== 'de' && language !== 'en') {
    throw new UsageError(`--language must be de or en, got "${options.language}"`);
  }
  return { pool: options.pool, year, out: resolve(options.out), language };
}

async function checkFolder(out: string): Promise<void> {
  const found = await stat(out).catch(() => null);
  if (found && !found.isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
}

async function createFolder(out: string): Promise<void> {
  await mkdir(out, { recursive: true }).catch((e: Error) => {
    throw new UsageError(`--out ${out} cannot be created: ${e.message}`);
  });
}

/**
 * Writes a pool's finance reports of a year (costs by municipality, resource, type and month;
 * utilization by resource and month; bookings without recorded usage) as CSV and XLSX into a
 * folder, with a progress bar on stderr. Each file is written under a temporary name and renamed
 * when complete: an interrupted export leaves no half file behind.
 */
export async function exportReports(options: ExportReportsOptions): Promise<void> {
  const o = checkOptions(options);
  await checkFolder(o.out);
  await withDatabase(async (databaseUrl) => {
    @Module({
      imports: [
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: 2, applicationName: 'allmende-cli' }),
        FinanceReportsModule,
      ],
    })
    class ExportReportsModule {}
    const app = await NestFactory.createApplicationContext(ExportReportsModule, { logger: false });
    const bar = new SingleBar({
      stream: process.stderr,
      format: 'export-reports [{bar}] {value}/{total} {file}',
      barCompleteChar: '#',
      barIncompleteChar: '.',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 500,
    });
    const written: string[] = [];
    try {
      const reports = app.get(FinanceReportsService);
      // Checks the pool (and the caller's reach) before the bar starts.
      await reports.costs(CLI_ACTOR, o.pool, { year: o.year, language: o.language });
      await createFolder(o.out);
      bar.start(REPORTS.length * FORMATS.length, 0, { file: '' });
      for (const r of REPORTS) {
        const report = await reports.prepare(CLI_ACTOR, o.pool, r.kind, {
          year: o.year,
          groupBy: r.groupBy,
          language: o.language,
        });
        // CSV and XLSX in one pass over the rows, each under a temporary name until complete.
        const files = FORMATS.map((format) => {
          const target = join(o.out, report.filename(format));
          return { format, target, partial: `${target}.part` };
        });
        const outs = files.map((f) => createWriteStream(f.partial));
        const closed = outs.map((out) => finished(out));
        try {
          await report.write(files.map((f, i) => ({ format: f.format, out: outs[i] })));
          await Promise.all(closed);
          for (const f of files) await rename(f.partial, f.target);
        } catch (e) {
          for (const out of outs) out.destroy();
          for (const f of files) await rm(f.partial, { force: true });
          throw e;
        }
        for (const f of files) {
          written.push(f.target);
          bar.increment(1, { file: basename(f.target) });
        }
      }
      bar.stop();
    } finally {
      bar.stop();
      await app.close();
    }
    process.stdout.write(`Wrote ${written.length} files to ${o.out}:\n`);
    for (const f of written) process.stdout.write(`  ${f}\n`);
  });
}

/** Bad input ends the process with one clear line, never a stack trace. */
export function failExportReports(error: unknown): never {
  if (error instanceof DomainError) {
    const fields = (error.extra.errors as FieldError[] | undefined) ?? [];
    const detail = fields.map((f) => `${f.field} ${f.message}`).join('; ');
    process.stderr.write(`export-reports: ${detail || error.message}\n`);
  } else if (error instanceof UsageError || error instanceof ConfigError) {
    process.stderr.write(`export-reports: ${error.message}\n`);
  } else {
    process.stderr.write(
      `export-reports failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}
