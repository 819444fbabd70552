// Named exports only: libs/cost-sharing's index is shared with the statement engine.
export type { Language as DocumentLanguage } from './format';
export { asciiSafe, statementFilename } from './select';
export { renderStatementsCsv } from './statement-csv';
export { renderStatementsXlsx } from './statement-xlsx';
export { renderStatementPdf } from './statement-pdf';
export { STATEMENT_CONTENT_TYPES, STATEMENT_FORMATS, StatementRenderer } from './statement-renderer';
export type { RenderedDocument, StatementFormat } from './statement-renderer';
export { StatementDocumentsModule } from './statement-documents.module';
export { buildStatements, syntheticStatements } from './statement-fixture';
export type { FixtureMember, FixtureOptions, FixtureResource, FixtureUsage } from './statement-fixture';
