import { Module } from '@nestjs/common';
import { StatementRenderer } from './statement-renderer';

/** The statement renderer for the statements controller and the statement email. */
@Module({ providers: [StatementRenderer], exports: [StatementRenderer] })
export class StatementDocumentsModule {}
