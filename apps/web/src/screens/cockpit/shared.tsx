/**
 * Pieces the coordinator's, finance and admin screens share: the interface language for API
 * texts, the pools and municipalities the caller sees, errors in words (the catalogue's sentence
 * and the API's own detail in the interface language), a confirmation dialog, query parameters.
 */
import { useQuery } from '@tanstack/react-query';
import { ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { problemMessage } from '../../api/problem-message';
import { fetchAll } from '../../board/board-data';
import type { Language } from '../../format';
import { navigate, useSearch } from '../../router';

export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'de';
}

/** API texts (findings, explanations, statement lines) come in the language asked for. */
export function languageHeaders(language: Language): Record<string, string> {
  return { 'Accept-Language': language };
}

export interface Pool {
  id: string;
  name: string;
  fieldOfAction: string;
  costSharing: { key: string; annualOverheadCents?: number };
}

export interface Municipality {
  id: string;
  name: string;
  ags: string;
  population: number;
  state: string;
  location: { lat: number; lon: number };
}

export function usePools() {
  return useQuery({ queryKey: ['pools'], queryFn: () => fetchAll<Pool>('/pools'), staleTime: 60_000 });
}

export function useMunicipalities(enabled = true) {
  return useQuery({
    queryKey: ['municipalities'],
    queryFn: () => fetchAll<Municipality>('/municipalities'),
    staleTime: 60_000,
    enabled,
  });
}

/** An error in words: the catalogue's sentence, then what the API said about this case. */
export function errorText(error: unknown, t: ReturnType<typeof useTranslation>['t']): string {
  const text = problemMessage(error, t);
  if (error instanceof ApiError && error.status < 500) {
    const detail = error.problem.detail;
    if (detail && !text.includes(detail) && !(error.problem.errors ?? []).length) return `${text} ${detail}`;
  }
  return text;
}

export function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {errorText(error, t)}
    </p>
  );
}

export function LoadingText({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {label ?? t('shell.loading')}
    </p>
  );
}

/** A query's loading and error states in words; children only once there is data. */
export function Loaded<T>({
  query,
  children,
  loading,
}: {
  loading?: string;
  query: {
    isPending: boolean;
    isError: boolean;
    error: unknown;
    data: T | undefined;
    refetch: () => unknown;
  };
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isError) {
    return (
      <div>
        <ErrorText error={query.error} />
        <button type="button" className="secondary" onClick={() => void query.refetch()}>
          {t('shell.retry')}
        </button>
      </div>
    );
  }
  if (query.isPending || query.data === undefined) return <LoadingText label={loading} />;
  return <>{children(query.data)}</>;
}

/**
 * A modal confirmation (<dialog>: focus moves in onto Cancel, Escape cancels, the page behind is inert).
 * `open` shows it; onConfirm/onCancel close it.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // the safe choice has the focus: Enter at once cancels
      dialog.querySelector<HTMLButtonElement>('button[data-cancel]')?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <div>{children}</div>
      <div className="button-row">
        <button type="button" className="primary" onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={onCancel} data-cancel>
          {t('cockpitShared.cancel')}
        </button>
      </div>
    </dialog>
  );
}

/** One query parameter of the page, and a setter that keeps the others (replacing history). */
export function useParam(name: string): [string | null, (value: string | null) => void] {
  const search = useSearch();
  const value = search.get(name);
  const set = (next: string | null) => {
    const params = new URLSearchParams(window.location.search);
    if (next === null || next === '') params.delete(name);
    else params.set(name, next);
    const qs = params.toString();
    navigate(`${window.location.pathname}${qs ? `?${qs}` : ''}`, { replace: true });
  };
  return [value, set];
}

/** A fresh Idempotency-Key (crypto.randomUUID needs a secure context; this does not). */
export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The pool the screen is about: from ?verbund=, else the first the caller sees. */
export function PoolPicker({
  pools,
  value,
  onChange,
}: {
  pools: Pool[];
  value: string;
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="field inline-field">
      <label htmlFor="pool-picker">{t('cockpitShared.pool')}</label>
      <select id="pool-picker" value={value} onChange={(e) => onChange(e.target.value)}>
        {pools.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function usePoolParam(pools: Pool[] | undefined): [string | undefined, (id: string) => void] {
  const [param, setParam] = useParam('verbund');
  const chosen = pools?.find((p) => p.id === param)?.id ?? pools?.[0]?.id;
  return [chosen, (id) => setParam(id)];
}

/** "73 %" in the interface's conventions. */
export function percent(ratio: number, language: Language): string {
  return new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(ratio);
}

/** "street sweepers" → "Street sweepers" (English type labels come in lower case). */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
