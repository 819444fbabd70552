import { ErrorCode, FieldError } from '@allmende/core';

/** What a PostgreSQL error means for the client, decided by its SQLSTATE alone. */
export interface DatabaseErrorMapping {
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
}

interface PgErrorShape {
  code?: unknown;
  column?: unknown;
  constraint?: unknown;
  driverError?: PgErrorShape;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a pg error, also when TypeORM wraps it (QueryFailedError.driverError). */
export function sqlStateOf(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const e = error as PgErrorShape;
  for (const candidate of [e.driverError?.code, e.code]) {
    if (typeof candidate === 'string' && SQLSTATE.test(candidate)) return candidate;
  }
  return null;
}

/** snake_case column of a constraint (`bookings_municipality_id_fkey`) → the API's camelCase field. */
function fieldOf(error: PgErrorShape): string {
  const column =
    typeof error.column === 'string'
      ? error.column
      : typeof error.constraint === 'string'
        ? error.constraint.replace(/^[a-z]+_/, '').replace(/_(fkey|key|check|pkey|excl)$/, '')
        : '';
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) || 'body';
}

/**
 * Every database error a request can provoke, by SQLSTATE (never by message text):
 * integrity violations are the client's (409/422), data exceptions and program limits are bad
 * input (422), serialization failures and unavailability are retryable (503).
 * Anything else (syntax, undefined objects, internal errors) is ours: null, i.e. a 500.
 */
export function mapDatabaseError(error: unknown): DatabaseErrorMapping | null {
  const state = sqlStateOf(error);
  if (!state) return null;
  const pg = ((error as PgErrorShape).driverError ?? error) as PgErrorShape;
  const field = fieldOf(pg);
  const klass = state.slice(0, 2);
  if (state === '23503') {
    return {
      code: ErrorCode.ValidationFailed,
      detail: 'The request refers to something that does not exist.',
      errors: [{ field, rule: 'reference', message: `${field} refers to something that does not exist` }],
    };
  }
  if (state === '23505') return { code: ErrorCode.Conflict, detail: 'This exists already.' };
  if (state === '23P01')
    return { code: ErrorCode.Conflict, detail: 'This overlaps something that exists already.' };
  if (klass === '23') {
    return {
      code: ErrorCode.ValidationFailed,
      detail: 'The request breaks a rule of the stored data.',
      errors: [{ field, rule: 'dataRange', message: `${field} is not allowed here` }],
    };
  }
  if (klass === '22' || klass === '54' || state === '2201B') {
    return {
      code: ErrorCode.ValidationFailed,
      detail: 'A value of the request is out of range or not valid.',
      errors: [{ field, rule: 'dataRange', message: `${field} is out of range or not valid` }],
    };
  }
  if (
    state === '40001' ||
    state === '40P01' ||
    state === '55P03' ||
    state === '57014' ||
    klass === '53' ||
    klass === '08' ||
    state === '57P01' ||
    state === '57P02' ||
    state === '57P03'
  ) {
    return { code: ErrorCode.ServiceUnavailable, detail: 'The database is busy; retry in a few seconds.' };
  }
  return null;
}

/** Socket errors of a database connection that is gone or not there (yet). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|not queryable|Client was closed|Client has encountered a connection error/;

/**
 * Whether an error without a SQLSTATE says that the database cannot be reached: the server is
 * restarting, the connection broke mid-transaction (TypeORM then reports its query runner as
 * released), or the pool could not connect in time. The client may retry: 503 with Retry-After.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (
    let e = error as
        | { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown }
        | undefined,
      depth = 0;
    e && typeof e === 'object' && depth < 4;
    depth++
  ) {
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (e.name === 'QueryRunnerAlreadyReleasedError') return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}
