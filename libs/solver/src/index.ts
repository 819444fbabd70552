export * from './smptsp';
export * from './pool';
export * from './thread';
