import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { assertBuilt, freePort, ROOT } from './support/processes';

/** BullMQ loses jobs when Redis evicts keys: the worker refuses such a Redis with one clear line. */
describe('worker against a Redis that evicts keys', () => {
  let redis: ChildProcess | undefined;

  afterAll(() => {
    redis?.kill('SIGKILL');
  });

  it('refuses to start, naming the policy and what to set', async () => {
    assertBuilt();
    const port = await freePort();
    // A private server: the shared one must not be reconfigured.
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--save', '', '--maxmemory-policy', 'allkeys-lru'],
      {
        stdio: 'ignore',
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    const child = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        '-r',
        './register-paths.js',
        path.join(ROOT, 'dist/apps/worker/src/main.js'),
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/allmende_never_used',
          REDIS_URL: `redis://127.0.0.1:${port}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(out.trim()).toBe(
      `allmende could not start: Redis at redis://127.0.0.1:${port} has maxmemory-policy allkeys-lru; the worker needs noeviction (BullMQ loses jobs when keys are evicted): set maxmemory-policy noeviction.`,
    );
  });
});
