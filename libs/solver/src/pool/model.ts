/**
 * Input and output of the pool solver. All instants are epoch milliseconds; intervals are
 * half-open [start, end). The solver is pure: the loader (database → model) lives elsewhere.
 */

export interface Interval {
  start: number;
  end: number;
}

export type Priority = 'normal' | 'emergency';

export interface SolverResource {
  id: string;
  name: string;
  kind: 'machine' | 'staff';
  /** e.g. 'street-sweeper'; staff: 'operator'. */
  type: string;
  homeSiteId: string;
  /** Staff: what the person holds (e.g. 'licence-CE', 'sewer-camera-certified'). */
  qualifications: string[];
  /** Machine: the qualification its operator needs (null: anyone may operate it). */
  requiredQualification: string | null;
  annualFixedCostCents: number;
  hourlyRateCents: number;
  /** When it may work inside the period (holidays, blackouts, inspections already removed). */
  available: Interval[];
}

export interface SolverBooking {
  id: string;
  resourceId: string;
  municipalityId: string;
  siteId: string;
  start: number;
  end: number;
  priority: Priority;
  /** Allowed window if the booking may move in time (start..end must stay inside). */
  flexible?: Interval;
  /** Staff booking that operates a machine booking: it moves together with that booking. */
  operatorForBookingId?: string | null;
  /**
   * Staff booking without a machine: the qualification the person must hold. An operator booking
   * needs the qualification its machine requires, so it does not need this field.
   */
  requiredQualification?: string | null;
}

export interface SolverRequest {
  id: string;
  type: string;
  municipalityId: string;
  siteId: string;
  start: number;
  end: number;
  /** Flexible: may be served anywhere inside the window with the same duration. */
  window?: Interval;
  priority: Priority;
  source: 'waitlist' | 'displaced' | 'refused';
  /** Request for staff (type e.g. 'operator'): the qualification the person must hold. */
  requiredQualification?: string | null;
  /**
   * Whether a machine that requires a qualified operator also needs one from the pool. Default
   * true: the municipality that asks usually has nobody certified, that is why it asks the pool.
   */
  needsOperator?: boolean;
}

export interface SolverMember {
  municipalityId: string;
  name: string;
  population: number;
  /** ISO date (yyyy-MM-dd). */
  joinedOn: string;
  leftOn: string | null;
}

export interface CostSharingKey {
  key: 'population' | 'equal' | 'usage' | 'shares' | 'mixed';
  mix?: { population?: number; equal?: number; usage?: number };
  shares?: Record<string, number>;
}

export interface PoolModel {
  poolId: string;
  period: Interval;
  zone: 'Europe/Berlin';
  resources: SolverResource[];
  bookings: SolverBooking[];
  requests: SolverRequest[];
  /** Transport time in minutes; depends on the resource (a sweeper drives slower than a van). */
  travelMinutes: (fromSiteId: string, toSiteId: string, resourceId: string) => number;
  members: SolverMember[];
  costSharing: CostSharingKey;
  /**
   * When work that the solver moves or newly places may run (the loader gives the local day,
   * 06:00–20:00): a flexible booking or request starts at its own time or so that it lies inside
   * one of these intervals. Absent: anywhere in its window.
   */
  movableHours?: Interval[];
  /** Plural display names, e.g. street-sweeper → { de: 'Kehrmaschinen', en: 'street sweepers' }. */
  typeNames?: Record<string, { de: string; en: string }>;
  /** Display names of sites/municipalities for explanations; ids are shown otherwise. */
  siteNames?: Record<string, string>;
}

export interface Text {
  de: string;
  en: string;
}

export type FindingKind = 'utilization' | 'unmet-demand' | 'skills-short' | 'seasonal-peak' | 'capacity';
export type Severity = 'info' | 'warning' | 'critical';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  type?: string;
  resourceId?: string;
  /** Skills-short findings: the qualification that is short. */
  qualification?: string;
  /** Whole ISO weeks (Europe/Berlin), clipped to the model's period. */
  period: Interval;
  metrics: Record<string, number>;
  text: Text;
}

/**
 * One step of a proposal. A booking change moves `bookingId` from (fromResourceId, fromStart,
 * fromEnd) to (toResourceId, toStart, toEnd). A request change books `requestId` on toResourceId;
 * when the machine needs a qualified operator from the pool, a second change with the same
 * requestId and `role: 'operator'` books the person for the same time.
 */
export interface Change {
  bookingId?: string;
  requestId?: string;
  role?: 'resource' | 'operator';
  fromResourceId?: string | null;
  toResourceId: string;
  fromStart?: number;
  fromEnd?: number;
  toStart: number;
  toEnd: number;
}

export type ProposalKind = 'reassignment' | 'trip-order' | 'investment';

export interface InvestmentDetail {
  type: string;
  /** Resource the recommended unit is modelled on. */
  modelledOnResourceId: string;
  unmetHoursBefore: number;
  unmetHoursServed: number;
  requestsServed: number;
  annualCostCents: number;
  shares: { municipalityId: string; cents: number }[];
}

/**
 * What the exact checks say about a reassignment: summed over the subproblem windows its requests
 * lie in (a window may hold requests of other proposals too). Weighted: an emergency counts 10.
 */
export interface ProposalBound {
  /** Windows (one resource type, requests close in time) solved exactly. */
  subproblems: number;
  /** Waiting requests in those windows. */
  requests: number;
  /** Served in those windows by the plan the proposals come from (weighted). */
  served: number;
  /** At most this many (weighted) can be served there at all. */
  servableBound: number;
  /** served reaches the bound in every window: no plan serves more. */
  proven: boolean;
}

export interface Proposal {
  kind: ProposalKind;
  changes: Change[];
  gain: { requestsServed: number; transportMinutesSaved: number; changedBookings: number };
  municipalitiesAffected: string[];
  explanation: Text;
  investment?: InvestmentDetail;
  /** Reassignments whose requests lie in exactly checked windows (proposeWithExact). */
  bound?: ProposalBound;
}

export interface DiagnoseOptions {
  /** Type demand/available ratio from which a week counts as a bottleneck (default 0.85). */
  utilizationWarning?: number;
  /** Ratio from which a bottleneck is critical (default 1.0). */
  utilizationCritical?: number;
  /** Resource booked/available ratio from which its weeks are reported (default 0.9). */
  resourceUtilizationWarning?: number;
  /** A week is a seasonal peak from this multiple of the type's weekly mean demand (default 2). */
  peakFactor?: number;
}

export interface ProposeOptions {
  seed: number;
  /** Wall-clock budget for the whole call; checked against the clock, never exceeded by much. */
  timeLimitMs: number;
  /** Test hook: replaces Date.now for the time limit. */
  now?: () => number;
}
