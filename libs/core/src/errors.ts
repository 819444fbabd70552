/** Machine-readable error codes of the HTTP contract (API.md); the exception filter maps them. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  BadRequest = 'BAD_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  /** A state-changing request by a browser session without the session's X-CSRF-Token. */
  CsrfTokenInvalid = 'CSRF_TOKEN_INVALID',
  /** Too many failed sign-ins for the account: locked out for a while (Retry-After). */
  AccountLocked = 'ACCOUNT_LOCKED',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  BookingConflict = 'BOOKING_CONFLICT',
  ResourceUnavailable = 'RESOURCE_UNAVAILABLE',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyInFlight = 'IDEMPOTENCY_KEY_IN_FLIGHT',
  PeriodFinalized = 'PERIOD_FINALIZED',
  NotAcceptable = 'NOT_ACCEPTABLE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export interface FieldError {
  field: string;
  message: string;
  /** The rule broken (class-validator's constraint name, e.g. `isUuid`), for the message catalog. */
  rule?: string;
  /** The values the field may take, where they are few (e.g. a pool's resource types). */
  allowed?: string[];
}

/** A rule of the domain was broken; services throw these and never build HTTP responses. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * The request's fields broke their rules: always the client's to fix, answered 422, never logged.
 * No stack trace is captured (where the validation found it helps no one, and capturing one is
 * the dearest part of answering a 422).
 */
export class ValidationFailed extends DomainError {
  readonly errors: FieldError[];

  constructor(
    errors: FieldError[],
    message = 'The request is not valid.',
    extra: Record<string, unknown> = {},
  ) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(ErrorCode.ValidationFailed, message, { ...extra, errors });
    Error.stackTraceLimit = stackTraceLimit;
    this.errors = errors;
  }
}

export class NotFound extends DomainError {
  constructor(
    /** What was looked for, in English ("Booking"); the message catalog renders it in German. */
    readonly what: string,
    id?: string,
  ) {
    super(ErrorCode.NotFound, id ? `${what} ${id} was not found.` : `${what} was not found.`);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(ErrorCode.Conflict, message, extra);
  }
}

/** A booking would overlap others (including transport time); names them and offers alternatives. */
export class BookingConflict extends DomainError {
  constructor(message: string, conflictingBookingIds: string[], extra: Record<string, unknown> = {}) {
    super(ErrorCode.BookingConflict, message, { conflictingBookingIds, ...extra });
  }
}

/** The resource cannot be booked then: holiday, working hours, blackout, overdue inspection, membership. */
export class ResourceUnavailable extends DomainError {
  constructor(message: string, reasons: { reason: string; detail: string }[]) {
    super(ErrorCode.ResourceUnavailable, message, { reasons });
  }
}
