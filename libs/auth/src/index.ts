export * from './permissions';
export * from './policies';
export * from './tokens';
export * from './tokens.service';
export * from './users.service';
export * from './auth.module';
