import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '../api/client';

/** GET /resources item (the fields the board reads). */
export interface Resource {
  id: string;
  poolId: string;
  kind: 'machine' | 'staff';
  name: string;
  type: string;
  homeMunicipalityId: string;
  needsOperator: boolean;
  active: boolean;
  /** Machines: "YYYY-MM-DD", the day of the next inspection (UVV, HU/TÜV); usable until its end. */
  nextInspectionDue?: string | null;
  /** Staff: local working hours per ISO weekday ("1" = Monday), a day left out is not worked. */
  workingHours?: Record<string, [string, string]> | null;
}

/** GET /resources/{id}/blackouts item: maintenance or absence. */
export interface Blackout {
  id: string;
  resourceId: string;
  start: string;
  end: string;
  reason: string;
}

/** GET /bookings item (the fields the board reads); notes and contact only on own bookings. */
export interface Booking {
  id: string;
  status: 'active' | 'cancelled' | 'displaced';
  resourceId: string;
  resourceName: string | null;
  resourceType: string | null;
  municipalityId: string;
  municipalityName: string | null;
  siteMunicipalityName: string | null;
  start: string;
  end: string;
  blockedStart: string;
  blockedEnd: string;
  priority: 'normal' | 'emergency';
  operatorName: string | null;
  operatorForBookingId: string | null;
  notes?: string | null;
  contact?: string | null;
  own: boolean;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** All pages of a list endpoint (500 a page, the API's maximum). */
export async function fetchAll<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await apiFetch<Page<T>>(path, { query: { ...query, limit: 500, cursor } });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

export function useResources() {
  return useQuery({
    queryKey: ['resources'],
    queryFn: () => fetchAll<Resource>('/resources'),
    staleTime: 5 * 60_000,
  });
}

/** The active bookings touching [from, to). */
export function useBookings(from: Date, to: Date) {
  return useQuery({
    queryKey: ['bookings', from.toISOString(), to.toISOString()],
    queryFn: () =>
      fetchAll<Booking>('/bookings', { from: from.toISOString(), to: to.toISOString(), status: 'active' }),
    placeholderData: (previous) => previous,
  });
}

/**
 * The blackouts of the shown resources in [from, to): one request per resource, four at a time,
 * asked only once the bookings are there so that the board is usable first.
 */
export function useBlackouts(resourceIds: string[], from: Date, to: Date, enabled: boolean) {
  return useQuery({
    queryKey: ['blackouts', from.toISOString(), to.toISOString(), resourceIds],
    enabled: enabled && resourceIds.length > 0,
    staleTime: 5 * 60_000,
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const out = new Map<string, Blackout[]>();
      const queue = [...resourceIds];
      const worker = async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const { items } = await apiFetch<{ items: Blackout[] }>(`/resources/${id}/blackouts`, {
            query: { from: from.toISOString(), to: to.toISOString() },
          });
          if (items.length > 0) out.set(id, items);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      return out;
    },
  });
}
