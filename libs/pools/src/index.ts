export * from './municipalities.service';
export * from './pool-visibility';
export * from './pools.service';
export * from './resources.service';
export * from './pools.module';
export * from './demo';
export * from './membership-scenario';
export * from './operating-hours';
