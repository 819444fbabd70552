import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { assertBuilt, freePort, rssMegabytes, runCli, RunningCli, waitForHttp } from './support/processes';

const TOKEN = 'embedded-admin-token-0123456789abcdef0123';

/**
 * `npm start` with no DATABASE_URL and no REDIS_URL: PGlite over the wire protocol, BullMQ on its
 * PostgreSQL backend, data in a folder that survives a restart.
 */
/** The process runs on the system clock, and bookings may not start in the past: next September. */
const YEAR = new Date().getUTCFullYear() + 1;

describe('the embedded default', () => {
  jest.setTimeout(240_000);
  let dataDir: string;
  let port: number;
  let dbPort: number;
  let env: Record<string, string>;
  let running: RunningCli | undefined;

  beforeAll(async () => {
    assertBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-embedded-'));
    port = await freePort();
    dbPort = await freePort();
    env = {
      ALLMENDE_DATA_DIR: dataDir,
      PORT: String(port),
      ALLMENDE_EMBEDDED_DB_PORT: String(dbPort),
      ALLMENDE_ADMIN_TOKEN: TOKEN,
      ALLMENDE_DEMO_DATA: 'false',
    };
  });

  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<RunningCli> {
    running = runCli(['start'], env);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 120_000, running);
    return running;
  }

  async function stop(r: RunningCli): Promise<void> {
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  }

  it('starts, is healthy, enforces exclusion constraints, stays under 1 GB, and keeps data across a restart', async () => {
    const first = await start();
    expect(first.output()).toContain(
      `embedded PostgreSQL (PGlite) with data in ${path.join(dataDir, 'pgdata')}`,
    );
    expect(first.output()).toContain('BullMQ PostgreSQL backend');

    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { details: unknown };
    expect(health.details).toEqual({ database: { status: 'up' }, queue: { status: 'up' } });

    const created = await fetch(`http://127.0.0.1:${port}/api/v1/municipalities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'Wanfried',
        ags: '06636015',
        population: 4000,
        location: { lat: 51.18, lon: 10.17 },
      }),
    });
    expect(created.status).toBe(201);

    // The real thing through the API: row-level security (SET LOCAL ROLE) and the bookings table's
    // exclusion constraint work on PGlite too.
    const api = async (path: string, body: object) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { id: string; code?: string } };
    };
    const wanfried = ((await created.json()) as { id: string }).id;
    const pool = await api('/pools', { name: 'Bauhof', fieldOfAction: 'building-yard' });
    await api(`/pools/${pool.body.id}/members`, { municipalityId: wanfried, joinedOn: '2026-01-01' });
    const sweeper = await api('/resources', {
      poolId: pool.body.id,
      kind: 'machine',
      name: 'Kehrmaschine',
      type: 'street-sweeper',
      homeMunicipalityId: wanfried,
    });
    const slot = { resourceId: sweeper.body.id, municipalityId: wanfried };
    const booked = await api('/bookings', {
      ...slot,
      start: `${YEAR}-09-14T08:00:00+02:00`,
      end: `${YEAR}-09-14T10:00:00+02:00`,
    });
    expect(booked.status).toBe(201);
    const clash = await api('/bookings', {
      ...slot,
      start: `${YEAR}-09-14T09:00:00+02:00`,
      end: `${YEAR}-09-14T11:00:00+02:00`,
    });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('BOOKING_CONFLICT');

    const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${dbPort}/postgres` });
    await client.connect();
    try {
      await client.query(`CREATE TEMP TABLE slots (resource int, during tstzrange,
        EXCLUDE USING gist (resource WITH =, during WITH &&))`);
      await client.query(
        `INSERT INTO slots VALUES (1, tstzrange('2026-01-05 10:00+01', '2026-01-05 11:00+01'))`,
      );
      await client.query(
        `INSERT INTO slots VALUES (1, tstzrange('2026-01-05 11:00+01', '2026-01-05 12:00+01'))`,
      );
      await expect(
        client.query(`INSERT INTO slots VALUES (1, tstzrange('2026-01-05 10:30+01', '2026-01-05 11:30+01'))`),
      ).rejects.toMatchObject({ code: '23P01' });
    } finally {
      await client.end();
    }

    // The admin CLI beside the running main job: it joins the embedded server the job announced in
    // the data folder, and takes the municipality's AGS; the token it prints works at once.
    const cli = runCli(
      [
        'create-user',
        'bauhof@wanfried.example',
        'Bauhof Wanfried',
        'yard-manager',
        '--municipality',
        '06636015',
      ],
      env,
    );
    expect(await cli.exited).toBe(0);
    const cliToken = /^(\S{32,})$/m.exec(cli.output())?.[1];
    expect(cliToken).toBeDefined();
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { Authorization: `Bearer ${cliToken}` },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { municipalityId: string }).municipalityId).toBe(wanfried);

    // POST /users takes the AGS and an Idempotency-Key; the replay holds no token, and says why.
    const createUser = () =>
      fetch(`http://127.0.0.1:${port}/api/v1/users`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': 'user-kaemmerei',
        },
        body: JSON.stringify({
          email: 'kaemmerei@wanfried.example',
          name: 'Kämmerei',
          role: 'finance',
          municipalityId: '06636015',
        }),
      });
    const firstUser = await createUser();
    expect(firstUser.status).toBe(201);
    const firstBody = (await firstUser.json()) as { id: string; token: string | null };
    expect(firstBody.token).toMatch(/\S{32,}/);
    const replay = await createUser();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const replayBody = (await replay.json()) as {
      id: string;
      token: string | null;
      secretsShownOnce: string;
    };
    expect(replayBody).toMatchObject({ id: firstBody.id, token: null });
    expect(replayBody.secretsShownOnce).toMatch(/shown only in the first response/);

    // Idle for a moment, then measure the whole main job (API, worker and PGlite are one process).
    await new Promise((r) => setTimeout(r, 2000));
    const rss = rssMegabytes(first.child.pid!);
    process.stdout.write(`embedded default idle RSS: ${rss.toFixed(0)} MB\n`);
    expect(rss).toBeLessThan(1024);

    const second = runCli(['start'], { ...env, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/The embedded database in .* is in use by process \d+/);

    await stop(first);

    const again = await start();
    const list = await fetch(`http://127.0.0.1:${port}/api/v1/municipalities`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    const body = (await list.json()) as { items: { name: string }[] };
    expect(body.items.map((m) => m.name)).toEqual(['Wanfried']);
    await stop(again);
  });

  it('stops with one line naming a bad variable', async () => {
    const bad = runCli(['start'], { ...env, PORT: 'abc' });
    expect(await bad.exited).toBe(1);
    expect(bad.output().trim()).toBe('Configuration error: PORT must be a whole number (got "abc")');
  });

  it('says so when its port is taken, before it starts the database', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '0.0.0.0', resolve));
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-port-'));
    try {
      const clash = runCli(['start'], { ...env, ALLMENDE_DATA_DIR: emptyDir });
      expect(await clash.exited).toBe(1);
      expect(clash.output().trim()).toBe(
        `allmende could not start: port ${port} (0.0.0.0) is in use by another program, perhaps an allmende already running; stop it, or set PORT to a free port`,
      );
      // Nothing was started or written: the data folder is as empty as before.
      expect(fs.readdirSync(emptyDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      fs.rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
