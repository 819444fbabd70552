/**
 * Shapes of the demo dataset. They mirror the request bodies of the HTTP API (API.md) but refer
 * to each other by stable keys and AGS instead of UUIDs, because the ids only exist once a loader
 * has inserted the rows.
 */

/** Amtlicher Gemeindeschlüssel: 8 digits, e.g. '06636003' for Eschwege. */
export type Ags = string;

export interface DemoMunicipality {
  name: string;
  ags: Ags;
  population: number;
  location: { lat: number; lon: number };
  state: 'HE';
}

export type FieldOfAction = 'building-yard' | 'winter-service';

export type CostSharing =
  | { key: 'population' | 'equal' | 'usage'; annualOverheadCents: number }
  | {
      key: 'mixed';
      /** Percentages that add up to 100. */
      mix: { population: number; equal: number; usage: number };
      annualOverheadCents: number;
    };

export interface DemoPool {
  key: string;
  name: string;
  fieldOfAction: FieldOfAction;
  /** The coordination unit (Koordinationseinheit) sits in this municipality. */
  coordinatorAgs: Ags;
  members: { ags: Ags; joinedOn: string }[];
  costSharing: CostSharing;
  /** The pool's cost settings (an agreement from the first membership on); hosts by AGS. */
  costSettings?: DemoCostSettings;
}

export interface DemoCostSettings {
  /** Who carries the coordination unit's overhead (and is credited with it). */
  hostAgs: Ags;
  leadAgs: Ags;
  settlement: 'direct' | 'lead';
  transportRateCentsPerKm?: number;
  /** What renting a machine of a type costs per hour on the market. */
  marketHourlyRateCentsByType?: Record<string, number>;
}

export type Qualification =
  | 'licence-C'
  | 'licence-CE'
  | 'licence-T'
  | 'sewer-camera-certified'
  | 'aerial-lift-certified'
  | 'chainsaw-certified';

export type MachineType =
  | 'street-sweeper'
  | 'sewer-camera'
  | 'excavator'
  | 'mini-excavator'
  | 'mulcher'
  | 'slope-mower'
  | 'aerial-lift'
  | 'wheel-loader'
  | 'low-loader-trailer'
  | 'tipper-trailer'
  | 'municipal-tractor'
  | 'wood-chipper'
  | 'road-roller'
  | 'snow-plough'
  | 'gritter'
  | 'snow-blower';

export interface DemoMachine {
  key: string;
  kind: 'machine';
  name: string;
  type: MachineType;
  poolKey: string;
  homeAgs: Ags;
  hourlyRateCents: number;
  perUseCents: number;
  annualFixedCostCents: number;
  /** Speed between sites: self-driving machines are slow, trailer-borne ones go at trailer speed. */
  transportSpeedKmh: number;
  requiredQualification: Qualification | null;
  /** ISO date (YYYY-MM-DD) of the next statutory inspection (UVV/TÜV). */
  nextInspectionDue: string;
  attributes: Record<string, number | string | boolean>;
}

export interface DemoStaff {
  key: string;
  kind: 'staff';
  name: string;
  employerAgs: Ags;
  poolKey: string;
  qualifications: Qualification[];
  weeklyHours: number;
}

export type DemoRole = 'coordinator' | 'yard-manager' | 'finance' | 'viewer';

export interface DemoUser {
  email: string;
  name: string;
  role: DemoRole;
  municipalityAgs: Ags;
  poolKeys: string[];
}

export type BookingPriority = 'normal' | 'emergency';

export interface DemoBookingRequest {
  machineKey: string;
  /** The municipality that books (and pays for the usage). */
  municipalityAgs: Ags;
  /** Where the machine works; usually the booking municipality itself. */
  siteAgs: Ags;
  /** ISO 8601 with the Europe/Berlin offset, e.g. 2026-04-14T07:00:00+02:00. */
  start: string;
  end: string;
  priority: BookingPriority;
  notes: string;
}
