/**
 * The one way the web app calls the API: same origin, the session cookie sent along, and on
 * every state-changing request the CSRF token (the allmende_csrf cookie echoed in X-CSRF-Token).
 * Errors arrive as RFC 9457 problem+json and become an ApiError; problemMessage() puts them in words.
 */

export const API_BASE = '/api/v1';
const CSRF_COOKIE = 'allmende_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface FieldError {
  field: string;
  message: string;
}

/** The problem+json body the API answers errors with (API.md). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** Seconds from the Retry-After header (rate limit, lock-out), when given. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  get code(): string {
    return this.problem.code ?? '';
  }
}

/** The request could not reach the API at all (offline, server down). */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

export function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path.startsWith('/') ? '' : '/'}${path}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null) params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

/** Listeners told when the API says the session has ended (401): the app shows the sign-in. */
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** Calls the API; resolves to the parsed JSON (undefined for 204), rejects with ApiError. */
export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiResponse(path, options);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** Like apiFetch, but hands back the Response (downloads: PDF, XLSX, CSV). */
export async function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    // the API words problem details in the interface language
    'Accept-Language': document.documentElement.lang === 'en' ? 'en' : 'de',
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new NetworkError((e as Error).message);
  }
  if (response.ok) return response;
  const problem = await readProblem(response);
  const retryAfter = Number(response.headers.get('retry-after'));
  const error = new ApiError(
    response.status,
    problem,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  );
  if (response.status === 401 && !path.endsWith('/auth/login')) {
    for (const listener of signedOutListeners) listener();
  }
  throw error;
}

async function readProblem(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Problem;
    if (body && typeof body === 'object') return { ...body, status: response.status };
  } catch {
    // not JSON: a proxy's error page
  }
  return { status: response.status, detail: text.slice(0, 200) || response.statusText };
}
