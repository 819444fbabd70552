export * from './mip';
export * from './smptsp';
export * from './pool';
export * from './thread';
export * from './highs';
