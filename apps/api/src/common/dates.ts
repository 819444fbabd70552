import { berlinWallClock } from '@allmende/bookings';

/** Instants leave the API in UTC, with the Europe/Berlin wall-clock form beside them. */
export function utc(d: Date): string {
  return d.toISOString();
}

export function local(d: Date): string {
  return berlinWallClock(d);
}

/**
 * utc and local for one response that carries many instants, most of them repeated (the free
 * windows of a type's machines start and end at the same opening hours each day): each distinct
 * instant is formatted once.
 */
export function instantFormats(): { utc(d: Date): string; local(d: Date): string } {
  const utcs = new Map<number, string>();
  const locals = new Map<number, string>();
  const once = (cache: Map<number, string>, format: (d: Date) => string) => (d: Date) => {
    const ms = d.getTime();
    let s = cache.get(ms);
    if (s === undefined) cache.set(ms, (s = format(d)));
    return s;
  };
  return { utc: once(utcs, utc), local: once(locals, local) };
}
