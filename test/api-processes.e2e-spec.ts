import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '@allmende/testing';
import { API, Proc, start, stop, until } from './support/faults';
import { assertBuilt, freePort, waitForHttp } from './support/processes';
import { ABANDON_START_MS, STARTUP_GRACE_MS } from '../apps/api/src/api-processes';

const ADMIN = 'processes-admin-token-0123456789abcdef0123';

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** `npm run start:api` with ALLMENDE_API_PROCESSES: a supervisor and that many API processes on one port. */
describe('ALLMENDE_API_PROCESSES: several API processes on one port', () => {
  jest.setTimeout(300_000);
  let db: TestDatabase;
  const procs: Proc[] = [];

  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase();
  });

  afterAll(async () => {
    for (const p of procs) await stop(p);
    await db.drop();
  });

  it('serves from two processes, replaces one that dies, and ends them all on SIGTERM', async () => {
    const port = await freePort();
    const supervisor = start(API, {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      PORT: String(port),
      ALLMENDE_ADMIN_TOKEN: ADMIN,
      ALLMENDE_API_PROCESSES: '2',
    });
    procs.push(supervisor);
    const pid = supervisor.child.pid!;
    await waitForHttp(`http://127.0.0.1:${port}/health`, 90_000);
    const listening = () => supervisor.output().match(/API process \d+ listening/g)?.length ?? 0;
    await until('two API processes listening', () => listening() === 2, 120_000);
    const [first] = childrenOf(pid);
    const me = async () =>
      (await fetch(`http://127.0.0.1:${port}/api/v1/me`, { headers: { Authorization: `Bearer ${ADMIN}` } }))
        .status;
    // New connections go to the processes in turn; every one answers.
    for (let i = 0; i < 10; i++) expect(await me()).toBe(200);

    // One SIGKILLed after it had served a while (an end within the start-up grace would mean the
    // API cannot start): another takes its place, the port keeps answering.
    await new Promise((r) => setTimeout(r, STARTUP_GRACE_MS + 1000));
    process.kill(first, 'SIGKILL');
    await until(
      'a new API process',
      () => listening() === 3 && childrenOf(pid).length === 2 && !childrenOf(pid).includes(first),
      120_000,
    );
    await until('answers again', async () => (await me().catch(() => 0)) === 200, 60_000);
    expect(supervisor.output()).toContain(`API process ${first} ended (SIGKILL); starting another`);

    const children = childrenOf(pid);
    supervisor.child.kill('SIGTERM');
    expect(await supervisor.exited).toBe(0);
    for (const child of children) expect(() => process.kill(child, 0)).toThrow();
  });

  it('ends with a clear message when its API processes cannot start', async () => {
    // The port is taken: each API process fails at listen.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const supervisor = start(API, {
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        HOST: '127.0.0.1',
        PORT: String((taken.address() as AddressInfo).port),
        ALLMENDE_ADMIN_TOKEN: ADMIN,
        ALLMENDE_API_PROCESSES: '2',
      });
      procs.push(supervisor);
      expect(await supervisor.exited).not.toBe(0);
      expect(supervisor.output()).toMatch(/ended while starting/);
      expect(supervisor.output()).toContain(
        `port ${(taken.address() as AddressInfo).port} (127.0.0.1) is in use by another program`,
      );
    } finally {
      taken.close();
    }
  });

  it('kills an API process that does not end on SIGTERM after another could not start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'allmende-stuck-'));
    try {
      const started = Date.now();
      const supervisor = start(path.join(__dirname, 'support/fixtures/supervise-stuck.js'), {
        STUCK_DIR: dir,
      });
      procs.push(supervisor);
      expect(await supervisor.exited).toBe(3);
      const stuck = Number(readFileSync(path.join(dir, 'second-ignores-sigterm'), 'utf8'));
      expect(supervisor.output()).toContain(
        `API process ${stuck} did not end on SIGTERM while starting; killing it`,
      );
      expect(() => process.kill(stuck, 0)).toThrow();
      expect(Date.now() - started).toBeGreaterThanOrEqual(ABANDON_START_MS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
