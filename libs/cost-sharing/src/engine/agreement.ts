import type { CostSharing } from '@allmende/database';
import type { AgreementSegment, AgreementTerms } from './facts';
import { daysBetween, type Period } from './period';

/** The pool's cost settings that come with an agreement, besides the key. */
export type CostSettings = Omit<AgreementTerms, 'key' | 'mix' | 'shares' | 'annualOverheadCents'>;

export const DEFAULT_COST_SETTINGS: CostSettings = {
  unrecordedUsage: 'booked-hours',
  transportRateCentsPerKm: null,
  settlement: 'direct',
  leadMunicipalityId: null,
  coordinationHostMunicipalityId: null,
  standaloneAnnualCostCentsByType: {},
  marketHourlyRateCentsByType: {},
};

/** The terms of a stored agreement (or the pool's own cost sharing, with the default settings). */
export function termsOf(stored: CostSharing & Partial<CostSettings>): AgreementTerms {
  return {
    ...DEFAULT_COST_SETTINGS,
    ...stripUndefined(stored),
    key: stored.key,
    annualOverheadCents: stored.annualOverheadCents ?? 0,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface AgreementVersion {
  /** null: in force from the start (the pool's own cost sharing). */
  validFrom: string | null;
  terms: AgreementTerms;
}

/** The version in force on a local day. */
export function versionOn(versions: readonly AgreementVersion[], day: string): AgreementVersion {
  const sorted = sortVersions(versions);
  let current = sorted[0];
  for (const v of sorted) if (v.validFrom === null || v.validFrom <= day) current = v;
  return current;
}

function sortVersions(versions: readonly AgreementVersion[]): AgreementVersion[] {
  return [...versions].sort((a, b) =>
    a.validFrom === b.validFrom
      ? 0
      : a.validFrom === null
        ? -1
        : b.validFrom === null
          ? 1
          : a.validFrom < b.validFrom
            ? -1
            : 1,
  );
}

/** The period cut where a new version of the agreement takes effect. */
export function segmentsOf(
  period: Pick<Period, 'from' | 'to'>,
  versions: readonly AgreementVersion[],
): AgreementSegment[] {
  if (versions.length === 0) throw new Error('a pool always has an agreement');
  const first = versionOn(versions, period.from);
  const cuts = sortVersions(versions).filter(
    (v) => v.validFrom !== null && v.validFrom > period.from && v.validFrom < period.to,
  );
  const starts: AgreementVersion[] = [first, ...cuts];
  return starts.map((v, i) => {
    const from = i === 0 ? period.from : v.validFrom!;
    const to = i + 1 < starts.length ? starts[i + 1].validFrom! : period.to;
    return { from, to, days: daysBetween(from, to), validFrom: v.validFrom, terms: v.terms };
  });
}
