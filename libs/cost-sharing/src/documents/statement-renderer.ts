import { Injectable } from '@nestjs/common';
import type { PoolStatements } from '../statement-document';
import { statementFilename } from './select';
import { renderStatementsCsv } from './statement-csv';
import { renderStatementPdf } from './statement-pdf';
import { renderStatementsXlsx } from './statement-xlsx';

export type StatementFormat = 'csv' | 'xlsx' | 'pdf';

export const STATEMENT_FORMATS: readonly StatementFormat[] = ['csv', 'xlsx', 'pdf'];

export const STATEMENT_CONTENT_TYPES: Record<StatementFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** A rendered file: what an HTTP response or a mail attachment needs. */
export interface RenderedDocument {
  contentType: string;
  filename: string;
  body: Buffer;
}

/**
 * Turns a pool's statements (the same `PoolStatements` the JSON API returns) into files: CSV, XLSX
 * or PDF, for the whole pool or one member. Pure apart from Nest's decoration: no I/O.
 */
@Injectable()
export class StatementRenderer {
  async render(doc: PoolStatements, format: StatementFormat, memberId?: string): Promise<RenderedDocument> {
    const body = await this.body(doc, format, memberId);
    return {
      contentType: STATEMENT_CONTENT_TYPES[format],
      filename: statementFilename(doc, format, memberId),
      body,
    };
  }

  /** The files a member's finance users receive by mail: the PDF to file and the XLSX to work with. */
  async attachmentsFor(doc: PoolStatements, memberId: string): Promise<RenderedDocument[]> {
    return [await this.render(doc, 'pdf', memberId), await this.render(doc, 'xlsx', memberId)];
  }

  private body(doc: PoolStatements, format: StatementFormat, memberId?: string): Promise<Buffer> {
    switch (format) {
      case 'csv':
        return Promise.resolve(renderStatementsCsv(doc, memberId));
      case 'xlsx':
        return renderStatementsXlsx(doc, memberId);
      case 'pdf':
        return renderStatementPdf(doc, memberId);
    }
  }
}
