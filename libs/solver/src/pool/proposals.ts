import type { MipSolver } from '../mip';
import { formatEuro, formatHours, formatInstant, siteName, typeName } from './calendar';
import { improveExactly, type ExactCheck } from './exact';
import { isPersistent, simulateInvestment, unmetByType } from './investment';
import type { Change, PoolModel, Proposal, ProposalBound, ProposeOptions, Text } from './model';
import { searchPlan } from './search';
import { buildTaskModel, type Position, type Task, type TaskModel } from './tasks';
import { improveTripOrders } from './trip-order';
import { verifyPlan } from './verify';

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
): Promise<{ proposals: Proposal[]; exact: ExactCheck[] }> {
  const stage = searchStage(model, options, SEARCH_SHARE_BEFORE_EXACT);
  const checks = await improveExactly(stage.tm, stage.positions, exact, stage.until(EXACT_SHARE), stage.now);
  return { proposals: buildProposals(stage, checks), exact: checks };
}

interface SearchStage {
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
  return { tm, positions: result.positions, options, now, until };
}

function buildProposals(stage: SearchStage, checks: readonly ExactCheck[]): Proposal[] {
  const { tm, options, now, until } = stage;
  const model = tm.model;
  const result = { positions: stage.positions };
  const proposals = reassignmentProposals(tm, result.positions, checks);

  for (const trip of improveTripOrders(tm, () => now() >= until(TRIP_SHARE))) {
    const moved: { task: Task; from: Position; to: Position }[] = trip.moves;
    const changes = moved.flatMap(({ task, to }) => changesOf(tm, task, to));
    if (changes.length === 0 || !verifyPlan(model, changes).ok) continue;
    const resource = tm.resources[trip.resource];
    proposals.push({
      kind: 'trip-order',
      changes,
      gain: { requestsServed: 0, transportMinutesSaved: trip.savedMinutes, changedBookings: changes.length },
      municipalitiesAffected: unique(moved.map((m) => m.task.municipalityId)),
      explanation: {
        de: `${resource.name}: neue Reihenfolge der Einsätze spart ${trip.savedMinutes} Minuten Transport. ${moved
          .map((m) => `${bookingLabel(tm, m.task).de} → ${formatInstant(m.to.start).de}`)
          .join('; ')}.`,
        en: `${resource.name}: a new order of its trips saves ${trip.savedMinutes} minutes of transport. ${moved
          .map((m) => `${bookingLabel(tm, m.task).en} → ${formatInstant(m.to.start).en}`)
          .join('; ')}.`,
      },
    });
  }

  const persistent = [...unmetByType(tm, result.positions).values()]
    .filter(isPersistent)
    .sort((a, b) => b.hours - a.hours || (a.type < b.type ? -1 : 1));
  persistent.forEach((unmet, k) => {
    const start = now();
    const end = until(INVESTMENT_SHARE);
    if (start >= end) return;
    const simulated = simulateInvestment(model, unmet, {
      seed: options.seed,
      deadline: start + (end - start) / (persistent.length - k),
      now,
    });
    if (!simulated) return;
    const { detail, template } = simulated;
    const names = typeName(model, detail.type);
    const cost = formatEuro(detail.annualCostCents);
    const served = formatHours(detail.unmetHoursServed);
    const open = formatHours(detail.unmetHoursBefore);
    const memberName = (id: string) =>
      model.members.find((m) => m.municipalityId === id)?.name ?? siteName(model, id);
    const shares = (lang: 'de' | 'en') =>
      detail.shares.map((s) => `${memberName(s.municipalityId)} ${formatEuro(s.cents)[lang]}`).join(', ');
    proposals.push({
      kind: 'investment',
      changes: [],
      gain: { requestsServed: detail.requestsServed, transportMinutesSaved: 0, changedBookings: 0 },
      municipalitiesAffected: detail.shares.filter((s) => s.cents > 0).map((s) => s.municipalityId),
      explanation: {
        de:
          `${names.de}: Bedarf übersteigt dauerhaft die Kapazität (${open.de} nicht bedient in ${unmet.weeks} Wochen). ` +
          `Eine weitere Einheit wie „${template.name}“ würde ${served.de} davon abdecken; ` +
          `Jahreskosten ${cost.de}, Anteile: ${shares('de')}.`,
        en:
          `${capitalizeFirst(names.en)}: demand exceeds capacity for good (${open.en} unmet in ${unmet.weeks} weeks). ` +
          `One more unit like "${template.name}" would serve ${served.en} of it; ` +
          `annual cost ${cost.en}, shares: ${shares('en')}.`,
      },
      investment: detail,
    });
  });
  return proposals;
}

function capitalizeFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
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
  let proposals = parts.map((tasks) => reassignment(tm, tasks, positions, checks));
  if (proposals.some((p) => !verifyPlan(tm.model, p.changes).ok)) {
    const all = reassignment(tm, changed, positions, checks);
    proposals = verifyPlan(tm.model, all.changes).ok ? [all] : [];
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
): Proposal {
  const model = tm.model;
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
  const transportSaved = transportOfChanges(tm, tasks, positions);
  const lines: Text[] = [];
  for (const t of requests) {
    const pos = positions[t.index];
    if (!pos) continue;
    const names = typeName(model, t.type);
    const when = formatInstant(pos.start);
    const operator = pos.op >= 0 ? tm.resources[pos.op].name : null;
    const shifted = pos.start !== t.preferredStart;
    const muni = municipalityName(tm, t.municipalityId);
    lines.push({
      de:
        `Anfrage ${t.id} (${muni}, ${names.de}) wird bedient: ${tm.resources[pos.res].name}, ${when.de}` +
        (operator ? ` mit ${operator}` : '') +
        (shifted ? ` (gewünscht ${formatInstant(t.preferredStart).de})` : ''),
      en:
        `request ${t.id} (${muni}, ${names.en}) is served: ${tm.resources[pos.res].name}, ${when.en}` +
        (operator ? ` with ${operator}` : '') +
        (shifted ? ` (asked for ${formatInstant(t.preferredStart).en})` : ''),
    });
  }
  for (const t of bookings) {
    const pos = positions[t.index];
    const o = t.origin;
    if (!pos || !o) continue;
    const label = bookingLabel(tm, t);
    const de: string[] = [];
    const en: string[] = [];
    if (pos.res !== o.res) {
      de.push(`wechselt von ${tm.resources[o.res].name} auf ${tm.resources[pos.res].name}`);
      en.push(`moves from ${tm.resources[o.res].name} to ${tm.resources[pos.res].name}`);
    }
    if (pos.start !== o.start) {
      de.push(`wird verschoben auf ${formatInstant(pos.start).de}`);
      en.push(`is shifted to ${formatInstant(pos.start).en}`);
    }
    if (pos.op !== o.op && pos.op >= 0) {
      de.push(`Bedienung durch ${tm.resources[pos.op].name}`);
      en.push(`operated by ${tm.resources[pos.op].name}`);
    }
    lines.push({ de: `${label.de} ${de.join(', ')}`, en: `${label.en} ${en.join(', ')}` });
  }
  const served = requests.length;
  const related = windowsOf(requests, checks);
  const note = exactNote(related);
  return {
    kind: 'reassignment',
    changes,
    gain: { requestsServed: served, transportMinutesSaved: transportSaved, changedBookings },
    municipalitiesAffected: unique(tasks.map((t) => t.municipalityId)),
    explanation: {
      de: `${served} ${served === 1 ? 'Anfrage' : 'Anfragen'} bedient, ${changedBookings} ${
        changedBookings === 1 ? 'Buchung' : 'Buchungen'
      } geändert. ${lines.map((l) => capitalizeFirst(l.de)).join('. ')}.${note.de}`,
      en: `${served} ${served === 1 ? 'request' : 'requests'} served, ${changedBookings} ${
        changedBookings === 1 ? 'booking' : 'bookings'
      } changed. ${lines.map((l) => capitalizeFirst(l.en)).join('. ')}.${note.en}`,
    },
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

/** What the exact checks of the windows a proposal's requests lie in say about the best possible. */
function exactNote(related: readonly ExactCheck[]): Text {
  if (related.length === 0) return { de: '', en: '' };
  if (related.every((c) => c.provenOptimal))
    return {
      de: ' Exakt geprüft: in diesem Zeitraum lassen sich nicht mehr Anfragen bedienen.',
      en: ' Checked exactly: no plan serves more requests in this period.',
    };
  const open = related.reduce((s, c) => s + c.requests, 0);
  const bound = related.reduce((s, c) => s + c.servableBound, 0);
  return {
    de: ` Obere Schranke (exakt berechnet): höchstens ${bound} von ${open} Anfragen (gewichtet) in diesem Zeitraum bedienbar.`,
    en: ` Upper bound (computed exactly): at most ${bound} of ${open} requests (weighted) can be served in this period.`,
  };
}

/** Transport of the bookings' resources before and after (served requests add transport: negative). */
function transportOfChanges(tm: TaskModel, tasks: Task[], positions: readonly (Position | null)[]): number {
  const resources = new Set<number>();
  for (const t of tasks)
    for (const p of [t.origin, positions[t.index]])
      if (p) for (const r of p.op >= 0 ? [p.res, p.op] : [p.res]) resources.add(r);
  const moved = new Set(tasks.map((t) => t.index));
  const sum = (pick: (t: Task) => Position | null): number => {
    let total = 0;
    for (const res of resources) {
      const stops = tm.tasks
        .flatMap((t) => {
          const p = pick(t);
          return p && (p.res === res || p.op === res) ? [{ start: p.start, site: t.site }] : [];
        })
        .sort((a, b) => a.start - b.start);
      let site = tm.homeSite[res];
      for (const s of stops) {
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

function municipalityName(tm: TaskModel, id: string): string {
  return tm.model.members.find((m) => m.municipalityId === id)?.name ?? siteName(tm.model, id);
}

function bookingLabel(tm: TaskModel, t: Task): Text {
  const muni = municipalityName(tm, t.municipalityId);
  return { de: `Buchung ${t.id} (${muni})`, en: `booking ${t.id} (${muni})` };
}
