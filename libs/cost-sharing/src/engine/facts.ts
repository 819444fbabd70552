import type { CostSharingKey } from '@allmende/database';
import type { PeriodKind } from '../statement-document';
import type { Settlement, SettlementMode } from './settlement';

/**
 * What the cost-sharing arithmetic takes and returns: ids, figures and kinds, never words. The
 * texts (de/en) are rendered from these facts in one place (render/), so a finalized statement
 * can be shown in either language and its checksum covers figures, not prose.
 */

export type UnrecordedUsage = 'booked-hours' | 'none';
export type KeyPart = 'population' | 'equal' | 'usage' | 'shares';

/** The agreement in force from a date: the key and the pool's cost settings. */
export interface AgreementTerms {
  key: CostSharingKey;
  mix?: { population?: number; equal?: number; usage?: number };
  /** municipalityId → percent. */
  shares?: Record<string, number>;
  annualOverheadCents: number;
  /** How a booking without recorded usage is charged: its booked hours, or not at all. */
  unrecordedUsage: UnrecordedUsage;
  /** Cents per transport km (round trip depot → site), or null: transport is not charged. */
  transportRateCentsPerKm: number | null;
  settlement: SettlementMode;
  leadMunicipalityId: string | null;
  /** Who carries the overhead (the coordination unit's host); it is credited with it. */
  coordinationHostMunicipalityId: string | null;
  /** What owning a machine of a type alone costs a year (default: the pool's machines' mean). */
  standaloneAnnualCostCentsByType: Record<string, number>;
  /** What renting one costs per hour on the market; a type without it has no renting option. */
  marketHourlyRateCentsByType: Record<string, number>;
}

/** A stretch of the period with one agreement in force. */
export interface AgreementSegment {
  from: string;
  to: string;
  days: number;
  /** null: the pool's original agreement, in force from the start. */
  validFrom: string | null;
  terms: AgreementTerms;
}

export interface MemberInput {
  municipalityId: string;
  name: string;
  population: number;
  /** Dated memberships: [from, to) in local days; to null = open. */
  memberships: { from: string; to: string | null }[];
}

export interface ResourceInput {
  id: string;
  name: string;
  type: string;
  kind: 'machine' | 'staff';
  homeMunicipalityId: string;
  annualFixedCostCents: number;
  hourlyRateCents: number;
  perUseCents: number;
}

/** Bookings of one resource by one municipality in one segment, aggregated in SQL. */
export interface UsageGroup {
  segment: number;
  bookerId: string;
  resourceId: string;
  /** The usage was not recorded; the pool's setting charged it (booked hours). */
  estimated: boolean;
  bookings: number;
  /** Charged hours × 100 (an integer). */
  hoursHundredths: number;
  hoursCents: number;
  perUseCents: number;
  /** Transport km × 10 (round trips depot → site), and their charge. */
  transportKmTenths: number;
  transportCents: number;
  /** Local dates (Europe/Berlin) of the first and the last booking. */
  firstDate: string;
  lastDate: string;
  /** Set when the group is a single booking. */
  bookingId: string | null;
}

/** A difference found in a finalized period, booked into this one. */
export interface Correction {
  period: string;
  municipalityId: string;
  owedCents: number;
  creditsCents: number;
}

export interface PeriodInput {
  period: string;
  periodKind: PeriodKind;
  from: string;
  to: string;
  days: number;
  yearDays: number;
  segments: AgreementSegment[];
  members: MemberInput[];
  /** Every municipality the facts may name (members, owners, hosts), id → name. */
  municipalityNames: Record<string, string>;
  resources: ResourceInput[];
  usage: UsageGroup[];
  corrections: Correction[];
}

export interface ShareWeight {
  /** The member's figure and the total (population, members, hours × 100, percent × 100). */
  memberValue: number;
  totalValue: number;
  /** Days of membership in the segment, and the segment's days. */
  memberDays: number;
  segmentDays: number;
  /** Some member was not a member all segment: the figures are weighted by days. */
  byDays: boolean;
  memberWeight: number;
  totalWeight: number;
  /** The key had nothing to weigh (no usage recorded): split equally instead. */
  fallbackEqual: boolean;
}

export type LineFact =
  | {
      kind: 'usage';
      amountCents: number;
      segment: number;
      resourceId: string;
      bookings: number;
      hoursHundredths: number;
      rateCents: number;
      hoursCents: number;
      perUseCents: number;
      perUseTotalCents: number;
      transportKmTenths: number;
      transportRateCentsPerKm: number | null;
      transportCents: number;
      estimated: boolean;
      /** The booker's own machine: shown, not charged. */
      ownResource: boolean;
      firstDate: string;
      lastDate: string;
      bookingId: string | null;
    }
  | {
      kind: 'fixed';
      amountCents: number;
      segment: number;
      component: 'resources' | 'overhead';
      part: KeyPart;
      /** Percent of the component this part splits (100 unless the key is mixed). */
      partPercent: number;
      partCents: number;
      weight: ShareWeight;
    }
  | { kind: 'credit'; reason: 'owner-fixed'; amountCents: number; segment: number; resourceId: string }
  | {
      kind: 'credit';
      reason: 'owner-usage';
      amountCents: number;
      resourceId: string;
      bookings: number;
      hoursHundredths: number;
    }
  | { kind: 'credit'; reason: 'host-overhead'; amountCents: number; segment: number }
  | { kind: 'credit'; reason: 'correction'; amountCents: number; period: string }
  | { kind: 'adjustment'; amountCents: number; period: string };

export interface SavingsFacts {
  paidNetCents: number;
  /** Fixed costs of own machines and overhead the member carries in its own budget. */
  carriedCents: number;
  costInPoolCents: number;
  standaloneCostCents: number;
  savingCents: number;
  savingPercent: number;
  earnedFromOthersCents: number;
  types: {
    type: string;
    hoursHundredths: number;
    ownCents: number;
    rentCents: number | null;
    chosen: 'own' | 'rent';
  }[];
}

export interface MemberFacts {
  municipalityId: string;
  usageCents: number;
  fixedCents: number;
  adjustmentsCents: number;
  totalCents: number;
  creditsCents: number;
  netCents: number;
  lines: LineFact[];
  savings: SavingsFacts;
}

export interface PeriodFacts {
  period: string;
  periodKind: PeriodKind;
  from: string;
  to: string;
  segments: { from: string; to: string; validFrom: string | null; terms: AgreementTerms }[];
  /** Names as they were when computed: a finalized statement keeps them. */
  municipalityNames: Record<string, string>;
  resources: Record<string, { name: string; type: string; kind?: 'machine' | 'staff' }>;
  poolTotalCents: number;
  statements: MemberFacts[];
  settlement: Settlement;
}
