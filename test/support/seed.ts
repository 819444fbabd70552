import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { ADMIN_TOKEN } from './test-app';

export const adminAuth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Approximate coordinates; enough for travel times between neighbouring towns. */
export const TOWNS = {
  eschwege: {
    name: 'Eschwege',
    ags: '06636003',
    population: 19500,
    location: { lat: 51.1881, lon: 10.0528 },
  },
  witzenhausen: {
    name: 'Witzenhausen',
    ags: '06636016',
    population: 15000,
    location: { lat: 51.3425, lon: 9.8583 },
  },
  wanfried: { name: 'Wanfried', ags: '06636015', population: 4000, location: { lat: 51.1811, lon: 10.1728 } },
  sontra: { name: 'Sontra', ags: '06636012', population: 7600, location: { lat: 51.0656, lon: 9.9361 } },
} as const;

export type Town = keyof typeof TOWNS;

export interface Region {
  towns: Record<Town, string>;
  poolId: string;
  otherPoolId: string;
  sweeperId: string;
  sweeper2Id: string;
  cameraId: string;
  cameraOperatorId: string;
  plainStaffId: string;
}

async function post(app: INestApplication, path: string, body: object): Promise<{ id: string }> {
  const res = await request(app.getHttpServer()).post(`/api/v1${path}`).set(adminAuth).send(body);
  if (res.status !== 201) throw new Error(`seed POST ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/**
 * A small region: Eschwege, Witzenhausen and Wanfried share a building-yard pool with two street
 * sweepers and a sewer camera that needs a certified operator; Sontra is in another pool only.
 */
export async function seedRegion(app: INestApplication): Promise<Region> {
  const towns = {} as Record<Town, string>;
  for (const [key, town] of Object.entries(TOWNS))
    towns[key as Town] = (await post(app, '/municipalities', town)).id;
  const pool = await post(app, '/pools', {
    name: 'Bauhof-Verbund',
    fieldOfAction: 'building-yard',
    costSharing: { key: 'population' },
  });
  const other = await post(app, '/pools', { name: 'Winterdienst Süd', fieldOfAction: 'winter-service' });
  for (const t of ['eschwege', 'witzenhausen', 'wanfried'] as const) {
    await post(app, `/pools/${pool.id}/members`, { municipalityId: towns[t], joinedOn: '2026-01-01' });
  }
  await post(app, `/pools/${other.id}/members`, { municipalityId: towns.sontra, joinedOn: '2026-01-01' });
  const machine = {
    poolId: pool.id,
    kind: 'machine',
    homeMunicipalityId: towns.eschwege,
    hourlyRateCents: 6500,
  };
  const sweeper = await post(app, '/resources', {
    ...machine,
    name: 'Kehrmaschine 1',
    type: 'street-sweeper',
    transportSpeedKmh: 25,
  });
  const sweeper2 = await post(app, '/resources', {
    ...machine,
    name: 'Kehrmaschine 2',
    type: 'street-sweeper',
    transportSpeedKmh: 25,
    homeMunicipalityId: towns.wanfried,
  });
  const camera = await post(app, '/resources', {
    ...machine,
    name: 'Kanal-TV-Kamera',
    type: 'sewer-camera',
    transportSpeedKmh: 60,
    requiredQualification: 'sewer-camera-certified',
  });
  const staff = { poolId: pool.id, kind: 'staff', type: 'operator', weeklyHours: 39 };
  const cameraOperator = await post(app, '/resources', {
    ...staff,
    name: 'Jonas Becker',
    homeMunicipalityId: towns.witzenhausen,
    qualifications: ['sewer-camera-certified', 'licence-CE'],
  });
  const plainStaff = await post(app, '/resources', {
    ...staff,
    name: 'Lena Wagner',
    homeMunicipalityId: towns.eschwege,
    qualifications: ['licence-CE'],
  });
  return {
    towns,
    poolId: pool.id,
    otherPoolId: other.id,
    sweeperId: sweeper.id,
    sweeper2Id: sweeper2.id,
    cameraId: camera.id,
    cameraOperatorId: cameraOperator.id,
    plainStaffId: plainStaff.id,
  };
}
