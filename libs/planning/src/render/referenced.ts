import type { PoolSolverResult } from '@allmende/solver';
import type { NameBook } from './names';

/**
 * The part of a run's names its facts speak of: every resource and municipality (few), and the
 * requests and bookings that findings and proposals name (a region has thousands of bookings).
 */
export function namesReferenced(all: NameBook, result: PoolSolverResult): NameBook {
  const bookings = new Set<string>();
  const requests = new Set<string>();
  for (const p of result.proposals)
    for (const c of p.changes) {
      if (c.bookingId) bookings.add(c.bookingId);
      if (c.requestId) requests.add(c.requestId);
    }
  for (const f of result.findings) for (const id of f.bookingIds ?? []) bookings.add(id);
  for (const r of result.nothingFound?.requests ?? []) requests.add(r.requestId);
  const pick = <T>(from: Record<string, T>, ids: Set<string>): Record<string, T> =>
    Object.fromEntries([...ids].filter((id) => from[id]).map((id) => [id, from[id]]));
  return {
    resources: all.resources,
    municipalities: all.municipalities,
    requests: pick(all.requests, requests),
    bookings: pick(all.bookings, bookings),
  };
}
