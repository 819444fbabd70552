export * from './app-config';
export * from './config.module';
export * from './fail-startup';
export * from './logger.module';
export * from './app-logger';
export * from './metrics';
