import { DEMO_AGS as AGS } from './municipalities';
import { BUILDING_YARD_POOL as YARD, WINTER_SERVICE_POOL as WINTER } from './pools';
import type { Ags, DemoStaff, Qualification } from './types';

function staff(
  key: string,
  name: string,
  employerAgs: Ags,
  poolKey: string,
  qualifications: Qualification[],
  weeklyHours: number,
): DemoStaff {
  return { key, kind: 'staff', name, employerAgs, poolKey, qualifications, weeklyHours };
}

/**
 * Operators the pools lend out with the machines. 39 h is the TVöD week of municipal employees;
 * the few civil servants (Beamte) in Hesse work 41 h; the rest are part-time. Every qualification a
 * machine requires is held by at least two people of its pool, so one absence does not block it.
 */
export const DEMO_STAFF: readonly DemoStaff[] = [
  staff(
    'staff-eschwege-1',
    'Jürgen Hoffmann',
    AGS.eschwege,
    YARD,
    ['licence-C', 'licence-CE', 'licence-T'],
    39,
  ),
  staff('staff-eschwege-2', 'Sabine Wagner', AGS.eschwege, YARD, ['sewer-camera-certified', 'licence-C'], 39),
  staff(
    'staff-eschwege-3',
    'Kevin Schäfer',
    AGS.eschwege,
    YARD,
    ['aerial-lift-certified', 'chainsaw-certified'],
    39,
  ),
  staff('staff-eschwege-4', 'Dieter Möller', AGS.eschwege, YARD, ['licence-T'], 19.5),
  staff(
    'staff-witzenhausen-1',
    'Thomas Schmidt',
    AGS.witzenhausen,
    YARD,
    ['licence-C', 'aerial-lift-certified'],
    41,
  ),
  staff(
    'staff-witzenhausen-2',
    'Markus Becker',
    AGS.witzenhausen,
    YARD,
    ['licence-CE', 'licence-C', 'licence-T'],
    39,
  ),
  staff('staff-witzenhausen-3', 'Ayşe Yılmaz', AGS.witzenhausen, YARD, ['sewer-camera-certified'], 30),
  staff(
    'staff-hessisch-lichtenau-1',
    'Frank Zimmermann',
    AGS.hessischLichtenau,
    YARD,
    ['licence-T', 'licence-C'],
    39,
  ),
  staff(
    'staff-hessisch-lichtenau-2',
    'Lukas Krämer',
    AGS.hessischLichtenau,
    YARD,
    ['chainsaw-certified', 'licence-T'],
    39,
  ),
  staff(
    'staff-bad-sooden-allendorf-1',
    'Andreas Fischer',
    AGS.badSoodenAllendorf,
    YARD,
    ['licence-T', 'chainsaw-certified'],
    39,
  ),
  staff('staff-grossalmerode-1', 'Stefanie Keller', AGS.grossalmerode, YARD, ['licence-T'], 24),
  staff('staff-waldkappel-1', 'Heiko Ludwig', AGS.waldkappel, YARD, ['licence-T', 'licence-CE'], 39),
  staff('staff-meissner-1', 'Carsten Vogt', AGS.meissner, YARD, ['licence-T'], 39),
  staff(
    'staff-wanfried-1',
    'Nicole Hartmann',
    AGS.wanfried,
    YARD,
    ['aerial-lift-certified', 'licence-C'],
    30,
  ),
  staff('staff-sontra-1', 'Michael Weber', AGS.sontra, WINTER, ['licence-C', 'licence-T'], 39),
  staff('staff-sontra-2', 'Oliver Schulz', AGS.sontra, WINTER, ['licence-C'], 41),
  staff('staff-ringgau-1', 'Uwe Bachmann', AGS.ringgau, WINTER, ['licence-C', 'licence-T'], 39),
  staff('staff-herleshausen-1', 'Tobias Engel', AGS.herleshausen, WINTER, ['licence-C'], 39),
  staff('staff-wehretal-1', 'Ralf Schneider', AGS.wehretal, WINTER, ['licence-C', 'licence-CE'], 39),
  staff('staff-weissenborn-1', 'Patrick Wolf', AGS.weissenborn, WINTER, ['licence-T'], 19.5),
];
