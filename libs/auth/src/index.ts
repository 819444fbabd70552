export * from './permissions';
export * from './policies';
