/** Roads are longer than the crow flies; 1.3 is the usual detour factor for rural Germany. */
export const ROAD_FACTOR = 1.3;
export const DEFAULT_MACHINE_SPEED_KMH = 40;
export const DEFAULT_STAFF_SPEED_KMH = 50;
const EARTH_RADIUS_KM = 6371;

export interface Place {
  id: string;
  lat: number;
  lon: number;
}

export function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Minutes to move from one municipality to another: distance × road factor ÷ speed, up to 5 min. */
export function travelMinutes(from: Place, to: Place, speedKmh: number): number {
  if (from.id === to.id) return 0;
  const hours = (greatCircleKm(from, to) * ROAD_FACTOR) / speedKmh;
  return Math.ceil((hours * 60) / 5) * 5;
}

/**
 * Travel times of one pool: its coordinator's matrix where it has an entry, the great-circle
 * estimate elsewhere, each estimate worked out once per pair and speed (a calendar's legs run
 * between few places, asked for again and again).
 */
export class TravelTimes {
  private readonly overrides = new Map<string, number>();
  private readonly estimates = new Map<string, number>();

  constructor(
    private readonly places: ReadonlyMap<string, Place>,
    overrides: { fromMunicipalityId: string; toMunicipalityId: string; minutes: number }[] = [],
  ) {
    for (const o of overrides) this.overrides.set(`${o.fromMunicipalityId}>${o.toMunicipalityId}`, o.minutes);
  }

  minutes(fromId: string, toId: string, speedKmh: number): number {
    if (fromId === toId) return 0;
    const pair = `${fromId}>${toId}`;
    const override = this.overrides.get(pair);
    if (override !== undefined) return override;
    const key = `${pair}@${speedKmh}`;
    let minutes = this.estimates.get(key);
    if (minutes === undefined) {
      const from = this.places.get(fromId);
      const to = this.places.get(toId);
      if (!from || !to) throw new Error(`unknown municipality in travel lookup: ${fromId} or ${toId}`);
      minutes = travelMinutes(from, to, speedKmh);
      this.estimates.set(key, minutes);
    }
    return minutes;
  }
}
