import { DomainError, ErrorCode } from '@allmende/core';
import type { StatementFormat } from '@allmende/cost-sharing';

const BY_MEDIA_TYPE: Record<string, StatementFormat | 'json'> = {
  'application/json': 'json',
  'application/problem+json': 'json',
  'text/csv': 'csv',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  '*/*': 'json',
  'application/*': 'json',
  'text/*': 'csv',
};

/** The format asked for: `format=` wins, then the Accept header (by q), JSON by default. */
export function negotiateFormat(
  format: string | undefined,
  accept: string | undefined,
): StatementFormat | 'json' {
  if (format) return format as StatementFormat | 'json';
  if (!accept || !accept.trim()) return 'json';
  const ranked = accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const t of ranked) {
    const found = BY_MEDIA_TYPE[t.type];
    if (found) return found;
  }
  throw new DomainError(
    ErrorCode.NotAcceptable,
    'Statements are available as application/json, text/csv, application/pdf and the XLSX spreadsheet type.',
    {
      available: Object.keys(BY_MEDIA_TYPE).filter(
        (k) => !k.includes('*') && k !== 'application/problem+json',
      ),
    },
  );
}
