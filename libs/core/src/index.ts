export * from './errors';
export * from './actor';
export * from './clock';
export * from './type-labels';
