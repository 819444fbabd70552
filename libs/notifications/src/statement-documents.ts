/**
 * The statement's documents (PDF, XLSX) for the statement email. Bound by the cost-sharing side;
 * when nothing is bound, the email says where to fetch them instead (and the log says so once).
 */
export const STATEMENT_DOCUMENTS = Symbol('STATEMENT_DOCUMENTS');

export interface StatementDocument {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface StatementDocuments {
  documentsFor(statement: {
    poolId: string;
    municipalityId: string;
    period: string;
    language: 'de' | 'en';
  }): Promise<StatementDocument[]>;
}
