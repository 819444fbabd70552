import { Platform1764000000000 } from './1764000000000-platform';

/** In order; a new migration is appended here (explicit imports work from ts and compiled js alike). */
export const MIGRATIONS = [Platform1764000000000];
