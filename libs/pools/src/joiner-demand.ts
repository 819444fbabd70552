import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DemandHistoryQuery } from '@allmende/database';
import type { MembershipJoin } from './membership-scenario';

/** A joiner's demand is estimated from this many weeks before it joins. */
export const HISTORY_WEEKS = 52;
const ZONE = 'Europe/Berlin';

/** A joiner's demand for one resource type, as the what-if assumes it. */
export interface JoinerDemand {
  type: string;
  hoursPerWeek: number;
  /** Given in the scenario, or estimated from the joiner's own history. */
  source: 'given' | 'history';
  /** Bookings and unserved requests the estimate rests on (0 when given). */
  bookings: number;
  requests: number;
}

export interface JoinerDemandEstimate {
  demand: JoinerDemand[];
  /** The span the history estimate is taken from, in epoch ms (history only). */
  basis: { start: number; end: number } | null;
}

/** Local midnight (Europe/Berlin) of a YYYY-MM-DD date, in epoch ms. */
export function berlinStartOfDay(date: string): number {
  return DateTime.fromISO(date, { zone: ZONE }).startOf('day').toMillis();
}

/**
 * The demand of a municipality joining a pool, one model for both sides of the membership
 * what-if (planning: utilization and bottlenecks; cost sharing: shares and nets): the demand the
 * scenario gives, in hours per week by type, or else its own bookings and unserved requests in
 * any pool over the HISTORY_WEEKS weeks before it joins, per week. Runs inside a unit of work; the
 * caller reads as the system, since the joiner's history lies in pools the caller may not see
 * (only sums per type come out).
 */
@Injectable()
export class JoinerDemandEstimator {
  constructor(private readonly history: DemandHistoryQuery) {}

  async estimate(join: MembershipJoin): Promise<JoinerDemandEstimate> {
    if (join.demandHoursPerWeekByType)
      return {
        demand: Object.entries(join.demandHoursPerWeekByType)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([type, hoursPerWeek]) => ({ type, hoursPerWeek, source: 'given', bookings: 0, requests: 0 })),
        basis: null,
      };
    const basisEnd = new Date(berlinStartOfDay(join.from));
    const basisStart = DateTime.fromJSDate(basisEnd, { zone: ZONE })
      .minus({ weeks: HISTORY_WEEKS })
      .toJSDate();
    const rows = await this.history.byType(join.municipalityId, basisStart, basisEnd);
    return {
      demand: rows.map((d) => ({
        type: d.type,
        hoursPerWeek: Math.round((d.hours / HISTORY_WEEKS) * 100) / 100,
        source: 'history',
        bookings: d.bookings,
        requests: d.requests,
      })),
      basis: { start: basisStart.getTime(), end: basisEnd.getTime() },
    };
  }
}
