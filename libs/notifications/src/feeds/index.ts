export * from './calendar-feeds.service';
export * from './feed-calendar';
export * from './feed-texts';
export * from './feeds.module';
