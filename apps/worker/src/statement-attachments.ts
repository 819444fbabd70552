import { Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR } from '@allmende/core';
import { PoolStatements, StatementRenderer, StatementsService } from '@allmende/cost-sharing';
import type { StatementDocument, StatementDocuments } from '@allmende/notifications';

/** Finalized pool documents kept for the member emails of one monthly run. */
const KEEP_DOCUMENTS = 8;

/**
 * The statement email's attachments: the member's statement as PDF (to file) and XLSX (to check).
 * A finalized period never changes, so its pool document (read and rendered once, a few MB for a
 * large pool) serves every member's email of the run instead of being read again per member.
 */
@Injectable()
export class StatementAttachments implements StatementDocuments {
  private readonly finalized = new Map<string, PoolStatements>();

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
    const doc = await this.poolDocument(statement.poolId, statement.period, statement.language);
    const files = await this.renderer.attachmentsFor(doc, statement.municipalityId);
    return files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.body }));
  }

  private async poolDocument(poolId: string, period: string, language: 'de' | 'en'): Promise<PoolStatements> {
    const key = `${poolId}/${period}/${language}`;
    const kept = this.finalized.get(key);
    if (kept) return kept;
    const doc = await this.statements.get(SYSTEM_ACTOR, poolId, period, language);
    if (doc.finalized) {
      this.finalized.set(key, doc);
      if (this.finalized.size > KEEP_DOCUMENTS) this.finalized.delete(this.finalized.keys().next().value!);
    }
    return doc;
  }
}
