export * from './statement-document';
export * from './documents';
