import { Inject, Injectable } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import { berlinWallClock } from '@allmende/bookings';
import { Actor, ValidationFailed } from '@allmende/core';
import { CostRow, FinanceReportQuery, MunicipalityRepository, UnitOfWork } from '@allmende/database';
import { formatMonth, Language } from '../documents/format';
import { availableHoursByMonth } from './available-hours';
import type { CostGroupBy, ReportKind, UtilizationGroupBy } from './report-labels';
import { ReportScope, ReportScopes, ReportWindowInput } from './report-scope';
import { REPORT_CONTENT_TYPES, ReportFormat, ReportTable, ReportTarget, writeReport } from './report-table';
import { costTable, reportFilename, unrecordedTable, utilizationTable } from './report-tables';

/** The clock the reports ask what "past" means; tests and the CLI may set another. */
export const REPORT_CLOCK = Symbol('REPORT_CLOCK');
export type ReportClock = () => Date;

export interface ReportHeader {
  report: ReportKind;
  poolId: string;
  poolName: string;
  /** First local day of the window and the first day after it (YYYY-MM-DD, Europe/Berlin). */
  from: string;
  to: string;
  /** Null: the whole pool. */
  municipalityId: string | null;
  municipalityName: string | null;
}

/** A group's usage at the resource's rates (see CostRow) with its total. */
export interface CostReportRow extends CostRow {
  totalCents: number;
  /** True when part of the figure is estimated from booked hours. */
  estimated: boolean;
}

export type CostTotals = Omit<
  CostReportRow,
  'key' | 'name' | 'type' | 'homeMunicipalityId' | 'homeMunicipalityName'
>;

export interface CostReport extends ReportHeader {
  groupBy: CostGroupBy;
  rows: CostReportRow[];
  totals: CostTotals;
}

export interface UtilizationRow {
  key: string;
  name: string;
  type: string | null;
  homeMunicipalityId: string | null;
  homeMunicipalityName: string | null;
  resources: number;
  bookings: number;
  bookedHours: number;
  availableHours: number;
  /** bookedHours / availableHours in percent, two decimals; null when nothing was available. */
  utilizationPercent: number | null;
}

export interface UtilizationReport extends ReportHeader {
  groupBy: UtilizationGroupBy;
  rows: UtilizationRow[];
  totals: Omit<UtilizationRow, 'key' | 'name' | 'type' | 'homeMunicipalityId' | 'homeMunicipalityName'>;
}

export interface UnrecordedBooking {
  bookingId: string;
  start: string;
  startLocal: string;
  end: string;
  endLocal: string;
  /** Local date of the start. */
  date: string;
  municipalityId: string;
  municipalityName: string;
  resourceId: string;
  resourceName: string;
  type: string;
  operatorForBookingId: string | null;
  bookedHours: number;
  /** At the booked hours and the resource's rates. */
  estimatedCents: number;
}

export interface UnrecordedUsagePage extends ReportHeader {
  items: UnrecordedBooking[];
  nextCursor: string | null;
}

export interface ReportFile {
  contentType: string;
  filename: string;
  stream: Readable;
}

/** A report whose figures are read, to be written into one or more files in one pass. */
export interface PreparedReport {
  filename(format: ReportFormat): string;
  write(targets: ReportTarget[]): Promise<void>;
}

export interface ReportRequest extends ReportWindowInput {
  groupBy?: string;
  language?: Language;
}

const COST_GROUPS: readonly CostGroupBy[] = ['municipality', 'resource', 'type', 'month'];
const UTILIZATION_GROUPS: readonly UtilizationGroupBy[] = ['resource', 'type', 'month'];
const PAGE = 1000;

function groupOf<T extends string>(given: string | undefined, allowed: readonly T[], fallback: T): T {
  if (given === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(given)) {
    throw new ValidationFailed([{ field: 'groupBy', message: `must be one of ${allowed.join(', ')}` }]);
  }
  return given as T;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function encodeCursor(b: { start: Date; bookingId: string }): string {
  return Buffer.from(JSON.stringify([b.start.toISOString(), b.bookingId])).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { startAt: Date; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [s, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const startAt = new Date(s);
    if (Number.isNaN(startAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad cursor');
    return { startAt, id };
  } catch {
    throw new ValidationFailed([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
}

/**
 * Finance reports of a pool over a window of local days: costs per municipality, resource, type
 * or month; utilization per resource; bookings without recorded usage. As JSON, CSV or XLSX.
 * Figures are summed in PostgreSQL; the long list is read and written page by page.
 */
@Injectable()
export class FinanceReportsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly query: FinanceReportQuery,
    private readonly scopes: ReportScopes,
    private readonly municipalities: MunicipalityRepository,
    @Inject(REPORT_CLOCK) private readonly now: ReportClock,
  ) {}

  private async header(actor: Actor, poolId: string, report: ReportKind, input: ReportRequest) {
    const scope = await this.scopes.resolve(actor, poolId, input);
    const municipality = scope.municipalityId
      ? await this.municipalities.findById(scope.municipalityId)
      : null;
    const header: ReportHeader = {
      report,
      poolId,
      poolName: scope.poolName,
      from: scope.fromDay,
      to: scope.toDay,
      municipalityId: scope.municipalityId,
      municipalityName: municipality?.name ?? null,
    };
    return { scope, header };
  }

  private window(scope: ReportScope) {
    return {
      poolId: scope.poolId,
      from: scope.from,
      to: scope.to,
      municipalityId: scope.municipalityId,
      now: this.now(),
    };
  }

  async costs(actor: Actor, poolId: string, input: ReportRequest): Promise<CostReport> {
    const groupBy = groupOf(input.groupBy, COST_GROUPS, 'municipality');
    const language = input.language ?? 'de';
    return this.uow.run(actor, async () => {
      const { scope, header } = await this.header(actor, poolId, 'costs', input);
      const found = await this.query.costs(this.window(scope), groupBy);
      const rows = found.map((r): CostReportRow => ({
        ...r,
        name: groupBy === 'month' ? formatMonth(r.key, language) : r.name,
        totalCents: r.recordedCents + r.estimatedCents,
        estimated: r.estimatedBookings > 0,
      }));
      const sum = (pick: (r: CostReportRow) => number) => rows.reduce((a, r) => a + pick(r), 0);
      const totals: CostTotals = {
        bookings: sum((r) => r.bookings),
        estimatedBookings: sum((r) => r.estimatedBookings),
        recordedHours: round2(sum((r) => r.recordedHours)),
        estimatedHours: round2(sum((r) => r.estimatedHours)),
        recordedCents: sum((r) => r.recordedCents),
        estimatedCents: sum((r) => r.estimatedCents),
        totalCents: sum((r) => r.totalCents),
        estimated: rows.some((r) => r.estimated),
      };
      return { ...header, groupBy, rows, totals };
    });
  }

  async utilization(actor: Actor, poolId: string, input: ReportRequest): Promise<UtilizationReport> {
    const groupBy = groupOf(input.groupBy, UTILIZATION_GROUPS, 'resource');
    const language = input.language ?? 'de';
    return this.uow.run(actor, async () => {
      const { scope, header } = await this.header(actor, poolId, 'utilization', input);
      const resources = await this.query.resources(poolId, scope.municipalityId);
      const booked = await this.query.bookedHours(poolId, scope.from, scope.to, scope.municipalityId);
      const blackouts = await this.query.blackouts(poolId, scope.from, scope.to);
      const available = availableHoursByMonth(resources, scope.fromDay, scope.toDay, blackouts);
      const byId = new Map(resources.map((r) => [r.id, r]));

      const groups = new Map<string, UtilizationRow & { members: Set<string> }>();
      const group = (resourceId: string, month: string) => {
        const r = byId.get(resourceId)!;
        const key = groupBy === 'resource' ? r.id : groupBy === 'type' ? r.type : month;
        let g = groups.get(key);
        if (!g) {
          g = {
            key,
            name:
              groupBy === 'resource' ? r.name : groupBy === 'type' ? r.type : formatMonth(month, language),
            type: groupBy === 'month' ? null : r.type,
            homeMunicipalityId: groupBy === 'resource' ? r.homeMunicipalityId : null,
            homeMunicipalityName: groupBy === 'resource' ? r.homeMunicipalityName : null,
            resources: 0,
            bookings: 0,
            bookedHours: 0,
            availableHours: 0,
            utilizationPercent: null,
            members: new Set(),
          };
          groups.set(key, g);
        }
        g.members.add(resourceId);
        return g;
      };
      const used = new Set(booked.map((b) => b.resourceId));
      for (const r of resources) {
        if (!r.active && !used.has(r.id)) continue;
        for (const [month, hours] of available.get(r.id) ?? []) group(r.id, month).availableHours += hours;
      }
      for (const b of booked) {
        if (!byId.has(b.resourceId)) continue;
        const g = group(b.resourceId, b.month);
        g.bookings += b.bookings;
        g.bookedHours += b.bookedHours;
      }
      const percent = (bookedHours: number, availableHours: number) =>
        availableHours > 0 ? round2((100 * bookedHours) / availableHours) : null;
      const rows = [...groups.values()]
        .map(({ members, ...g }) => ({
          ...g,
          resources: members.size,
          bookedHours: round2(g.bookedHours),
          availableHours: round2(g.availableHours),
          utilizationPercent: percent(g.bookedHours, g.availableHours),
        }))
        .sort((a, b) =>
          groupBy === 'month' ? a.key.localeCompare(b.key) : a.name.localeCompare(b.name, 'de'),
        );
      const bookedHours = round2(rows.reduce((a, r) => a + r.bookedHours, 0));
      const availableHours = round2(rows.reduce((a, r) => a + r.availableHours, 0));
      return {
        ...header,
        groupBy,
        rows,
        totals: {
          resources: new Set([...groups.values()].flatMap((g) => [...g.members])).size,
          bookings: rows.reduce((a, r) => a + r.bookings, 0),
          bookedHours,
          availableHours,
          utilizationPercent: percent(bookedHours, availableHours),
        },
      };
    });
  }

  async unrecordedUsage(
    actor: Actor,
    poolId: string,
    input: ReportRequest,
    page: { limit: number; cursor?: string },
  ): Promise<UnrecordedUsagePage> {
    const after = decodeCursor(page.cursor);
    return this.uow.run(actor, async () => {
      const { scope, header } = await this.header(actor, poolId, 'unrecorded-usage', input);
      const rows = await this.query.unrecordedPage(this.window(scope), page.limit + 1, after);
      const items = rows.slice(0, page.limit).map(unrecordedItem);
      const last = rows.length > page.limit ? rows[page.limit - 1] : null;
      return { ...header, items, nextCursor: last ? encodeCursor(last) : null };
    });
  }

  /**
   * A report ready to be written as files. Scope and input are checked and the figures read
   * before the first byte, so bad input is a problem+json answer; the rows of the long list are
   * then read page by page as the files are written, each page in its own short transaction.
   */
  async prepare(
    actor: Actor,
    poolId: string,
    kind: ReportKind,
    input: ReportRequest,
  ): Promise<PreparedReport> {
    const language = input.language ?? 'de';
    let prepared: { header: ReportHeader; table: ReportTable };
    let groupBy: string | undefined;
    if (kind === 'costs') {
      const report = await this.costs(actor, poolId, input);
      groupBy = report.groupBy;
      prepared = costTable(report, language);
    } else if (kind === 'utilization') {
      const report = await this.utilization(actor, poolId, input);
      groupBy = report.groupBy;
      prepared = utilizationTable(report, language);
    } else {
      const first = await this.unrecordedUsage(actor, poolId, input, { limit: PAGE });
      prepared = unrecordedTable(first, language, this.remainingUnrecorded(actor, poolId, input, first));
    }
    return {
      filename: (format) => reportFilename(prepared.header, kind, groupBy, format, language),
      write: (targets) => writeReport(prepared.table, language, targets),
    };
  }

  /** A report as one file, streamed. */
  async export(
    actor: Actor,
    poolId: string,
    kind: ReportKind,
    input: ReportRequest,
    format: ReportFormat,
  ): Promise<ReportFile> {
    const report = await this.prepare(actor, poolId, kind, input);
    const out = new PassThrough();
    report
      .write([{ format, out }])
      .catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
    return { contentType: REPORT_CONTENT_TYPES[format], filename: report.filename(format), stream: out };
  }

  private async *remainingUnrecorded(
    actor: Actor,
    poolId: string,
    input: ReportRequest,
    first: UnrecordedUsagePage,
  ): AsyncIterable<UnrecordedBooking> {
    yield* first.items;
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await this.unrecordedUsage(actor, poolId, input, { limit: PAGE, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    }
  }
}

function unrecordedItem(r: {
  bookingId: string;
  start: Date;
  end: Date;
  municipalityId: string;
  municipalityName: string;
  resourceId: string;
  resourceName: string;
  type: string;
  operatorForBookingId: string | null;
  bookedHours: number;
  estimatedCents: number;
}): UnrecordedBooking {
  const startLocal = berlinWallClock(r.start);
  return {
    bookingId: r.bookingId,
    start: r.start.toISOString(),
    startLocal,
    end: r.end.toISOString(),
    endLocal: berlinWallClock(r.end),
    date: startLocal.slice(0, 10),
    municipalityId: r.municipalityId,
    municipalityName: r.municipalityName,
    resourceId: r.resourceId,
    resourceName: r.resourceName,
    type: r.type,
    operatorForBookingId: r.operatorForBookingId,
    bookedHours: r.bookedHours,
    estimatedCents: r.estimatedCents,
  };
}
