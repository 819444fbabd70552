import type { PoolEntity, WorkingHours } from '@allmende/database';

/** Where a pool offers free windows and alternatives unless set otherwise: Mon–Fri 06:00–20:00. */
export const DEFAULT_OPERATING_HOURS: WorkingHours = {
  '1': ['06:00', '20:00'],
  '2': ['06:00', '20:00'],
  '3': ['06:00', '20:00'],
  '4': ['06:00', '20:00'],
  '5': ['06:00', '20:00'],
};

export function operatingHoursOf(pool: Pick<PoolEntity, 'operatingHours'>): WorkingHours {
  return pool.operatingHours ?? DEFAULT_OPERATING_HOURS;
}
