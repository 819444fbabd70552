export * from './smptsp';
