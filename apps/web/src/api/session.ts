import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { switchLanguage } from '../i18n';
import { ApiError, apiFetch } from './client';

export type Role = 'admin' | 'coordinator' | 'yard-manager' | 'finance' | 'viewer';

/** GET /api/v1/auth/me: who is signed in. */
export interface Account {
  id: string | null;
  name: string;
  email: string | null;
  role: Role;
  municipalityId: string | null;
  municipalityName: string | null;
  poolIds: string[];
  language: 'de' | 'en';
}

export const ACCOUNT_KEY = ['auth', 'me'] as const;

/** The signed-in account; null when nobody is signed in (the API said 401). */
export function useAccount() {
  return useQuery({
    queryKey: ACCOUNT_KEY,
    queryFn: async (): Promise<Account | null> => {
      try {
        return await apiFetch<Account>('/auth/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Another user's data must not show for a moment after a switch: all but the account query go. */
function forgetOthers(client: QueryClient): void {
  client.removeQueries({
    predicate: (q) => q.queryKey[0] !== ACCOUNT_KEY[0] || q.queryKey[1] !== ACCOUNT_KEY[1],
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string }) =>
      apiFetch<{ user: Account }>('/auth/login', { method: 'POST', body: credentials }),
    onSuccess: ({ user }) => {
      forgetOthers(client);
      // the language stored with the account (Profile, header switch) is the one to start in
      void switchLanguage(user.language);
      client.setQueryData(ACCOUNT_KEY, user);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>('/auth/logout', { method: 'POST' }).catch(() => undefined),
    onSettled: () => {
      client.setQueryData(ACCOUNT_KEY, null);
      forgetOthers(client);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      apiFetch<void>('/auth/password', { method: 'POST', body }),
  });
}
