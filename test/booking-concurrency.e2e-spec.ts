import { Client } from 'pg';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '@allmende/testing';
import { assertBuilt, freePort, ROOT, waitForHttp } from './support/processes';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

const TOKEN = 'concurrency-admin-token-0123456789abcdef';

/** Two real API processes on one database, hammered at once for the same machine. */
/** The API processes run on the system clock, and bookings may not start in the past: next year, in September (no public holiday in Hesse). */
const YEAR = new Date().getUTCFullYear() + 1;

describe('booking under concurrency: 200 requests, 2 API processes', () => {
  jest.setTimeout(180_000);
  let db: TestDatabase;
  const apis: ChildProcess[] = [];
  const ports: number[] = [];
  let resourceId: string;
  let municipalityId: string;

  async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function call(
    port: number,
    method: string,
    url: string,
    body?: object,
  ): Promise<{ status: number; body: { id: string } }> {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${url}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as { id: string } };
  }

  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      ports.push(port);
      apis.push(
        spawn(
          process.execPath,
          [
            '--experimental-vm-modules',
            '-r',
            './register-paths.js',
            path.join(ROOT, 'dist/apps/api/src/main.js'),
          ],
          {
            cwd: ROOT,
            env: {
              PATH: process.env.PATH,
              DATABASE_URL: db.url,
              REDIS_URL: TEST_REDIS_URL,
              ALLMENDE_ADMIN_TOKEN: TOKEN,
              ALLMENDE_RATE_LIMIT: '100000',
              PORT: String(port),
              LOG_LEVEL: 'error',
            },
            stdio: 'ignore',
          },
        ),
      );
    }
    await Promise.all(ports.map((p) => waitForHttp(`http://127.0.0.1:${p}/health`, 60_000)));
    const [p] = ports;
    municipalityId = (
      await call(p, 'POST', '/municipalities', {
        name: 'Eschwege',
        ags: '06636003',
        population: 19500,
        location: { lat: 51.19, lon: 10.05 },
      })
    ).body.id;
    const pool = (await call(p, 'POST', '/pools', { name: 'Bauhof', fieldOfAction: 'building-yard' })).body
      .id;
    await call(p, 'POST', `/pools/${pool}/members`, { municipalityId, joinedOn: '2026-01-01' });
    resourceId = (
      await call(p, 'POST', '/resources', {
        poolId: pool,
        kind: 'machine',
        name: 'Bagger',
        type: 'excavator',
        homeMunicipalityId: municipalityId,
      })
    ).body.id;
  });

  afterAll(async () => {
    for (const api of apis) api.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  });

  async function storm(day: string): Promise<number[]> {
    // 200 requests for overlapping times: every one covers 10:00–11:00 of the day.
    const requests = Array.from({ length: 200 }, (_, i) => {
      const startMinute = i % 60;
      return call(ports[i % 2], 'POST', '/bookings', {
        resourceId,
        municipalityId,
        start: `${day}T09:${String(startMinute).padStart(2, '0')}:00+02:00`,
        end: `${day}T11:${String(startMinute).padStart(2, '0')}:00+02:00`,
      });
    });
    return (await Promise.all(requests)).map((r) => r.status);
  }

  async function overlapping(): Promise<number> {
    const rows = await sql<{ n: string }>(`
      SELECT count(*) AS n FROM bookings a JOIN bookings b
        ON a.resource_id = b.resource_id AND a.id < b.id AND a.status = 'active' AND b.status = 'active'
       AND tstzrange(a.blocked_start, a.blocked_end, '[)') && tstzrange(b.blocked_start, b.blocked_end, '[)')`);
    return Number(rows[0].n);
  }

  it('creates exactly one on an empty calendar, answers 199 × 409, never 5xx', async () => {
    const statuses = await storm(`${YEAR}-09-15`);
    const tally = statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});
    expect(tally).toEqual({ 201: 1, 409: 199 });
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(statuses.filter((s) => s >= 500)).toHaveLength(0);
    expect(await overlapping()).toBe(0);
  });

  it('does the same again next to existing bookings', async () => {
    const statuses = await storm(`${YEAR}-09-16`);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(await overlapping()).toBe(0);
  });

  it('accepts adjacent bookings sent at once', async () => {
    const [a, b] = await Promise.all([
      call(ports[0], 'POST', '/bookings', {
        resourceId,
        municipalityId,
        start: `${YEAR}-09-17T10:00:00+02:00`,
        end: `${YEAR}-09-17T11:00:00+02:00`,
      }),
      call(ports[1], 'POST', '/bookings', {
        resourceId,
        municipalityId,
        start: `${YEAR}-09-17T11:00:00+02:00`,
        end: `${YEAR}-09-17T12:00:00+02:00`,
      }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await overlapping()).toBe(0);
  });
});
