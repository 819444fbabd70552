import type { MachineType } from './types';

/** How often and when a machine type is booked in a year: the demand shape of the demo season. */
export interface SeasonProfile {
  /** Requests per machine and year (some may not fit and are dropped). */
  perMachinePerYear: number;
  /** Relative weight of each month, January first (12 entries). */
  monthWeights: readonly number[];
  /** Shortest and longest booking in hours (half-hour steps; at most a working day of 8.5 h). */
  durationHours: readonly [number, number];
  /** Share of requests that are emergencies (any day, holidays included, outside working hours too). */
  emergencyShare: number;
  notes: readonly string[];
  emergencyNotes?: readonly string[];
}

//                  Jan  Feb  Mar  Apr  May  Jun  Jul  Aug  Sep  Oct  Nov  Dec
const EVEN = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
// Spring clean-up after the gritting season (grit and leaves), and leaves again in autumn.
const SWEEPING = [0, 0.5, 2, 10, 2, 1, 1, 1, 1, 1.5, 2, 0];
// Verges and ditches are mown before the main growth; a second cut in late summer.
const MOWING = [0, 0, 0, 0.5, 6, 6, 1.5, 1, 2, 1, 0, 0];
// Civil works run all year; autumn peaks before the frost and the end of the budget year.
const EARTHWORKS = [0.5, 0.5, 1, 1, 1, 1, 1, 1, 2, 2.5, 1.5, 0.5];
// Tree pruning is allowed October to February (BNatSchG § 39), so chippers and lifts peak then.
const TREE_CARE = [2, 2.5, 0.5, 0, 0, 0, 0, 0, 0, 1, 2, 1.5];
// Asphalt patching needs warm and dry weather.
const PAVING = [0, 0, 0.5, 1.5, 2, 2, 2, 2, 1.5, 1, 0, 0];
const WINTER = [10, 3, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.5, 2];

const WINTER_EMERGENCIES = [
  'Glatteis – Streueinsatz Ortsdurchfahrt',
  'Schneefall über Nacht – Räumung vor Schulbusbeginn',
  'Eisregen – Streueinsatz Steigungsstrecken',
];

export const SEASON_PROFILES: Readonly<Record<MachineType, SeasonProfile>> = {
  'street-sweeper': {
    perMachinePerYear: 16,
    monthWeights: SWEEPING,
    durationHours: [3, 8],
    emergencyShare: 0,
    notes: [
      'Frühjahrskehrung Innenstadt',
      'Splittaufnahme nach dem Winter',
      'Laubkehrung Alleen',
      'Kehrung nach Marktfest',
    ],
  },
  'sewer-camera': {
    perMachinePerYear: 20,
    monthWeights: EVEN,
    durationHours: [4, 8],
    emergencyShare: 0,
    notes: ['Kanalbefahrung nach EKVO', 'Hausanschlüsse Neubaugebiet', 'Schadensaufnahme Mischwasserkanal'],
  },
  excavator: {
    perMachinePerYear: 14,
    monthWeights: EARTHWORKS,
    durationHours: [4, 8.5],
    emergencyShare: 0.07,
    notes: ['Grabenräumung Feldweg', 'Leitungsgraben Wasserleitung', 'Bachbett freilegen'],
    emergencyNotes: ['Rohrbruch Hauptleitung – Aufgrabung'],
  },
  'mini-excavator': {
    perMachinePerYear: 12,
    monthWeights: EARTHWORKS,
    durationHours: [3, 8],
    emergencyShare: 0.05,
    notes: ['Fundamente Spielplatzgeräte', 'Hausanschluss Friedhof', 'Baumgruben ausheben'],
    emergencyNotes: ['Rohrbruch Hausanschluss'],
  },
  mulcher: {
    perMachinePerYear: 14,
    monthWeights: MOWING,
    durationHours: [4, 8.5],
    emergencyShare: 0,
    notes: ['Bankette Gemeindeverbindungsstraße', 'Wegeränder Feldwege', 'Grabenmahd'],
  },
  'slope-mower': {
    perMachinePerYear: 14,
    monthWeights: MOWING,
    durationHours: [3, 8],
    emergencyShare: 0,
    notes: ['Böschungsmahd Regenrückhaltebecken', 'Deichböschung Werra', 'Lärmschutzwall'],
  },
  'aerial-lift': {
    perMachinePerYear: 10,
    monthWeights: TREE_CARE.map((w, i) => w + (i === 10 ? 2 : 0.5)), // plus Christmas lights in November
    durationHours: [2, 8],
    emergencyShare: 0,
    notes: ['Baumpflege Lindenallee', 'Weihnachtsbeleuchtung aufhängen', 'Straßenlaternen prüfen'],
  },
  'wheel-loader': {
    perMachinePerYear: 8,
    monthWeights: EVEN,
    durationHours: [2, 8],
    emergencyShare: 0,
    notes: ['Schüttgut umsetzen Bauhof', 'Grüngutannahme', 'Mutterboden verteilen'],
  },
  'low-loader-trailer': {
    perMachinePerYear: 8,
    monthWeights: EARTHWORKS,
    durationHours: [2, 6],
    emergencyShare: 0,
    notes: ['Baggertransport', 'Transport Walze zur Baustelle'],
  },
  'tipper-trailer': {
    perMachinePerYear: 8,
    monthWeights: EVEN,
    durationHours: [2, 8],
    emergencyShare: 0,
    notes: ['Grünschnittabfuhr', 'Schotter für Feldwegausbesserung'],
  },
  'municipal-tractor': {
    perMachinePerYear: 10,
    monthWeights: EVEN,
    durationHours: [3, 8],
    emergencyShare: 0,
    notes: ['Sportplatzpflege', 'Wegeunterhaltung', 'Wasserfass Neupflanzungen'],
  },
  'wood-chipper': {
    perMachinePerYear: 8,
    monthWeights: TREE_CARE,
    durationHours: [3, 8],
    emergencyShare: 0,
    notes: ['Gehölzpflege Ortsrand', 'Heckenschnitt Friedhof', 'Weihnachtsbaumaktion'],
  },
  'road-roller': {
    perMachinePerYear: 8,
    monthWeights: PAVING,
    durationHours: [2, 6],
    emergencyShare: 0,
    notes: ['Schlaglochsanierung', 'Verdichtung wassergebundene Wegedecke'],
  },
  'snow-plough': {
    perMachinePerYear: 14,
    monthWeights: WINTER,
    durationHours: [3, 7],
    emergencyShare: 0.4,
    notes: ['Räumung Gemeindestraßen nach Räumplan', 'Räumung Parkplätze Bürgerhaus'],
    emergencyNotes: WINTER_EMERGENCIES,
  },
  gritter: {
    perMachinePerYear: 14,
    monthWeights: WINTER,
    durationHours: [3, 7],
    emergencyShare: 0.4,
    notes: ['Streuung nach Streuplan', 'Streuung Schulwege'],
    emergencyNotes: WINTER_EMERGENCIES,
  },
  'snow-blower': {
    perMachinePerYear: 10,
    monthWeights: WINTER,
    durationHours: [2, 6],
    emergencyShare: 0.3,
    notes: ['Gehwege und Bushaltestellen freiräumen'],
    emergencyNotes: ['Schneeverwehung – Zufahrt Feuerwehr freiräumen'],
  },
};
