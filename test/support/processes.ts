import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/apps/cli/src/main.js');

/** The black-box suites run the compiled CLI, exactly as `npm start` does (`npm test` builds first). */
export function assertBuilt(): void {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it) first');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Runs the CLI with a clean environment: no DATABASE_URL/REDIS_URL unless given. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { input?: string } = {},
): RunningCli {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !['DATABASE_URL', 'REDIS_URL', 'NODE_OPTIONS', 'PORT'].includes(k),
    ),
  );
  const child = spawn(
    process.execPath,
    ['--experimental-vm-modules', '-r', './register-paths.js', CLI, ...args],
    {
      cwd: ROOT,
      env: { ...base, LOG_LEVEL: 'warn', ...env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    },
  );
  if (options.input !== undefined) child.stdin?.end(options.input);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitForHttp(url: string, timeoutMs: number, running?: RunningCli): Promise<Response> {
  const until = Date.now() + timeoutMs;
  let exitedEarly = false;
  void running?.exited.then(() => (exitedEarly = true));
  for (;;) {
    if (exitedEarly) throw new Error(`process exited before ${url} answered:\n${running?.output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return res;
    } catch {
      // not up yet
    }
    if (Date.now() > until)
      throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${running?.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function rssMegabytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
