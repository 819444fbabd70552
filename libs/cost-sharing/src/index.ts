export * from './statement-document';
