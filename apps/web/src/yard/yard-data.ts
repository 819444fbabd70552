/**
 * The yard manager's calls: free windows, own bookings, booking, rescheduling, cancelling,
 * recording usage, calendar feeds. Every write invalidates what the board and lists show.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../api/client';
import { fetchAll, type Booking } from '../board/board-data';

export interface OperatorOption {
  operatorId: string;
  operatorName: string;
  start: string;
  end: string;
  travelMinutes: number;
}

/** GET /availability window: a resource free from start to end, and who could operate it then. */
export interface FreeWindow {
  resourceId: string;
  resourceName: string;
  resourceType: string;
  needsOperator: boolean;
  start: string;
  end: string;
  travelMinutes: number;
  operators: OperatorOption[];
}

export interface Availability {
  windows: FreeWindow[];
  inspectionsDue: { resourceId: string; resourceName: string; due: string; usableUntil: string }[];
}

/** What a refused booking could take instead (problem+json `alternatives` of BOOKING_CONFLICT). */
export interface Alternative {
  resourceId: string;
  resourceName: string;
  resourceType: string;
  needsOperator: boolean;
  start: string;
  end: string;
  kind: 'other-resource' | 'other-time';
}

/** A booking as its own municipality sees it. */
export interface OwnBooking extends Booking {
  poolId: string;
  siteMunicipalityId: string;
  needsOperator: boolean;
  operatorId: string | null;
  sequence: number;
}

export interface Municipality {
  id: string;
  name: string;
}

export interface Usage {
  bookingId: string;
  recorded: boolean;
  operatingHours: number | null;
  meterStart: number | null;
  meterEnd: number | null;
  notes: string | null;
  recordedAt: string | null;
  bookedHours: number;
}

export interface CalendarFeed {
  id: string;
  name: string;
  kind: 'user' | 'resource';
  resourceName: string | null;
  language: 'de' | 'en';
  status: 'active' | 'revoked';
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedFeed extends CalendarFeed {
  url: string;
  webcalUrl: string;
}

export interface AvailabilityQuery {
  poolId: string;
  type: string;
  from: Date;
  to: Date;
  siteId: string | null;
  minutes: number;
}

export function useAvailability(q: AvailabilityQuery | null) {
  return useQuery({
    queryKey: ['availability', q && { ...q, from: q.from.toISOString(), to: q.to.toISOString() }],
    enabled: q !== null,
    queryFn: () =>
      apiFetch<Availability>('/availability', {
        query: {
          poolId: q!.poolId,
          type: q!.type,
          from: q!.from.toISOString(),
          to: q!.to.toISOString(),
          municipalityId: q!.siteId ?? undefined,
          minDurationMinutes: Math.min(Math.max(q!.minutes, 5), 7 * 24 * 60),
          limit: 20,
        },
      }),
  });
}

/** The municipalities of the pool (names for the site field). */
export function usePoolMunicipalities(poolId: string | null) {
  return useQuery({
    queryKey: ['pool-municipalities', poolId],
    enabled: poolId !== null,
    staleTime: 10 * 60_000,
    queryFn: async () => {
      const [members, all] = await Promise.all([
        apiFetch<{ items: { municipalityId: string; leftOn: string | null }[] }>(`/pools/${poolId}/members`),
        fetchAll<Municipality>('/municipalities'),
      ]);
      const ids = new Set(members.items.map((m) => m.municipalityId));
      return all.filter((m) => ids.has(m.id)).sort((a, b) => a.name.localeCompare(b.name, 'de'));
    },
  });
}

/** The municipality's machine and staff bookings from `from` on (operator bookings ride along). */
export function useOwnBookings(municipalityId: string | null, from: Date, status: Booking['status']) {
  return useQuery({
    queryKey: ['bookings', 'own', municipalityId, from.toISOString(), status],
    enabled: municipalityId !== null,
    queryFn: () =>
      fetchAll<OwnBooking>('/bookings', {
        municipalityId: municipalityId!,
        from: from.toISOString(),
        status,
      }),
  });
}

export function useBookingsById(ids: string[]) {
  return useQuery({
    queryKey: ['bookings', 'by-id', ids],
    enabled: ids.length > 0,
    queryFn: () => Promise.all(ids.map((id) => apiFetch<Booking>(`/bookings/${id}`))),
  });
}

export interface NewBooking {
  resourceId: string;
  municipalityId: string;
  siteMunicipalityId?: string;
  start: string;
  end: string;
  operatorId?: string;
  notes?: string;
  contact?: string;
}

function useInvalidateBookings() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['bookings'] });
    void client.invalidateQueries({ queryKey: ['availability'] });
  };
}

/** POST /bookings with an Idempotency-Key per attempt: a double click books once. */
export function useCreateBooking() {
  const done = useInvalidateBookings();
  return useMutation({
    mutationFn: ({ booking, key }: { booking: NewBooking; key: string }) =>
      apiFetch<OwnBooking>('/bookings', {
        method: 'POST',
        body: booking,
        headers: { 'Idempotency-Key': key },
      }),
    onSuccess: done,
  });
}

export function useReschedule() {
  const done = useInvalidateBookings();
  return useMutation({
    mutationFn: ({ id, start, end }: { id: string; start: string; end: string }) =>
      apiFetch<OwnBooking>(`/bookings/${id}`, { method: 'PATCH', body: { start, end } }),
    onSuccess: done,
  });
}

export function useCancel() {
  const done = useInvalidateBookings();
  return useMutation({
    mutationFn: (id: string) => apiFetch<OwnBooking>(`/bookings/${id}/cancel`, { method: 'POST' }),
    onSuccess: done,
  });
}

export interface UsageInput {
  operatingHours?: number;
  meterStart?: number;
  meterEnd?: number;
  notes?: string;
}

export function useUsage(bookingId: string) {
  return useQuery({
    queryKey: ['usage', bookingId],
    retry: false,
    queryFn: () => apiFetch<Usage>(`/bookings/${bookingId}/usage`),
  });
}

export function useRecordUsage(bookingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UsageInput) =>
      apiFetch<Usage>(`/bookings/${bookingId}/usage`, { method: 'POST', body: input }),
    onSuccess: (usage) => client.setQueryData(['usage', bookingId], usage),
  });
}

const FEEDS_KEY = ['calendar-feeds'];

export function useFeeds() {
  return useQuery({
    queryKey: FEEDS_KEY,
    queryFn: () => apiFetch<CalendarFeed[]>('/users/me/calendar-feeds'),
  });
}

export function useCreateFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: { name?: string; language: 'de' | 'en' }; key: string }) =>
      apiFetch<CreatedFeed>('/users/me/calendar-feeds', {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': key },
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: FEEDS_KEY }),
  });
}

export function useRevokeFeed() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<CalendarFeed>(`/users/me/calendar-feeds/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: FEEDS_KEY }),
  });
}

/** A fresh key for one attempt of a creating POST. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
