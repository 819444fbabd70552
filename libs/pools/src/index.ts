export * from './municipalities.service';
export * from './pools.module';
