export * from './format';
export * from './labels';
export * from './names';
export * from './findings';
export * from './proposals';
export * from './present';
export * from './referenced';
export * from './simulation';
