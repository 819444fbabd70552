import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pg } from './notification-world';
import { ROOT } from './processes';

/** Helpers of the fault suites (`npm run test:faults`): real processes, killed by signal. */

export const WORKER = path.join(ROOT, 'dist/apps/worker/src/main.js');
export const API = path.join(ROOT, 'dist/apps/api/src/main.js');
export const CLI = path.join(ROOT, 'dist/apps/cli/src/main.js');

export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts a compiled entry point (worker, API or CLI) with a clean environment plus `env`. */
export function start(script: string, env: Record<string, string>, args: string[] = []): Proc {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'REDIS_URL', 'NODE_OPTIONS', 'PORT', 'SMTP_URL'].includes(k),
    ),
  );
  const child = spawn(
    process.execPath,
    ['--experimental-vm-modules', '-r', './register-paths.js', script, ...args],
    {
      cwd: ROOT,
      env: { ...base, LOG_LEVEL: 'warn', ALLMENDE_MAIL_LEASE_SECONDS: '2', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, and SIGKILL after 10 s if the process has not ended by then. */
export async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGTERM');
    const killer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
    await p.exited;
    clearTimeout(killer);
  }
}

export async function kill(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

/** A private redis-server (never the shared one, whose other users a restart would disturb). */
export function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
}

export async function redisUp(port: number): Promise<void> {
  const IORedis = (await import('ioredis')).default;
  await until(
    `redis on ${port}`,
    async () => {
      const r = new IORedis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await r.connect();
        return (await r.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        r.disconnect();
      }
    },
    10_000,
  );
}

export const ADMIN = 'fault-admin-token-0123456789abcdef0123456789';

export interface Api {
  proc: Proc;
  port: number;
}

export interface Answer {
  status: number;
  retryAfter: string | null;
  body: { id?: string; code?: string };
}

/** One request as the admin; 0 when nothing answered. */
export async function once(api: Api, method: string, path: string, body?: unknown): Promise<Answer> {
  try {
    const r = await fetch(`http://127.0.0.1:${api.port}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let parsed: Answer['body'] = {};
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      // not JSON
    }
    return { status: r.status, retryAfter: r.headers.get('retry-after'), body: parsed };
  } catch {
    return { status: 0, retryAfter: null, body: {} };
  }
}

export const OVERLAPS_SQL = `
  SELECT count(*) AS n FROM bookings a JOIN bookings b
    ON a.resource_id = b.resource_id AND a.id < b.id AND a.status = 'active' AND b.status = 'active'
   AND tstzrange(a.blocked_start, a.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)`;

export const countOf = async (url: string, sql: string, params: unknown[] = []) =>
  Number((await pg<{ n: string }>(url, sql, params))[0].n);

export const tally = (statuses: number[]) =>
  Object.entries(statuses.reduce<Record<string, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {}))
    .map(([s, n]) => `${n}× ${s}`)
    .join(', ');
