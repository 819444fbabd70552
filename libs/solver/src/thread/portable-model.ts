import type { PoolModel } from '../pool';

/**
 * A pool model that can cross a thread boundary: the travel-time function becomes a table (per
 * speed class, from site, to site), since functions cannot be copied to a worker thread.
 */
export interface PortablePoolModel extends Omit<PoolModel, 'travelMinutes'> {
  travel: {
    speedClassOf: Record<string, string>;
    minutes: Record<string, Record<string, Record<string, number>>>;
  };
}

export function toPortable(
  model: Omit<PoolModel, 'travelMinutes'>,
  siteIds: readonly string[],
  speedClassOf: Record<string, string>,
  minutes: (fromSiteId: string, toSiteId: string, speedClass: string) => number,
): PortablePoolModel {
  const table: PortablePoolModel['travel']['minutes'] = {};
  for (const cls of new Set(Object.values(speedClassOf))) {
    table[cls] = {};
    for (const from of siteIds) {
      table[cls][from] = {};
      for (const to of siteIds) table[cls][from][to] = minutes(from, to, cls);
    }
  }
  return { ...model, travel: { speedClassOf, minutes: table } };
}

export function fromPortable(portable: PortablePoolModel): PoolModel {
  const { travel, ...rest } = portable;
  return {
    ...rest,
    travelMinutes: (from, to, resourceId) => {
      if (from === to) return 0;
      const cls = travel.speedClassOf[resourceId] ?? Object.keys(travel.minutes)[0];
      return travel.minutes[cls]?.[from]?.[to] ?? 0;
    },
  };
}
