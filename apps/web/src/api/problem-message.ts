import type { TFunction } from 'i18next';
import { ApiError, NetworkError } from './client';

/**
 * An error in words for people, in the interface language: the code's own sentence, the
 * fields it names, and for lock-outs how long to wait. Never a raw problem+json.
 */
export function problemMessage(error: unknown, t: TFunction): string {
  if (error instanceof NetworkError) return t('errors.network');
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  const code = error.code || `HTTP_${error.status}`;
  const key = `errors.codes.${code}`;
  let text = t(key, { defaultValue: '' });
  if (!text) text = error.status >= 500 ? t('errors.server') : t('errors.generic', { status: error.status });
  if (error.retryAfterSeconds) {
    text += ' ' + t('errors.retryAfter', { count: Math.ceil(error.retryAfterSeconds / 60) });
  }
  const fields = error.problem.errors ?? [];
  if (fields.length > 0) {
    text +=
      ' ' +
      fields
        .map((f) =>
          t('errors.field', { field: t(`fields.${f.field}`, { defaultValue: f.field }), message: f.message }),
        )
        .join(' ');
  }
  return text;
}
