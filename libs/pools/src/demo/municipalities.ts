import type { DemoMunicipality } from './types';

/**
 * The 16 municipalities of Werra-Meißner-Kreis (Hesse, district key 06636).
 * Population figures (rounded, around 2022) and coordinates (town centre or seat of the
 * administration) are approximate: good enough for demos, travel times and cost keys, not a
 * statistical source.
 */
export const DEMO_MUNICIPALITIES: readonly DemoMunicipality[] = [
  { name: 'Bad Sooden-Allendorf', ags: '06636001', population: 8300, location: { lat: 51.271, lon: 9.975 }, state: 'HE' },
  { name: 'Berkatal', ags: '06636002', population: 1500, location: { lat: 51.238, lon: 9.861 }, state: 'HE' },
  { name: 'Eschwege', ags: '06636003', population: 19800, location: { lat: 51.188, lon: 10.053 }, state: 'HE' },
  { name: 'Großalmerode', ags: '06636004', population: 6400, location: { lat: 51.258, lon: 9.784 }, state: 'HE' },
  { name: 'Herleshausen', ags: '06636005', population: 2800, location: { lat: 51.007, lon: 10.165 }, state: 'HE' },
  { name: 'Hessisch Lichtenau', ags: '06636006', population: 12400, location: { lat: 51.2, lon: 9.719 }, state: 'HE' },
  { name: 'Meinhard', ags: '06636007', population: 4700, location: { lat: 51.212, lon: 10.083 }, state: 'HE' },
  { name: 'Meißner', ags: '06636008', population: 3000, location: { lat: 51.226, lon: 9.928 }, state: 'HE' },
  { name: 'Neu-Eichenberg', ags: '06636009', population: 1800, location: { lat: 51.378, lon: 9.906 }, state: 'HE' },
  { name: 'Ringgau', ags: '06636010', population: 2900, location: { lat: 51.085, lon: 10.07 }, state: 'HE' },
  { name: 'Sontra', ags: '06636011', population: 7600, location: { lat: 51.066, lon: 9.933 }, state: 'HE' },
  { name: 'Waldkappel', ags: '06636012', population: 4200, location: { lat: 51.145, lon: 9.877 }, state: 'HE' },
  { name: 'Wanfried', ags: '06636013', population: 4000, location: { lat: 51.183, lon: 10.175 }, state: 'HE' },
  { name: 'Wehretal', ags: '06636014', population: 5100, location: { lat: 51.155, lon: 9.998 }, state: 'HE' },
  { name: 'Weißenborn', ags: '06636015', population: 1050, location: { lat: 51.118, lon: 10.127 }, state: 'HE' },
  { name: 'Witzenhausen', ags: '06636016', population: 15000, location: { lat: 51.342, lon: 9.857 }, state: 'HE' },
];

/** AGS by name, so the rest of the dataset reads as names rather than digit strings. */
export const AGS = {
  badSoodenAllendorf: '06636001',
  berkatal: '06636002',
  eschwege: '06636003',
  grossalmerode: '06636004',
  herleshausen: '06636005',
  hessischLichtenau: '06636006',
  meinhard: '06636007',
  meissner: '06636008',
  neuEichenberg: '06636009',
  ringgau: '06636010',
  sontra: '06636011',
  waldkappel: '06636012',
  wanfried: '06636013',
  wehretal: '06636014',
  weissenborn: '06636015',
  witzenhausen: '06636016',
} as const;
