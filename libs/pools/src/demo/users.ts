import { DEMO_AGS as AGS } from './municipalities';
import { BUILDING_YARD_POOL as YARD, WINTER_SERVICE_POOL as WINTER } from './pools';
import type { DemoUser } from './types';

/**
 * Demo logins: no admin (the installation's admin is bootstrapped with ALLMENDE_ADMIN_TOKEN), one
 * coordinator per pool, and yard managers and finance staff in a few member municipalities.
 * The .example domains (RFC 2606) make sure no mail ever reaches a real town hall.
 */
/**
 * The demo users' password for browser sign-in: demo data only, printed at start and in the
 * README. A real installation sets passwords with `npm run cli -- set-password`.
 */
export const DEMO_PASSWORD = 'allmende-demo-2026';

export const DEMO_USERS: readonly DemoUser[] = [
  {
    email: 'anna.lehmann@eschwege.example',
    name: 'Anna Lehmann',
    role: 'coordinator',
    municipalityAgs: AGS.eschwege,
    poolKeys: [YARD],
  },
  {
    email: 'stefan.koch@eschwege.example',
    name: 'Stefan Koch',
    role: 'yard-manager',
    municipalityAgs: AGS.eschwege,
    poolKeys: [YARD],
  },
  {
    email: 'monika.richter@eschwege.example',
    name: 'Monika Richter',
    role: 'finance',
    municipalityAgs: AGS.eschwege,
    poolKeys: [YARD],
  },
  {
    email: 'peter.braun@eschwege.example',
    name: 'Peter Braun',
    role: 'viewer',
    municipalityAgs: AGS.eschwege,
    poolKeys: [YARD],
  },
  {
    email: 'claudia.neumann@witzenhausen.example',
    name: 'Claudia Neumann',
    role: 'yard-manager',
    municipalityAgs: AGS.witzenhausen,
    poolKeys: [YARD],
  },
  {
    email: 'martin.schwarz@witzenhausen.example',
    name: 'Martin Schwarz',
    role: 'finance',
    municipalityAgs: AGS.witzenhausen,
    poolKeys: [YARD],
  },
  {
    email: 'bernd.krueger@hessisch-lichtenau.example',
    name: 'Bernd Krüger',
    role: 'yard-manager',
    municipalityAgs: AGS.hessischLichtenau,
    poolKeys: [YARD],
  },
  {
    email: 'katrin.hofmann@sontra.example',
    name: 'Katrin Hofmann',
    role: 'coordinator',
    municipalityAgs: AGS.sontra,
    poolKeys: [WINTER],
  },
  {
    email: 'holger.schmitt@sontra.example',
    name: 'Holger Schmitt',
    role: 'yard-manager',
    municipalityAgs: AGS.sontra,
    poolKeys: [YARD, WINTER],
  },
  {
    email: 'sandra.weiss@sontra.example',
    name: 'Sandra Weiß',
    role: 'finance',
    municipalityAgs: AGS.sontra,
    poolKeys: [YARD, WINTER],
  },
  {
    email: 'jens.walter@ringgau.example',
    name: 'Jens Walter',
    role: 'yard-manager',
    municipalityAgs: AGS.ringgau,
    poolKeys: [YARD, WINTER],
  },
  {
    email: 'birgit.meyer@ringgau.example',
    name: 'Birgit Meyer',
    role: 'finance',
    municipalityAgs: AGS.ringgau,
    poolKeys: [YARD, WINTER],
  },
  {
    email: 'florian.koenig@wanfried.example',
    name: 'Florian König',
    role: 'yard-manager',
    municipalityAgs: AGS.wanfried,
    poolKeys: [YARD],
  },
];
