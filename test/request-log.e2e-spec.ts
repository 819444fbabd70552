import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '@allmende/testing';
import { assertBuilt, freePort, runCli, RunningCli, waitForHttp } from './support/processes';

const TOKEN = 'request-log-admin-token-0123456789abcdef';

/** The request log of a running main job: one compact line at info, the full request at debug. */
describe('request log', () => {
  jest.setTimeout(180_000);
  let db: TestDatabase;
  const running: RunningCli[] = [];

  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase();
  });

  afterAll(async () => {
    for (const r of running) {
      if (r.child.exitCode === null) r.child.kill('SIGTERM');
      await r.exited;
    }
    await db.drop();
  });

  async function logOf(level: string, requestId: string): Promise<Record<string, unknown>> {
    const port = await freePort();
    const r = runCli(['start'], {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      PORT: String(port),
      ALLMENDE_DEMO_DATA: 'false',
      ALLMENDE_ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: level,
    });
    running.push(r);
    await waitForHttp(`http://127.0.0.1:${port}/health`, 120_000, r);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/municipalities?limit=1`, {
      headers: { Authorization: `Bearer ${TOKEN}`, 'X-Request-Id': requestId },
    });
    expect(res.status).toBe(200);
    for (let i = 0; i < 300 && !r.output().includes(requestId); i++)
      await new Promise((ok) => setTimeout(ok, 100));
    const lines = r
      .output()
      .split('\n')
      .filter((l) => l.includes(requestId) && l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  it('writes one compact line per request at info, and the whole request at debug', async () => {
    const [info, debug] = await Promise.all([logOf('info', 'log-info-1'), logOf('debug', 'log-debug-1')]);

    expect(info).toMatchObject({ level: 30, reqId: 'log-info-1' });
    expect(info.msg).toMatch(/^GET \/api\/v1\/municipalities\?limit=1 200 \d+ms$/);
    expect(info).not.toHaveProperty('req');
    expect(info).not.toHaveProperty('res');
    expect(JSON.stringify(info).length).toBeLessThan(300);

    expect(debug.msg).toMatch(/^GET \/api\/v1\/municipalities\?limit=1 200 \d+ms$/);
    const req = debug.req as { method: string; url: string; headers: Record<string, string> };
    expect(req).toMatchObject({ method: 'GET', url: '/api/v1/municipalities?limit=1' });
    expect(req.headers['x-request-id']).toBe('log-debug-1');
    expect(req.headers.authorization).toBe('[Redacted]');
    expect(JSON.stringify(debug)).not.toContain(TOKEN);
    expect(debug).toHaveProperty('res');
  });
});
