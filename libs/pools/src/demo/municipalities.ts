import type { DemoMunicipality } from './types';

function municipality(
  name: string,
  ags: string,
  population: number,
  lat: number,
  lon: number,
): DemoMunicipality {
  return { name, ags, population, location: { lat, lon }, state: 'HE' };
}

/**
 * The 16 municipalities of Werra-Meißner-Kreis (Hesse, district key 06636).
 * Population figures (rounded, around 2022) and coordinates (town centre or seat of the
 * administration) are approximate: good enough for demos, travel times and cost keys, not a
 * statistical source.
 */
export const DEMO_MUNICIPALITIES: readonly DemoMunicipality[] = [
  // name, AGS, population, lat, lon
  municipality('Bad Sooden-Allendorf', '06636001', 8_300, 51.271, 9.975),
  municipality('Berkatal', '06636002', 1_500, 51.238, 9.861),
  municipality('Eschwege', '06636003', 19_800, 51.188, 10.053),
  municipality('Großalmerode', '06636004', 6_400, 51.258, 9.784),
  municipality('Herleshausen', '06636005', 2_800, 51.007, 10.165),
  municipality('Hessisch Lichtenau', '06636006', 12_400, 51.2, 9.719),
  municipality('Meinhard', '06636007', 4_700, 51.212, 10.083),
  municipality('Meißner', '06636008', 3_000, 51.226, 9.928),
  municipality('Neu-Eichenberg', '06636009', 1_800, 51.378, 9.906),
  municipality('Ringgau', '06636010', 2_900, 51.085, 10.07),
  municipality('Sontra', '06636011', 7_600, 51.066, 9.933),
  municipality('Waldkappel', '06636012', 4_200, 51.145, 9.877),
  municipality('Wanfried', '06636013', 4_000, 51.183, 10.175),
  municipality('Wehretal', '06636014', 5_100, 51.155, 9.998),
  municipality('Weißenborn', '06636015', 1_050, 51.118, 10.127),
  municipality('Witzenhausen', '06636016', 15_000, 51.342, 9.857),
];

/** AGS by name, so the rest of the dataset reads as names rather than digit strings. */
export const DEMO_AGS = {
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
