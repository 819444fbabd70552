export * from './planning.module';
export * from './planning.service';
export * from './pool-model-loader';
