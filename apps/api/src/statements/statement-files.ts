import { Inject, Injectable, Optional, StreamableFile } from '@nestjs/common';
import { DomainError, ErrorCode } from '@allmende/core';
import {
  PoolStatements,
  STATEMENT_RENDERER,
  StatementFormat,
  StatementFileRenderer,
} from '@allmende/cost-sharing';

/**
 * The statement document as the format asked for: JSON as it is, files through the renderer
 * plugged in under STATEMENT_RENDERER. Without one, those formats are 406 problem+json.
 */
@Injectable()
export class StatementFiles {
  constructor(@Optional() @Inject(STATEMENT_RENDERER) private readonly renderer?: StatementFileRenderer) {}

  async answer(
    doc: PoolStatements,
    format: StatementFormat | 'json',
  ): Promise<PoolStatements | StreamableFile> {
    if (format === 'json') return doc;
    if (!this.renderer)
      throw new DomainError(
        ErrorCode.NotAcceptable,
        `Statements as ${format} are not available yet; ask for JSON.`,
        {
          available: ['application/json'],
        },
      );
    const file = await this.renderer.render(doc, format);
    return new StreamableFile(file.body, {
      type: file.contentType,
      disposition: `attachment; filename="${file.filename}"`,
    });
  }
}
