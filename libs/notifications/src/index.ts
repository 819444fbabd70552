export * from './feeds';
export * from './webhooks';
