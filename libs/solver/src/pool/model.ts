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
  /**
   * The hours that count as its capacity in the figures: `available` inside working hours (a
   * machine may be booked at any hour, but a week of a sweeper is its yard's working week).
   * Absent: `available`.
   */
  capacity?: Interval[];
  /** Next inspection due (end of that local day, epoch ms): unusable after it until inspected. */
  inspectionDue?: number | null;
  /** Retired from the pool at this instant (epoch ms): unusable from then on. */
  retiredAt?: number | null;
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
  /**
   * The present (epoch ms): nothing starts before it. Work that started already is fixed, and a
   * request or flexible booking may only be placed from here on. Absent: the period's start.
   */
  now?: number;
  /**
   * Demand not in the calendar, in hours per type and week (membership what-if: a joining
   * municipality's estimated demand). Counts in the figures, not in the proposals.
   */
  estimatedDemand?: EstimatedDemand[];
}

export interface EstimatedDemand {
  type: string;
  municipalityId: string;
  /** Spread evenly over [start, end). */
  start: number;
  end: number;
  hours: number;
}

export type FindingKind =
  | 'utilization'
  | 'resource-utilization'
  | 'over-capacity'
  | 'unmet-demand'
  | 'skills-short'
  | 'seasonal-peak'
  | 'capacity'
  | 'inspection-due'
  | 'retired';
export type Severity = 'info' | 'warning' | 'critical';

/** An ISO week (Europe/Berlin). */
export interface IsoWeek {
  weekYear: number;
  weekNumber: number;
}

/**
 * What is short, as facts: the words (de/en, names, local dates) are rendered outside the solver.
 * Figures are hours, counts and ratios; instants are epoch ms in `at` only.
 */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  type?: string;
  resourceId?: string;
  /** Skills-short findings: the qualification that is short. */
  qualification?: string;
  /** Whole ISO weeks (Europe/Berlin), clipped to the model's period. */
  period: Interval;
  /** The first and last ISO week of the period. */
  weeks: { from: IsoWeek; to: IsoWeek };
  /** Over-capacity findings: each week in which demand exceeds capacity. */
  weekList?: IsoWeek[];
  metrics: Record<string, number>;
  /** Instants the finding speaks of (capacity: `peak`; inspections: `due`; retirement: `retired`). */
  at?: Record<string, number>;
  /** Municipalities whose demand or bookings the finding concerns. */
  municipalityIds?: string[];
  /** Bookings the finding concerns (e.g. booked after an inspection falls due). */
  bookingIds?: string[];
}

/** One resource type in one ISO week: what was booked and asked for, against what it can give. */
export interface TypeWeekFigures {
  type: string;
  week: IsoWeek;
  start: number;
  end: number;
  /** Hours booked on resources of the type. */
  bookedHours: number;
  /** Capacity hours of the machines (or staff) of the type (working hours, holidays, blackouts, inspections). */
  resourceHours: number;
  /** Machines that need a qualified operator: capacity hours of staff holding it (null: none needed). */
  operatorHours: number | null;
  /** What the type can give: its hours, limited by the operators its machines need. */
  availableHours: number;
  /** bookedHours / availableHours (0 without capacity). */
  utilization: number;
  /** Hours and number of requests waiting (unmet demand). */
  unmetHours: number;
  unmetRequests: number;
  /** Demand estimated outside the calendar (membership what-if). */
  estimatedHours: number;
  /** (booked + unmet + estimated) / available; -1 when there is demand and no capacity. */
  demandRatio: number;
  /** Demand exceeds capacity this week. */
  overCapacity: boolean;
}

export interface ResourceWeekFigures {
  resourceId: string;
  type: string;
  week: IsoWeek;
  start: number;
  end: number;
  bookedHours: number;
  availableHours: number;
  utilization: number;
}

export interface Figures {
  types: TypeWeekFigures[];
  resources?: ResourceWeekFigures[];
}

/** Why a proposal run found nothing to propose (facts; words are rendered elsewhere). */
export type NothingFoundReason =
  | 'nothing-waiting'
  | 'all-in-past'
  | 'nothing-movable'
  | 'no-resource-of-type'
  | 'blocked-by-inspections'
  | 'blocked-by-operator-hours'
  | 'blocked-by-retirement'
  | 'fully-booked'
  | 'out-of-time';

export interface NothingFound {
  reason: NothingFoundReason;
  /** Waiting requests in the period (before `now` included). */
  waiting: number;
  /** Per waiting request that no plan served: the reason found for it. */
  requests: { requestId: string; reason: NothingFoundReason }[];
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
  /** Buy when the extra units are busy enough over the year; lease for a season otherwise. */
  mode: 'buy' | 'lease';
  /** How many more units. */
  units: number;
  /** Resource the recommended unit is modelled on. */
  modelledOnResourceId: string;
  unmetHoursBefore: number;
  unmetHoursServed: number;
  unmetRequestsBefore: number;
  requestsServed: number;
  /** Weeks in which demand exceeded capacity. */
  weeksOverCapacity: number;
  /** The type's utilization (booked + unmet) / available before, and booked + served after. */
  utilizationBefore: number;
  utilizationAfter: number;
  /** The new units' own utilization: hours they would serve / their capacity hours in the period. */
  newUnitsUtilization: number;
  /** Buy: annual fixed cost of the units. Lease: the lease for the weeks needed. */
  annualCostCents: number;
  /** Lease only: weeks leased. */
  leaseWeeks?: number;
  /** The pool's cost-sharing key; the usage part by each member's usage share of the type. */
  costSharingKey: CostSharingKey['key'];
  shares: { municipalityId: string; cents: number; usageHours: number }[];
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
  /**
   * transportMinutesSaved ≥ 0; a proposal that adds transport has extraTransportMinutes > 0 and
   * transportMinutesSaved 0 (never a negative saving).
   */
  gain: {
    requestsServed: number;
    transportMinutesSaved: number;
    extraTransportMinutes: number;
    changedBookings: number;
  };
  municipalitiesAffected: string[];
  /** Trip orders: the resource whose trips are reordered. */
  resourceId?: string;
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
