/** The planning API as the cockpit reads it (GET /pools/{id}/bottlenecks, solver runs, proposals). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import type { Language } from '../../format';
import { idempotencyKey, languageHeaders } from './shared';

export interface Named {
  id: string;
  name: string;
}

export interface Finding {
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  type: string | null;
  typeLabel: string | null;
  resourceName: string | null;
  qualificationLabel: string | null;
  weeks: string[] | null;
  metrics: Record<string, number>;
  at: Record<string, { instant: string; local: string }>;
  municipalities: Named[];
  text: string;
}

export interface TypeWeek {
  type: string;
  typeLabel: string;
  week: string;
  start: string;
  end: string;
  bookedHours: number;
  availableHours: number;
  utilization: number;
  unmetHours: number;
  unmetRequests: number;
  demandRatio: number;
  overCapacity: boolean;
}

export interface Change {
  bookingId: string | null;
  bookingLabel: string | null;
  requestId: string | null;
  requestLabel: string | null;
  role: 'resource' | 'operator';
  municipalityName: string | null;
  fromResourceName: string | null;
  fromStart: string | null;
  fromEnd: string | null;
  toResourceName: string;
  toStart: string;
  toEnd: string;
}

export interface Proposal {
  id: string;
  kind: 'reassignment' | 'trip-order' | 'investment';
  status: 'open' | 'applied' | 'stale';
  changes: Change[];
  gain: {
    requestsServed: number;
    transportMinutesSaved: number;
    extraTransportMinutes: number;
    changedBookings: number;
  };
  municipalitiesAffected: Named[];
  resourceName: string | null;
  explanation: string;
  bound: {
    subproblems: number;
    requests: number;
    served: number;
    servableBound: number;
    proven: boolean;
  } | null;
  appliedAt: string | null;
}

export interface SolverRun {
  id: string;
  kind: 'bottlenecks' | 'proposals';
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  from: string;
  to: string;
  findings: Finding[];
  figures: { types: TypeWeek[] } | null;
  nothingFound: { reason: string; waiting: number; text: string } | null;
  error: string | null;
  proposals: Proposal[];
  finishedAt: string | null;
}

const running = (run: SolverRun | undefined) => run?.status === 'queued' || run?.status === 'running';

/** The diagnosis of [from, to): the API answers at once or hands a run to poll. */
export function useBottlenecks(poolId: string | undefined, from: string, to: string, language: Language) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ['bottlenecks', poolId, from, to, language],
    enabled: Boolean(poolId),
    queryFn: async () => {
      let run = await apiFetch<SolverRun>(`/pools/${poolId}/bottlenecks`, {
        query: { from, to },
        headers: languageHeaders(language),
      });
      while (running(run)) {
        await new Promise((r) => setTimeout(r, 1000));
        run = await apiFetch<SolverRun>(`/solver-runs/${run.id}`, { headers: languageHeaders(language) });
      }
      client.setQueryData(['solver-run', run.id, language], run);
      return run;
    },
    staleTime: 60_000,
  });
}

/** A solver run, polled every second while it runs. */
export function useSolverRun(id: string | null, language: Language) {
  return useQuery({
    queryKey: ['solver-run', id, language],
    enabled: Boolean(id),
    queryFn: () => apiFetch<SolverRun>(`/solver-runs/${id}`, { headers: languageHeaders(language) }),
    refetchInterval: (q) => (running(q.state.data) ? 1000 : false),
  });
}

export function useStartRun(poolId: string | undefined, language: Language) {
  return useMutation({
    mutationFn: (body: { from: string; to: string; timeLimitSeconds: number }) =>
      apiFetch<SolverRun>(`/pools/${poolId}/proposals`, {
        method: 'POST',
        body,
        headers: { ...languageHeaders(language), 'Idempotency-Key': idempotencyKey() },
      }),
  });
}

export function useApplyProposal(language: Language) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<Proposal>(`/proposals/${id}/apply`, { method: 'POST', headers: languageHeaders(language) }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['solver-run'] });
      void client.invalidateQueries({ queryKey: ['bottlenecks'] });
      void client.invalidateQueries({ queryKey: ['bookings'] });
    },
  });
}

export interface TypeTotals {
  availableHours: number;
  demandHours: number;
  utilization: number;
  waitingHours: number;
  waitingRequests: number;
  excessHours: number;
  overCapacityWeeks: string[];
}

export interface PlanningSimulation {
  joins: { municipalityName: string; text: string }[];
  leaves: { municipalityName: string; text: string }[];
  types: { type: string; typeLabel: string; before: TypeTotals; after: TypeTotals; text: string }[];
  newBottlenecks: Finding[];
  resolvedBottlenecks: Finding[];
  text: string;
}

export interface SimulatedFigures {
  member: boolean;
  fixedCents: number;
  usageCents: number;
  totalCents: number;
  creditsCents: number;
  netCents: number;
  fixedSharePercent: number;
}

export interface CostSimulation {
  period: string;
  poolFixedCentsBefore: number;
  poolFixedCentsAfter: number;
  members: {
    municipalityId: string;
    municipalityName: string;
    before: SimulatedFigures;
    after: SimulatedFigures;
    netChangeCents: number;
  }[];
}

export interface Scenario {
  municipalityId: string;
  change: 'join' | 'leave';
  from: string;
}

/** Both sides of the membership what-if: planning (utilization, bottlenecks) and cost shares. */
export function useWhatIf(poolId: string | undefined, language: Language) {
  return useMutation({
    mutationFn: async ({ scenario, from, to }: { scenario: Scenario; from: string; to: string }) => {
      const change = { municipalityId: scenario.municipalityId, from: scenario.from };
      const body = scenario.change === 'join' ? { joins: [change] } : { leaves: [change] };
      const [planning, costs] = await Promise.all([
        apiFetch<PlanningSimulation>(`/pools/${poolId}/planning/simulate`, {
          method: 'POST',
          body: { from, to, ...body },
          headers: languageHeaders(language),
        }),
        apiFetch<CostSimulation>(`/pools/${poolId}/cost-sharing/simulate`, {
          method: 'POST',
          body,
          query: { period: scenario.from.slice(0, 4) },
          headers: languageHeaders(language),
        }),
      ]);
      return { planning, costs };
    },
  });
}
