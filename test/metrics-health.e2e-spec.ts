import { ChildProcess, spawn } from 'node:child_process';
import { Client } from 'pg';
import request from 'supertest';
import { freePort } from './support/processes';
import { adminAuth, Region, seedRegion } from './support/seed';
import { startTestStack, TestStack } from './support/test-app';

const METRICS_TOKEN = 'test-metrics-token-0123456789';

/** One sample's value from Prometheus text: `name{labels} value`, labels as written by prom-client. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('GET /metrics', () => {
  let stack: TestStack;
  let r: Region;
  const http = () => request(stack.api.getHttpServer());
  const scrape = async () =>
    (await http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;

  beforeAll(async () => {
    stack = await startTestStack({ env: { METRICS_TOKEN } });
    r = await seedRegion(stack.api);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('needs the metrics token', async () => {
    const none = await http().get('/metrics').expect(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    await http().get('/metrics').set(adminAuth).expect(401);
  });

  it('counts bookings created and refused by reason, and latency by route template', async () => {
    const before = await scrape();
    const body = {
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: '2026-05-04T07:00:00+02:00',
      end: '2026-05-04T09:00:00+02:00',
    };
    const created = await http().post('/api/v1/bookings').set(adminAuth).send(body).expect(201);
    await http().post('/api/v1/bookings').set(adminAuth).send(body).expect(409);
    await http()
      .post('/api/v1/bookings')
      .set(adminAuth)
      .send({ ...body, end: body.start, start: body.end })
      .expect(422);
    await http()
      .get(`/api/v1/bookings/${created.body.id as string}`)
      .set(adminAuth)
      .expect(200);
    const after = await scrape();

    const delta = (name: string, labels = '') => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('allmende_bookings_created_total')).toBe(1);
    expect(delta('allmende_bookings_refused_total', 'reason="BOOKING_CONFLICT"')).toBe(1);
    expect(delta('allmende_bookings_refused_total', 'reason="VALIDATION_FAILED"')).toBe(1);
    // By the route's template, never the raw URL with the id.
    expect(
      delta(
        'allmende_http_request_duration_seconds_count',
        'method="GET",route="/api/v1/bookings/:id",status="200"',
      ),
    ).toBe(1);
    expect(after).not.toContain(created.body.id as string);
    expect(after).toMatch(/^allmende_queue_jobs\{queue="notifications",state="waiting"\} \d+$/m);
    expect(after).toContain('allmende_process_resident_memory_bytes');
  });
});

describe("a worker's own GET /metrics (WORKER_METRICS_PORT)", () => {
  let stack: TestStack;
  let r: Region;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    stack = await startTestStack({
      worker: true,
      env: { METRICS_TOKEN, WORKER_METRICS_PORT: String(port), HOST: '127.0.0.1' },
    });
    r = await seedRegion(stack.api);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('times the jobs it ran, per queue and job, behind the same token', async () => {
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    await request(stack.api.getHttpServer())
      .post('/api/v1/bookings')
      .set(adminAuth)
      .send({
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        start: '2026-05-11T07:00:00+02:00',
        end: '2026-05-11T09:00:00+02:00',
      })
      .expect(201);
    // The booking's event goes through the outbox to the notifications queue and this worker.
    const labels = 'queue="notifications",job="notify-event",outcome="completed"';
    const deadline = Date.now() + 30_000;
    let text = '';
    while (sample(text, 'allmende_job_duration_seconds_count', labels) < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const res = await fetch(url, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(200);
      text = await res.text();
    }
    expect(sample(text, 'allmende_job_duration_seconds_count', labels)).toBeGreaterThanOrEqual(1);
    expect(text).toContain('allmende_emails_sent_total');
    expect(text).toContain('allmende_solver_runs_total');
  }, 60_000);
});

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((resolve) => p.once('exit', resolve));
  p.kill('SIGKILL');
  await exited;
}

describe('GET /health/ready with the queue Redis and the database lost and back', () => {
  let stack: TestStack;
  let redis: ChildProcess;
  let port: number;

  /** Polls readiness until it answers `status` (each check waits at most 3 s per dependency). */
  async function until(status: number, timeoutMs = 30_000): Promise<request.Response> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await request(stack.api.getHttpServer()).get('/health/ready');
      if (res.status === status) return res;
      if (Date.now() > deadline)
        throw new Error(`readiness stayed ${res.status}: ${JSON.stringify(res.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async function asSuperuser(sql: string): Promise<void> {
    const url = new URL(stack.db.url);
    url.pathname = '/postgres';
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    port = await freePort();
    redis = startRedis(port);
    stack = await startTestStack({ redisUrl: `redis://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await asSuperuser(`ALTER DATABASE "${new URL(stack.db.url).pathname.slice(1)}" ALLOW_CONNECTIONS true`);
    if (redis.exitCode === null && redis.signalCode === null) {
      await stack.close();
    } else {
      // Closing waits for the queue's Redis: bring it back so the stack can shut down.
      redis = startRedis(port);
      await until(200);
      await stack.close();
    }
    await stopProcess(redis);
  });

  it('is 503 while the private Redis is down and 200 again after it restarts, without a restart of the API', async () => {
    const up = await until(200);
    expect(up.body).toMatchObject({ status: 'ok' });
    await stopProcess(redis);
    const down = await until(503);
    expect(JSON.stringify(down.body)).toContain('queue');
    redis = startRedis(port);
    await until(200);
  }, 90_000);

  it('is 503 while the database refuses connections and 200 once it accepts them again', async () => {
    const name = new URL(stack.db.url).pathname.slice(1);
    await until(200);
    await asSuperuser(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await asSuperuser(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
    const down = await until(503);
    expect(JSON.stringify(down.body)).toContain('database');
    await asSuperuser(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await until(200);
  }, 90_000);
});
