import { FieldError } from '@allmende/core';

/** No field of the API holds more text than this; longer strings are refused before any work. */
export const MAX_STRING_LENGTH = 20_000;
/** JSON nested deeper than any request of the API is refused before class-transformer recurses. */
export const MAX_DEPTH = 16;
const MAX_NODES = 50_000;

/** NUL cannot be stored in PostgreSQL text; a lone UTF-16 surrogate is not text at all. */
// eslint-disable-next-line no-control-regex
export const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describeString(value: string): { rule: string; message: string } | null {
  if (value.length > MAX_STRING_LENGTH)
    return { rule: 'tooLong', message: `is longer than ${MAX_STRING_LENGTH} characters` };
  if (UNSTORABLE.test(value))
    return { rule: 'unstorable', message: 'contains a NUL character or an unpaired UTF-16 surrogate' };
  return null;
}

/**
 * Walks a request's body, query or path parameter iteratively (never recursing, so no input can
 * overflow the stack) and names every string no column can hold, and nesting beyond reason.
 */
export function guardInput(value: unknown, root: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: root, depth: 0 }];
  let nodes = 0;
  while (stack.length > 0 && errors.length < 20) {
    const { v, path, depth } = stack.pop()!;
    if (++nodes > MAX_NODES) {
      errors.push({ field: root || 'body', rule: 'tooLong', message: 'has too many elements' });
      break;
    }
    if (typeof v === 'string') {
      const problem = describeString(v);
      if (problem) errors.push({ field: path || 'body', ...problem });
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) {
        errors.push({
          field: path || 'body',
          rule: 'tooDeep',
          message: `is nested deeper than ${MAX_DEPTH} levels`,
        });
        continue;
      }
      const entries: [string, unknown][] = Array.isArray(v)
        ? v.map((item, i) => [String(i), item])
        : Object.entries(v as Record<string, unknown>);
      for (const [key, child] of entries) {
        const keyProblem = describeString(key);
        const childPath = Array.isArray(v) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        if (keyProblem)
          errors.push({
            field: path || 'body',
            rule: keyProblem.rule,
            message: `has a field name that ${keyProblem.message}`,
          });
        else stack.push({ v: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return errors;
}

/**
 * An unencoded `+` in a query string arrives as a space: `…T08:00:00 02:00` can only mean
 * `…T08:00:00+02:00`, so it is read that way.
 */
export function restorePlusInInstant(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)? \d{2}:?\d{2}$/.test(value)
    ? value.replace(' ', '+')
    : value;
}
