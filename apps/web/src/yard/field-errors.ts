import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { problemMessage } from '../api/problem-message';

/** A 422's messages by field, for showing each next to its input; the rest in words for the form. */
export function splitErrors(
  error: unknown,
  t: TFunction,
  fields: readonly string[],
): { byField: Record<string, string>; general: string | null } {
  if (!error) return { byField: {}, general: null };
  const byField: Record<string, string> = {};
  if (error instanceof ApiError && error.problem.errors?.length) {
    const rest = [];
    for (const e of error.problem.errors) {
      if (fields.includes(e.field))
        byField[e.field] = byField[e.field] ? `${byField[e.field]}; ${e.message}` : e.message;
      else rest.push(e);
    }
    if (rest.length === 0) return { byField, general: t('yardErrors.checkFields') };
    const remaining = new ApiError(error.status, { ...error.problem, errors: rest }, error.retryAfterSeconds);
    return { byField, general: problemMessage(remaining, t) };
  }
  return { byField, general: problemMessage(error, t) };
}

/** Props that tie an input to its error text (aria-invalid, aria-describedby). */
export function invalidProps(id: string, message: string | undefined, hintId?: string) {
  const described = [hintId, message ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return {
    'aria-invalid': message ? (true as const) : undefined,
    'aria-describedby': described || undefined,
  };
}
