import { Platform1764000000000 } from './1764000000000-platform';
import { PoolsResourcesBookings1764000001000 } from './1764000001000-pools-resources-bookings';

/** In order; a new migration is appended here (explicit imports work from ts and compiled js alike). */
export const MIGRATIONS = [Platform1764000000000, PoolsResourcesBookings1764000001000];
