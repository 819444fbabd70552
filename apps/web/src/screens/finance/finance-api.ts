/** Cost sharing as the finance screens read it: statements, finalizing, savings. */
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, apiUrl } from '../../api/client';
import type { Language } from '../../format';
import { languageHeaders } from '../cockpit/shared';

export interface StatementLine {
  kind: 'usage' | 'fixed' | 'adjustment' | 'credit';
  description: string;
  amountCents: number;
  basis?: string;
  usageEstimated?: boolean;
}

export interface MemberStatement {
  municipalityId: string;
  municipalityName: string;
  number: string | null;
  usageCents: number;
  fixedCents: number;
  adjustmentsCents: number;
  totalCents: number;
  creditsCents: number;
  netCents: number;
  lines: StatementLine[];
}

export interface PoolStatements {
  poolId: string;
  poolName: string;
  period: string;
  periodKind: 'month' | 'quarter' | 'year';
  finalized: boolean;
  finalizedAt: string | null;
  poolTotalCents: number;
  keyDescription: string;
  statements: MemberStatement[];
  settlement: {
    fromMunicipalityName: string;
    toMunicipalityName: string;
    amountCents: number;
  }[];
}

export interface SavingsRow {
  municipalityId: string;
  municipalityName: string;
  paidNetCents: number;
  standaloneCostCents: number;
  savingCents: number;
  savingPercent: number;
  earnedFromOthersCents: number;
  basis: string;
}

export function useStatements(poolId: string | undefined, period: string, language: Language) {
  return useQuery({
    queryKey: ['statements', poolId, period, language],
    enabled: Boolean(poolId),
    queryFn: () =>
      apiFetch<PoolStatements>(`/pools/${poolId}/statements`, {
        query: { period },
        headers: languageHeaders(language),
      }),
  });
}

export function useSavings(poolId: string | undefined, period: string, language: Language) {
  return useQuery({
    queryKey: ['savings', poolId, period, language],
    enabled: Boolean(poolId),
    queryFn: () =>
      apiFetch<{ members: SavingsRow[]; finalized: boolean }>(`/pools/${poolId}/savings`, {
        query: { period },
        headers: languageHeaders(language),
      }),
  });
}

/** The monthly statements of a year, one query each (the months not yet over are left out). */
export function useMonthlyStatements(poolId: string, months: string[], language: Language) {
  return useQueries({
    queries: months.map((period) => ({
      queryKey: ['statements', poolId, period, language],
      queryFn: () =>
        apiFetch<PoolStatements>(`/pools/${poolId}/statements`, {
          query: { period },
          headers: languageHeaders(language),
        }),
      staleTime: 5 * 60_000,
    })),
  });
}

export function useFinalize(poolId: string, language: Language) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (period: string) =>
      apiFetch<PoolStatements>(`/pools/${poolId}/statements/finalize`, {
        method: 'POST',
        body: { period },
        headers: languageHeaders(language),
      }),
    onSuccess: (doc) => {
      client.setQueryData(['statements', poolId, doc.period, language], doc);
      void client.invalidateQueries({ queryKey: ['statements', poolId] });
      void client.invalidateQueries({ queryKey: ['savings', poolId] });
    },
  });
}

/** A download link: the same statement as a file, in the interface language. */
export function downloadUrl(
  poolId: string,
  period: string,
  format: 'pdf' | 'xlsx' | 'csv',
  language: Language,
) {
  return apiUrl(`/pools/${poolId}/statements`, { period, format, lang: language });
}
