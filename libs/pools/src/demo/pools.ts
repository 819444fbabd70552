import { DEMO_AGS as AGS, DEMO_MUNICIPALITIES } from './municipalities';
import type { DemoPool } from './types';

export const BUILDING_YARD_POOL = 'bauhof-werra-meissner';
export const WINTER_SERVICE_POOL = 'winterdienst-ringgau-sontra';

/**
 * Two overlapping pools, as the seed text describes: the whole district shares its building-yard
 * machines, and five neighbouring municipalities in the south also run winter service together.
 */
export const DEMO_POOLS: readonly DemoPool[] = [
  {
    key: BUILDING_YARD_POOL,
    name: 'Bauhof-Verbund Werra-Meißner',
    fieldOfAction: 'building-yard',
    // Eschwege led the lebensWert project, so the coordination unit sits there.
    coordinatorAgs: AGS.eschwege,
    members: DEMO_MUNICIPALITIES.map((m) => ({ ags: m.ags, joinedOn: '2026-01-01' })),
    // Fixed costs half by population, half by each member's share of the recorded usage.
    costSharing: {
      key: 'mixed',
      mix: { population: 50, equal: 0, usage: 50 },
      annualOverheadCents: 6_500_000,
    },
    // Eschwege hosts the coordination unit; members settle directly, the fewest transfers.
    costSettings: {
      hostAgs: AGS.eschwege,
      leadAgs: AGS.eschwege,
      settlement: 'direct',
      transportRateCentsPerKm: 60,
      marketHourlyRateCentsByType: {
        'street-sweeper': 14_500,
        'sewer-camera': 12_000,
        excavator: 9_500,
        mulcher: 8_000,
      },
    },
  },
  {
    key: WINTER_SERVICE_POOL,
    name: 'Winterdienst-Verbund Ringgau-Sontra',
    fieldOfAction: 'winter-service',
    coordinatorAgs: AGS.sontra,
    members: [
      { ags: AGS.sontra, joinedOn: '2025-10-01' },
      { ags: AGS.ringgau, joinedOn: '2025-10-01' },
      { ags: AGS.herleshausen, joinedOn: '2025-10-01' },
      { ags: AGS.weissenborn, joinedOn: '2025-10-01' },
      { ags: AGS.wehretal, joinedOn: '2025-11-01' },
    ],
    costSharing: { key: 'population', annualOverheadCents: 1_200_000 },
    // Sontra leads the winter-service pool: transfers go through its treasury.
    costSettings: { hostAgs: AGS.sontra, leadAgs: AGS.sontra, settlement: 'lead' },
  },
];
