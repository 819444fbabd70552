import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '@allmende/core';
import { StatementRenderer, StatementsService } from '@allmende/cost-sharing';
import type { StatementDocument, StatementDocuments } from '@allmende/notifications';

/** The statement email's attachments: the member's statement as PDF (to file) and XLSX (to check). */
@Injectable()
export class StatementAttachments implements StatementDocuments {
  constructor(
    private readonly statements: StatementsService,
    private readonly renderer: StatementRenderer,
  ) {}

  async documentsFor(statement: {
    poolId: string;
    municipalityId: string;
    period: string;
    language: 'de' | 'en';
  }): Promise<StatementDocument[]> {
    const doc = await this.statements.get(
      SYSTEM_ACTOR,
      statement.poolId,
      statement.period,
      statement.language,
    );
    const files = await this.renderer.attachmentsFor(doc, statement.municipalityId);
    return files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.body }));
  }
}
