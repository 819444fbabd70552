import type { PoolStatements } from './statement-document';

/** The file formats GET /pools/{id}/statements answers besides JSON. */
export const STATEMENT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export interface RenderedStatement {
  contentType: string;
  filename: string;
  body: Buffer;
}

/**
 * Renders the statement document as a file. Provided under STATEMENT_RENDERER by the module that
 * builds the formats; without one, the API answers those formats 406.
 */
export interface StatementRenderer {
  render(doc: PoolStatements, format: StatementFormat): Promise<RenderedStatement>;
}

export const STATEMENT_RENDERER = Symbol('STATEMENT_RENDERER');
