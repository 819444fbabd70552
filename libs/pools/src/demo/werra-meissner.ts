/**
 * Demo and test dataset: the 16 municipalities of Werra-Meißner-Kreis (Hesse), where the
 * lebensWert project studied inter-municipal cooperation, with two pools, about thirty machines,
 * twenty operators, demo users, and a seeded generator for a season of booking requests.
 * Pure data and pure functions: loading it into a database is the loader's job.
 */
export * from './types';
export { DEMO_AGS, DEMO_MUNICIPALITIES } from './municipalities';
export { BUILDING_YARD_POOL, DEMO_POOLS, WINTER_SERVICE_POOL } from './pools';
export { DEMO_MACHINES } from './machines';
export { DEMO_STAFF } from './staff';
export { DEMO_PASSWORD, DEMO_USERS } from './users';
export { SEASON_PROFILES, type SeasonProfile } from './seasons';
export {
  DEMO_HISTORY_MONTHS,
  DEMO_TRANSPORT_GAP_MINUTES,
  demoHistoryMonths,
  demoHistoryStart,
  demoInspectionDue,
  demoJoinedOn,
  demoSeasonEnd,
  demoSeasonMonths,
  generateDemoBookings,
  generateDemoHistory,
} from './bookings';
