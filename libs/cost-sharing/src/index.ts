export * from './statement-document';
export * from './documents';
export * from './reports';
