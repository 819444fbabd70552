/**
 * Where the floor's CPU goes (issue #14): `npm run bench:profile`.
 *
 * Starts the real API process (as the bench does, `node --cpu-prof`) on a fresh database, sends
 * BENCH_PROFILE_REQUESTS (20,000) floor requests (the bench's POST /bookings answered 422 before any
 * database work) with 16 in flight, stops the API and reads the V8 CPU profile it wrote: self time
 * per function (top 25), and per part of the stack (Node's HTTP, Express, Nest, validation, …),
 * in microseconds per request.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@allmende/testing';
import { ApiClient, fixed, runConcurrent, startApi, table } from './bookings-support';

const REQUESTS = Number(process.env.BENCH_PROFILE_REQUESTS) || 20_000;
const CONCURRENCY = 16;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The part of the stack a function belongs to, from its file. */
export function partOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(idle)' || name === '(program)') return name;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (pkg.startsWith('@nestjs/')) return `Nest (${pkg})`;
    if (
      ['express', 'router', 'body-parser', 'raw-body', 'finalhandler', 'send', 'serve-static'].includes(pkg)
    )
      return 'Express (router, body parser)';
    if (['pino', 'pino-http', 'nestjs-pino', 'sonic-boom', 'fast-redact'].includes(pkg))
      return 'logging (pino)';
    if (['class-validator', 'class-transformer', 'validator', 'libphonenumber-js'].includes(pkg))
      return 'validation (class-validator/-transformer)';
    if (pkg === 'rxjs') return 'rxjs (Nest interceptors)';
    return pkg;
  }
  if (url.startsWith('node:') || url === '' || !url.includes('/'))
    return 'Node (http, streams, timers, builtins)';
  if (url.includes('/dist/')) return 'allmende code';
  return 'other';
}

export function summarise(profile: Profile): {
  self: Map<string, number>;
  parts: Map<string, number>;
  totalUs: number;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map<string, number>();
  const parts = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    totalUs += us;
    const file = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
    const key = `${name} ${file}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const part = partOf(n.callFrame.url, name);
    parts.set(part, (parts.get(part) ?? 0) + us);
  }
  return { self, parts, totalUs };
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-profile-'));
  try {
    const proc = await startApi(db.url, {}, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const api = new ApiClient(proc.port, CONCURRENCY);
    const municipality = randomUUID();
    const post = () =>
      api.request('POST', '/bookings', {
        resourceId: randomUUID(),
        municipalityId: municipality,
        start: '2026-03-02T10:00:00+01:00',
        end: '2026-03-02T08:00:00+01:00',
      });
    const first = await post();
    if (first.status !== 422) throw new Error(`expected 422, got ${first.status} ${first.body}`);
    await runConcurrent(2000, CONCURRENCY, async () => void (await post()));
    const run = await runConcurrent(REQUESTS, CONCURRENCY, async () => {
      const res = await post();
      if (res.status !== 422) throw new Error(String(res.status));
    });
    api.close();
    await proc.stop();
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the API wrote no CPU profile');
    const { self, parts, totalUs } = summarise(
      JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Profile,
    );
    const all = 2000 + REQUESTS + 1;
    const perReq = (us: number) => fixed(us / all, 1);
    process.stdout.write(
      `floor profile: ${REQUESTS} requests, ${CONCURRENCY} in flight, ${fixed(REQUESTS / run.seconds, 0)} req/s, ` +
        `${run.failures.length} failed; profiled CPU (start-up included) ${fixed(totalUs / 1000, 0)} ms, ` +
        `${perReq(totalUs)} µs per request\n`,
    );
    const top = (m: Map<string, number>, n: number) =>
      [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
    process.stdout.write(
      table(
        'CPU per request by part of the stack (self time)',
        ['part', 'µs/request', 'share'],
        top(parts, 20).map(([k, us]) => [k, perReq(us), `${fixed((100 * us) / totalUs, 1)} %`]),
      ) + '\n',
    );
    process.stdout.write(
      table(
        'Top 25 functions by self time',
        ['function', 'µs/request', 'share'],
        top(self, 25).map(([k, us]) => [k, perReq(us), `${fixed((100 * us) / totalUs, 1)} %`]),
      ) + '\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`profile failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
