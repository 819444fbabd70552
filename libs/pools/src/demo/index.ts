export * from './werra-meissner';
