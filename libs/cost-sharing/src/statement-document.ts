/**
 * The shape of a pool's statements for one period, as the API returns it (JSON) and as the
 * renderers (CSV, XLSX, PDF) and the statement email take it. One type, so every format carries
 * the same numbers. Amounts are integer cents (EUR); dates are ISO dates in Europe/Berlin.
 */
export type PeriodKind = 'month' | 'quarter' | 'year';

export type StatementLineKind = 'usage' | 'fixed' | 'adjustment' | 'credit';

export interface StatementLine {
  kind: StatementLineKind;
  /** Text for people, in the statement's language, with names (never ids). */
  description: string;
  amountCents: number;
  bookingId?: string;
  resourceId?: string;
  resourceName?: string;
  /** Local date of the booking (YYYY-MM-DD, Europe/Berlin). */
  date?: string;
  hours?: number;
  rateCents?: number;
  /** How a share was computed, in words, e.g. "19.800 von 52.400 Einwohnern = 37,79 %". */
  basis?: string;
  /** True when the booking's usage was not recorded and the pool's setting charged it. */
  usageEstimated?: boolean;
}

export interface MemberSavings {
  /** What the member paid net in the pool in the period (its netCents). */
  paidNetCents: number;
  /** What the same work would have cost it alone. */
  standaloneCostCents: number;
  savingCents: number;
  /** Saving in percent of the stand-alone cost, two decimals. */
  savingPercent: number;
  /** What others' use of its own machines earned it. */
  earnedFromOthersCents: number;
  /** The basis of the comparison in words. */
  basis: string;
}

export interface MemberStatement {
  municipalityId: string;
  municipalityName: string;
  /** Set once the period is finalized: number per pool and year, e.g. "2026-0042". */
  number: string | null;
  /** SHA-256 of the finalized statement's canonical content. */
  checksum: string | null;
  usageCents: number;
  fixedCents: number;
  adjustmentsCents: number;
  /** usageCents + fixedCents + adjustmentsCents: what the member owes. */
  totalCents: number;
  /** What the member is owed as owner of resources and host of the coordination unit. */
  creditsCents: number;
  /** totalCents - creditsCents; the members' nets add up to 0. */
  netCents: number;
  lines: StatementLine[];
  savings?: MemberSavings;
}

export interface SettlementTransfer {
  fromMunicipalityId: string;
  fromMunicipalityName: string;
  toMunicipalityId: string;
  toMunicipalityName: string;
  amountCents: number;
}

export interface PoolStatements {
  poolId: string;
  poolName: string;
  /** "2026-11", "2026-Q4" or "2026". */
  period: string;
  periodKind: PeriodKind;
  /** First day of the period and first day after it (YYYY-MM-DD, Europe/Berlin). */
  from: string;
  to: string;
  language: 'de' | 'en';
  finalized: boolean;
  finalizedAt: string | null;
  /** The members' totalCents add up to it exactly. */
  poolTotalCents: number;
  /** The cost-sharing key in force, in words (e.g. "Einwohnerzahl", "50 % Einwohner, 50 % Nutzung"). */
  keyDescription: string;
  statements: MemberStatement[];
  settlement: SettlementTransfer[];
  /** How the settlement goes: directly between members, or through the lead municipality. */
  settlementMode?: 'direct' | 'lead';
  /** How it was found: the fewest transfers exactly, greedily (over 20 members), or via the lead. */
  settlementMethod?: 'exact' | 'greedy' | 'lead';
}

/**
 * The outbox event the cost-sharing side writes (into the booking outbox, booking_events, with
 * booking_id NULL, municipality_id = the member) when a member's statement is issued, in the same
 * transaction as the issue. The notifications side turns it into an email to the member's finance
 * users with the statement's PDF and XLSX attached, and into the statement.issued webhook.
 */
export const STATEMENT_ISSUED_EVENT = 'statement.issued';

export interface StatementIssuedPayload {
  poolId: string;
  municipalityId: string;
  period: string;
  statementNumber: string | null;
}
