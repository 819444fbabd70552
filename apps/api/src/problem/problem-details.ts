import { ErrorCode, FieldError } from '@allmende/core';

/** RFC 9457 problem details with the contract's machine-readable `code`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 422,
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.CsrfTokenInvalid]: 403,
  [ErrorCode.AccountLocked]: 423,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.BookingConflict]: 409,
  [ErrorCode.ResourceUnavailable]: 409,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.IdempotencyKeyInFlight]: 409,
  [ErrorCode.PeriodFinalized]: 409,
  [ErrorCode.NotAcceptable]: 406,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};

const TITLES: Record<ErrorCode, string> = {
  [ErrorCode.ValidationFailed]: 'Validation failed',
  [ErrorCode.BadRequest]: 'Bad request',
  [ErrorCode.Unauthorized]: 'Unauthorized',
  [ErrorCode.Forbidden]: 'Forbidden',
  [ErrorCode.CsrfTokenInvalid]: 'CSRF token missing or wrong',
  [ErrorCode.AccountLocked]: 'Account locked',
  [ErrorCode.NotFound]: 'Not found',
  [ErrorCode.Conflict]: 'Conflict',
  [ErrorCode.BookingConflict]: 'Booking conflict',
  [ErrorCode.ResourceUnavailable]: 'Resource unavailable',
  [ErrorCode.IdempotencyKeyReused]: 'Idempotency key reused',
  [ErrorCode.IdempotencyKeyInFlight]: 'Request with this idempotency key in flight',
  [ErrorCode.PeriodFinalized]: 'Period finalized',
  [ErrorCode.NotAcceptable]: 'Not acceptable',
  [ErrorCode.PayloadTooLarge]: 'Payload too large',
  [ErrorCode.UnsupportedMediaType]: 'Unsupported media type',
  [ErrorCode.RateLimited]: 'Too many requests',
  [ErrorCode.ServiceUnavailable]: 'Service unavailable',
  [ErrorCode.Internal]: 'Internal server error',
};

export function problem(
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemDetails {
  return {
    type: `https://allmende.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[code],
    status: STATUS_BY_CODE[code],
    detail,
    code,
    ...extra,
  };
}
