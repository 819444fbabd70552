/** The installation's records as the admin screens read and change them. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import type { Role } from '../../api/session';
import { fetchAll } from '../../board/board-data';
import { idempotencyKey } from '../cockpit/shared';

export interface Member {
  id: string;
  municipalityId: string;
  joinedOn: string;
  leftOn: string | null;
}

export interface AdminResource {
  id: string;
  poolId: string;
  kind: 'machine' | 'staff';
  name: string;
  type: string;
  homeMunicipalityId: string;
  hourlyRateCents: number;
  nextInspectionDue: string | null;
  active: boolean;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  municipalityId: string | null;
  poolIds: string[];
  disabledAt: string | null;
}

export interface Token {
  id: string;
  name: string;
  status: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  scope: 'installation' | 'pool' | 'municipality';
  poolName: string | null;
  municipalityName: string | null;
  status: 'active' | 'disabled';
  lastError: string | null;
}

export const WEBHOOK_EVENTS = ['booking.created', 'booking.changed', 'booking.cancelled', 'statement.issued'];

/** A paged list (all pages), or with `paged: false` one answer that is a list or `{ items }`. */
export function useList<T>(key: string, path: string, { enabled = true, paged = true } = {}) {
  return useQuery({
    queryKey: ['admin', key, path],
    queryFn: async () => {
      if (paged) return fetchAll<T>(path);
      const body = await apiFetch<T[] | { items: T[] }>(path);
      return Array.isArray(body) ? body : body.items;
    },
    enabled,
  });
}

/** A POST/PUT/DELETE that refreshes the admin lists (and pools, municipalities) when it succeeds. */
export function useChange<TBody, TResult = unknown>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: (body: TBody) => string,
  creates = false,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) =>
      apiFetch<TResult>(path(body), {
        method,
        body: method === 'DELETE' ? undefined : strip(body),
        headers: creates ? { 'Idempotency-Key': idempotencyKey() } : undefined,
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['admin'] });
      void client.invalidateQueries({ queryKey: ['pools'] });
      void client.invalidateQueries({ queryKey: ['municipalities'] });
    },
  });
}

/** Route parameters travel in the path, not the body: fields starting with "_" are left out. */
function strip(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  return Object.fromEntries(
    Object.entries(body).filter(([k, v]) => !k.startsWith('_') && v !== '' && v !== undefined),
  );
}
