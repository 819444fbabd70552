import type { PoolStatements } from './statement-document';
import type { RenderedDocument, StatementFormat } from './documents';

/**
 * What the statements API needs of a renderer: the document as a file. Bound under
 * STATEMENT_RENDERER to the documents' StatementRenderer; without one, the API answers 406.
 */
export interface StatementFileRenderer {
  render(doc: PoolStatements, format: StatementFormat): Promise<RenderedDocument>;
}

export const STATEMENT_RENDERER = Symbol('STATEMENT_RENDERER');
