import { berlinWallClock } from '@allmende/bookings';

/** Instants leave the API in UTC, with the Europe/Berlin wall-clock form beside them. */
export function utc(d: Date): string {
  return d.toISOString();
}

export function local(d: Date): string {
  return berlinWallClock(d);
}
