import { Injectable } from '@nestjs/common';
import { Actor, DomainError, ErrorCode, NotFound, ValidationFailed } from '@allmende/core';
import { PoolRepository } from '@allmende/database';
import { PoolVisibility } from '@allmende/pools';
import { DateTime } from 'luxon';

/** The longest window a report covers: five years. */
const MAX_DAYS = 5 * 366 + 1;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface ReportWindowInput {
  /** First local day (YYYY-MM-DD, Europe/Berlin). */
  from?: string;
  /** First local day after the window. */
  to?: string;
  /** Instead of from/to: a calendar year. */
  year?: number;
  /** Narrow to one municipality (coordinators and admins; finance only its own). */
  municipalityId?: string;
}

/** Who sees what, and over which days: resolved once per report. */
export interface ReportScope {
  poolId: string;
  poolName: string;
  fromDay: string;
  toDay: string;
  from: Date;
  to: Date;
  /** Null: the whole pool. */
  municipalityId: string | null;
}

/** Local midnight of a day in Europe/Berlin as an instant. */
export function berlinMidnight(day: string): Date {
  return DateTime.fromISO(day, { zone: 'Europe/Berlin' }).toJSDate();
}

/** The window in local days, checked: both ends or a year, from before to, at most five years. */
export function resolveWindow(input: ReportWindowInput): { fromDay: string; toDay: string } {
  if (input.year !== undefined) {
    if (input.from !== undefined || input.to !== undefined) {
      throw new ValidationFailed([{ field: 'year', message: 'give either year or from and to, not both' }]);
    }
    if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) {
      throw new ValidationFailed([{ field: 'year', message: 'must be a year between 2000 and 2100' }]);
    }
    return { fromDay: `${input.year}-01-01`, toDay: `${input.year + 1}-01-01` };
  }
  const errors = (['from', 'to'] as const).flatMap((field) => {
    const v = input[field];
    if (v === undefined) return [{ field, message: 'is required (a date, e.g. 2026-01-01), or give year' }];
    if (!DAY.test(v) || !DateTime.fromISO(v).isValid)
      return [{ field, message: 'must be a date YYYY-MM-DD' }];
    return [];
  });
  if (errors.length > 0) throw new ValidationFailed(errors);
  const from = DateTime.fromISO(input.from!);
  const to = DateTime.fromISO(input.to!);
  if (to <= from) throw new ValidationFailed([{ field: 'to', message: 'must be after from' }]);
  if (to.diff(from, 'days').days > MAX_DAYS) {
    throw new ValidationFailed([{ field: 'to', message: 'a report covers at most five years' }]);
  }
  return { fromDay: input.from!, toDay: input.to! };
}

/**
 * The reach of a finance report: the pool's coordinators (and admins) see the whole pool, finance
 * staff (and members' coordinators of other pools) their own municipality; a pool the caller does
 * not see is not found.
 */
@Injectable()
export class ReportScopes {
  constructor(
    private readonly pools: PoolRepository,
    private readonly visibility: PoolVisibility,
  ) {}

  /** Runs inside the caller's unit of work. */
  async resolve(actor: Actor, poolId: string, input: ReportWindowInput): Promise<ReportScope> {
    const { fromDay, toDay } = resolveWindow(input);
    const pool = await this.pools.findById(poolId);
    if (!pool || !(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
    const wholePool =
      actor.role === 'admin' || (actor.role === 'coordinator' && actor.poolIds.includes(poolId));
    let municipalityId: string | null = wholePool ? null : actor.municipalityId;
    if (input.municipalityId !== undefined) {
      if (!wholePool && input.municipalityId !== actor.municipalityId) {
        throw new DomainError(
          ErrorCode.Forbidden,
          "Finance reports show only your own municipality's figures.",
        );
      }
      municipalityId = input.municipalityId;
    }
    if (!wholePool && municipalityId === null) {
      throw new DomainError(ErrorCode.Forbidden, 'Finance reports need a municipality.');
    }
    return {
      poolId,
      poolName: pool.name,
      fromDay,
      toDay,
      from: berlinMidnight(fromDay),
      to: berlinMidnight(toDay),
      municipalityId,
    };
  }
}
