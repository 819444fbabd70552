export * from './planning.module';
export * from './planning.service';
export * from './planning-clock';
export * from './membership-simulation';
export * from './pool-model-loader';
export * from './render';
