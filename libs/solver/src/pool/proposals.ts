import type { MipSolver } from '../mip';
import { improveExactly, type ExactCheck } from './exact';
import { investmentsAfter } from './investment';
import type { Change, NothingFound, PoolModel, Proposal, ProposalBound, ProposeOptions } from './model';
import { whyNothingFound } from './nothing-found';
import { searchPlan } from './search';
import { buildTaskModel, type Position, type Task, type TaskModel } from './tasks';
import { improveTripOrders } from './trip-order';
import { planVerifier, type PlanCheck } from './verify';

/** Share of the time limit for each phase; the rest is kept for building the proposals. */
const SEARCH_SHARE = 0.55;
/** With an exact solver, the search ends earlier and exact subproblems get the time up to here. */
const SEARCH_SHARE_BEFORE_EXACT = 0.45;
const EXACT_SHARE = 0.6;
const TRIP_SHARE = 0.65;
const INVESTMENT_SHARE = 0.85;
/** Changes closer than this on one resource must be applied together (transport is far shorter). */
const INDEPENDENCE_MARGIN_MS = 24 * 3_600_000;

export interface ProposeRunOptions extends ProposeOptions {
  /** Stop the reassignment search after this many moves: reproducible regardless of machine speed. */
  maxMoves?: number;
  /** Stop when the best plan has not improved for this many moves (default 10,000 + 50 per task). */
  stagnationMoves?: number;
}

/**
 * Proposals for the coordinator, each applicable on its own to the current plan: reassignments
 * (serve requests by placing them and moving other bookings), trip orders (cut transport) and
 * investments (one more unit where demand exceeds capacity for good). Deterministic for a seed
 * as long as the search ends by `maxMoves` or stagnation rather than by the clock.
 */
export function propose(model: PoolModel, options: ProposeRunOptions): Proposal[] {
  return buildProposals(searchStage(model, options, SEARCH_SHARE), []);
}

/**
 * As `propose`, with exact subproblems after the search: for each resource type and each group of
 * requests close in time, the MIP solver (HiGHS) assigns requests and movable bookings exactly,
 * replaces the search's plan there if it serves more (or changes less), and bounds the requests
 * the window can serve at all. The checks come back with the proposals, and each reassignment
 * says in its explanation how far it is from that bound.
 */
export async function proposeWithExact(
  model: PoolModel,
  options: ProposeRunOptions,
  exact: MipSolver,
): Promise<{ proposals: Proposal[]; exact: ExactCheck[]; nothingFound: NothingFound | null }> {
  const stage = searchStage(model, options, SEARCH_SHARE_BEFORE_EXACT);
  const checks = await improveExactly(stage.tm, stage.positions, exact, stage.until(EXACT_SHARE), stage.now);
  const proposals = buildProposals(stage, checks);
  return {
    proposals,
    exact: checks,
    nothingFound: proposals.length === 0 ? nothingFound(stage) : null,
  };
}

/** Why nothing: the requests' reasons, or the clock when it stopped a search that served none. */
function nothingFound(stage: SearchStage): NothingFound {
  const found = whyNothingFound(stage.tm, stage.positions);
  return stage.outOfTime && found.waiting > 0 && found.reason !== 'all-in-past'
    ? { ...found, reason: 'out-of-time' }
    : found;
}

/** As `propose`, with the reason when it proposes nothing. */
export function proposeOrExplain(
  model: PoolModel,
  options: ProposeRunOptions,
): { proposals: Proposal[]; nothingFound: NothingFound | null } {
  const stage = searchStage(model, options, SEARCH_SHARE);
  const proposals = buildProposals(stage, []);
  return {
    proposals,
    nothingFound: proposals.length === 0 ? nothingFound(stage) : null,
  };
}

interface SearchStage {
  /** The search was stopped by the clock (not by stagnation or its move limit). */
  outOfTime: boolean;
  tm: TaskModel;
  positions: (Position | null)[];
  options: ProposeRunOptions;
  now: () => number;
  until: (share: number) => number;
}

function searchStage(model: PoolModel, options: ProposeRunOptions, searchShare: number): SearchStage {
  const now = options.now ?? Date.now;
  const t0 = now();
  const limit = Math.max(0, options.timeLimitMs);
  const until = (share: number) => t0 + limit * share;
  const tm = buildTaskModel(model);
  const result = searchPlan(tm, {
    seed: options.seed,
    deadline: until(searchShare),
    now,
    maxMoves: options.maxMoves,
    stagnationMoves: options.stagnationMoves,
  });
  const deadline = until(searchShare);
  return { tm, positions: result.positions, options, now, until, outOfTime: now() >= deadline };
}

function buildProposals(stage: SearchStage, checks: readonly ExactCheck[]): Proposal[] {
  const { tm, options, now, until } = stage;
  const model = tm.model;
  const result = { positions: stage.positions };
  const verify = planVerifier(model);
  const proposals = reassignmentProposals(tm, result.positions, checks, verify);

  for (const trip of improveTripOrders(tm, () => now() >= until(TRIP_SHARE))) {
    const moved: { task: Task; from: Position; to: Position }[] = trip.moves;
    const changes = moved.flatMap(({ task, to }) => changesOf(tm, task, to));
    if (changes.length === 0 || !verify(changes).ok) continue;
    proposals.push({
      kind: 'trip-order',
      changes,
      gain: {
        requestsServed: 0,
        transportMinutesSaved: Math.max(0, trip.savedMinutes),
        extraTransportMinutes: Math.max(0, -trip.savedMinutes),
        changedBookings: changes.length,
      },
      municipalitiesAffected: unique(moved.map((m) => m.task.municipalityId)),
      resourceId: tm.resources[trip.resource].id,
    });
  }

  for (const { detail } of investmentsAfter(tm, result.positions, {
    seed: options.seed,
    deadline: until(INVESTMENT_SHARE),
    now,
    maxMoves: options.maxMoves,
  })) {
    proposals.push({
      kind: 'investment',
      changes: [],
      gain: {
        requestsServed: detail.requestsServed,
        transportMinutesSaved: 0,
        extraTransportMinutes: 0,
        changedBookings: 0,
      },
      municipalitiesAffected: detail.shares.filter((s) => s.cents > 0).map((s) => s.municipalityId),
      investment: detail,
    });
  }
  return proposals;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)].sort();
}

/** The changes that put a task at `to`, relative to the input. */
function changesOf(tm: TaskModel, task: Task, to: Position): Change[] {
  const id = (r: number) => tm.resources[r].id;
  const end = to.start + task.duration;
  if (task.kind === 'request') {
    const out: Change[] = [
      {
        requestId: task.id,
        role: 'resource',
        fromResourceId: null,
        toResourceId: id(to.res),
        toStart: to.start,
        toEnd: end,
      },
    ];
    if (to.op >= 0)
      out.push({
        requestId: task.id,
        role: 'operator',
        fromResourceId: null,
        toResourceId: id(to.op),
        toStart: to.start,
        toEnd: end,
      });
    return out;
  }
  const origin = task.origin;
  if (!origin) return [];
  const fromEnd = origin.start + task.duration;
  const out: Change[] = [];
  const moved = to.start !== origin.start;
  if (moved || to.res !== origin.res)
    out.push({
      bookingId: task.id,
      fromResourceId: id(origin.res),
      toResourceId: id(to.res),
      fromStart: origin.start,
      fromEnd,
      toStart: to.start,
      toEnd: end,
    });
  if (task.operatorBookingId && to.op >= 0 && origin.op >= 0 && (moved || to.op !== origin.op)) {
    const operatorBooking = tm.model.bookings.find((b) => b.id === task.operatorBookingId);
    out.push({
      bookingId: task.operatorBookingId,
      fromResourceId: id(origin.op),
      toResourceId: id(to.op),
      fromStart: operatorBooking?.start ?? origin.start,
      fromEnd: operatorBooking?.end ?? fromEnd,
      toStart: to.start,
      toEnd: end,
    });
  }
  return out;
}

/**
 * Splits the searched plan into independent proposals: changes whose old or new places lie close
 * together on a resource belong to one proposal (one may free the place another takes). Each part
 * is checked with verifyPlan on its own; if any part fails, everything goes into one proposal.
 */
function reassignmentProposals(
  tm: TaskModel,
  positions: readonly (Position | null)[],
  checks: readonly ExactCheck[],
  verify: (changes: readonly Change[]) => PlanCheck,
): Proposal[] {
  const changed = tm.tasks.filter((t) => {
    const pos = positions[t.index];
    if (t.kind === 'request') return pos !== null;
    const o = t.origin;
    return !!pos && !!o && (pos.res !== o.res || pos.start !== o.start || pos.op !== o.op);
  });
  if (changed.length === 0) return [];

  const parent = changed.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const footprints: { res: number; start: number; end: number; k: number }[] = [];
  changed.forEach((t, k) => {
    for (const p of [t.origin, positions[t.index]]) {
      if (!p) continue;
      for (const res of p.op >= 0 ? [p.res, p.op] : [p.res])
        footprints.push({
          res,
          start: p.start - INDEPENDENCE_MARGIN_MS,
          end: p.start + t.duration + INDEPENDENCE_MARGIN_MS,
          k,
        });
    }
  });
  footprints.sort((a, b) => a.res - b.res || a.start - b.start);
  for (let i = 0; i < footprints.length; i++)
    for (
      let j = i + 1;
      j < footprints.length &&
      footprints[j].res === footprints[i].res &&
      footprints[j].start < footprints[i].end;
      j++
    )
      parent[find(footprints[j].k)] = find(footprints[i].k);

  const groups = new Map<number, Task[]>();
  changed.forEach((t, k) => groups.set(find(k), [...(groups.get(find(k)) ?? []), t]));
  const parts = [...groups.values()];
  const stops = stopsByResource(tm, changed, positions);
  let proposals = parts.map((tasks) => reassignment(tm, tasks, positions, checks, stops));
  if (proposals.some((p) => !verify(p.changes).ok)) {
    const all = reassignment(tm, changed, positions, checks, stops);
    proposals = verify(all.changes).ok ? [all] : [];
  }
  // Proposals that only move bookings without serving anything are noise for the coordinator.
  return proposals
    .filter((p) => p.gain.requestsServed > 0)
    .sort(
      (a, b) =>
        b.gain.requestsServed - a.gain.requestsServed || a.gain.changedBookings - b.gain.changedBookings,
    );
}

function reassignment(
  tm: TaskModel,
  tasks: Task[],
  positions: readonly (Position | null)[],
  checks: readonly ExactCheck[],
  stops: Map<number, Task[]>,
): Proposal {
  const requests = tasks
    .filter((t) => t.kind === 'request')
    .sort((a, b) => a.preferredStart - b.preferredStart);
  const bookings = tasks
    .filter((t) => t.kind === 'booking')
    .sort((a, b) => a.preferredStart - b.preferredStart);
  const changes = [...requests, ...bookings].flatMap((t) => {
    const pos = positions[t.index];
    return pos ? changesOf(tm, t, pos) : [];
  });
  const changedBookings = changes.filter((c) => c.bookingId !== undefined).length;
  const transportSaved = transportOfChanges(tm, tasks, positions, stops);
  const related = windowsOf(requests, checks);
  return {
    kind: 'reassignment',
    changes,
    gain: {
      requestsServed: requests.length,
      transportMinutesSaved: Math.max(0, transportSaved),
      extraTransportMinutes: Math.max(0, -transportSaved),
      changedBookings,
    },
    municipalitiesAffected: unique(tasks.map((t) => t.municipalityId)),
    ...(related.length > 0 ? { bound: boundOf(related) } : {}),
  };
}

/** The exactly checked windows these requests lie in. */
function windowsOf(requests: readonly Task[], checks: readonly ExactCheck[]): ExactCheck[] {
  return checks.filter((c) =>
    requests.some(
      (t) => t.type === c.type && c.window.start <= t.preferredStart && t.preferredStart < c.window.end,
    ),
  );
}

function boundOf(related: readonly ExactCheck[]): ProposalBound {
  return {
    subproblems: related.length,
    requests: related.reduce((s, c) => s + c.requests, 0),
    served: related.reduce((s, c) => s + c.servedAfter, 0),
    servableBound: related.reduce((s, c) => s + c.servableBound, 0),
    proven: related.every((c) => c.provenOptimal),
  };
}

/** Per resource, the tasks that are there before or after the plan (booked or newly placed). */
function stopsByResource(
  tm: TaskModel,
  changed: readonly Task[],
  positions: readonly (Position | null)[],
): Map<number, Task[]> {
  const stops = new Map<number, Set<Task>>();
  const add = (res: number, t: Task) => {
    let set = stops.get(res);
    if (!set) stops.set(res, (set = new Set()));
    set.add(t);
  };
  for (const t of tm.tasks) {
    const o = t.kind === 'booking' ? t.origin : null;
    if (o) for (const r of o.op >= 0 ? [o.res, o.op] : [o.res]) add(r, t);
  }
  for (const t of changed) {
    const p = positions[t.index];
    if (p) for (const r of p.op >= 0 ? [p.res, p.op] : [p.res]) add(r, t);
  }
  return new Map([...stops].map(([r, set]) => [r, [...set]]));
}

/**
 * Transport of the resources these tasks use, before and after (a served request adds a trip:
 * negative; the caller reports it as extra transport).
 */
function transportOfChanges(
  tm: TaskModel,
  tasks: Task[],
  positions: readonly (Position | null)[],
  stops: Map<number, Task[]>,
): number {
  const resources = new Set<number>();
  for (const t of tasks)
    for (const p of [t.origin, positions[t.index]])
      if (p) for (const r of p.op >= 0 ? [p.res, p.op] : [p.res]) resources.add(r);
  const moved = new Set(tasks.map((t) => t.index));
  const sum = (pick: (t: Task) => Position | null): number => {
    let total = 0;
    for (const res of resources) {
      const here = (stops.get(res) ?? [])
        .flatMap((t) => {
          const p = pick(t);
          return p && (p.res === res || p.op === res) ? [{ start: p.start, site: t.site }] : [];
        })
        .sort((a, b) => a.start - b.start);
      let site = tm.homeSite[res];
      for (const s of here) {
        total += tm.travel(site, s.site, res);
        site = s.site;
      }
    }
    return total;
  };
  const before = sum((t) => (t.kind === 'booking' ? t.origin : null));
  const after = sum((t) =>
    moved.has(t.index) ? positions[t.index] : t.kind === 'booking' ? t.origin : null,
  );
  return before - after;
}
