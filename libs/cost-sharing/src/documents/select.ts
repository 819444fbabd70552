import { NotFound } from '@allmende/core';
import type { MemberStatement, PoolStatements } from '../statement-document';
import { LABELS } from './labels';

/** The member's statement, or all of them; a member not in the document is not found. */
export function statementsOf(doc: PoolStatements, memberId?: string): MemberStatement[] {
  if (memberId === undefined) return doc.statements;
  const found = doc.statements.find((s) => s.municipalityId === memberId);
  if (!found) throw new NotFound('Statement of municipality', memberId);
  return [found];
}

/** Letters a file name keeps everywhere (mail clients, Windows shares, Content-Disposition). */
export function asciiSafe(text: string): string {
  return text
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `Kostenabrechnung-Bauhof-Verbund-Ost-2026-11-Eschwege.pdf`; without a member, the pool's. */
export function statementFilename(
  doc: PoolStatements,
  extension: 'csv' | 'xlsx' | 'pdf',
  memberId?: string,
): string {
  const member = memberId ? statementsOf(doc, memberId)[0].municipalityName : undefined;
  const parts = [LABELS[doc.language].fileStem, doc.poolName, doc.period, member]
    .filter((p): p is string => !!p)
    .map(asciiSafe)
    .filter(Boolean);
  return `${parts.join('-')}.${extension}`;
}
