import type { CostSharing } from '@allmende/database';

/**
 * A "coalition of the willing" question: what if these municipalities joined or left the pool
 * from a date, and/or the pool used another cost-sharing key. One model for both sides of the
 * answer: the cost side (POST /pools/{id}/cost-sharing/simulate: each member's share and net
 * before and after) and the planning side (utilization, unmet demand and bottlenecks before and
 * after). Nothing is stored.
 */
export interface MembershipScenario {
  joins?: MembershipJoin[];
  leaves?: MembershipLeave[];
  /** Another key to compare with the one in force. */
  costSharing?: CostSharing;
}

export interface MembershipJoin {
  municipalityId: string;
  /** First day of membership (YYYY-MM-DD, Europe/Berlin). */
  from: string;
  /**
   * The joiner's demand in hours per week by resource type, when given; otherwise estimated from
   * its own past bookings and requests in any pool.
   */
  demandHoursPerWeekByType?: Record<string, number>;
}

export interface MembershipLeave {
  municipalityId: string;
  /** First day without membership (YYYY-MM-DD, Europe/Berlin). */
  from: string;
}
