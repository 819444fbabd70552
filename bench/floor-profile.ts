/**
 * Where the floor's CPU goes (issue #14): `npm run bench:profile`.
 *
 * Starts the real API process (as the bench does, `node --cpu-prof`) on a fresh database, sends
 * BENCH_PROFILE_REQUESTS (20,000) floor requests (the bench's POST /bookings answered 422 before any
 * database work) with 16 in flight, stops the API and reads the V8 CPU profile it wrote: self time
 * per function (top 25), and per part of the stack (Node's HTTP, Express, Nest, validation, …),
 * in microseconds per request. BENCH_PROFILE_MODE=create profiles real creates instead (the
 * bench's 1,000 machines seeded first; 5,000 creates unless BENCH_PROFILE_REQUESTS says);
 * BENCH_PROFILE_MODE=search profiles availability searches (the same machines with 5,000 bookings
 * in the first 20 working days, BENCH_PROFILE_SEARCH_BOOKINGS up to 20,000; 1,000 searches over
 * those 4 weeks, one at a time).
 * BENCH_PROFILE_KEEP=<file> keeps the raw .cpuprofile.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '@allmende/testing';
import { bookMorning, localInstant, seedRegion, TYPES, workingDays } from './bookings-data';
import { ApiClient, fixed, runConcurrent, startApi, table } from './bookings-support';

const MODE = process.env.BENCH_PROFILE_MODE ?? 'floor';
if (!['floor', 'create', 'search'].includes(MODE))
  throw new Error(`BENCH_PROFILE_MODE must be floor, create or search, not ${MODE}`);
const CREATE = MODE === 'create';
const SEARCH = MODE === 'search';
const REQUESTS =
  Number(process.env.BENCH_PROFILE_REQUESTS) || { floor: 20_000, create: 5_000, search: 1_000 }[MODE]!;
const WARMUP = { floor: 2000, create: 500, search: 50 }[MODE]!;
/** Searches run one at a time, as in the booking bench's growth part. */
const CONCURRENCY = SEARCH ? 1 : 16;
/**
 * Search mode: bookings created first, so that searches find busy time: 5 per machine, or up to 20
 * (one each working day of the 4 weeks) with BENCH_PROFILE_SEARCH_BOOKINGS (≤ 20,000).
 */
const SEARCH_BOOKINGS = Math.min(20_000, Number(process.env.BENCH_PROFILE_SEARCH_BOOKINGS) || 5000);

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
    if (
      pkg === 'fastify' ||
      pkg.startsWith('@fastify/') ||
      [
        'find-my-way',
        'avvio',
        'light-my-request',
        'fast-querystring',
        'secure-json-parse',
        'toad-cache',
      ].includes(pkg)
    )
      return 'Fastify (router, hooks, reply)';
    if (['pino', 'pino-http', 'nestjs-pino', 'sonic-boom', 'fast-redact', '@pinojs/redact'].includes(pkg))
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

/**
 * Self time per function and per part, from the samples taken within [fromUs, toUs] (V8's
 * timestamps and process.hrtime are the same monotonic clock): the measured requests only.
 * Sample intervals are wall time: on a busy machine, time the API waited for a core is charged to
 * whatever it was doing (mostly the socket writes).
 */
export function summarise(
  profile: Profile,
  fromUs = -Infinity,
  toUs = Infinity,
): { self: Map<string, number>; parts: Map<string, number>; totalUs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= fromUs && at <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
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

/** User + system CPU seconds of a process, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-profile-'));
  try {
    // One API process: the profile is of the process that serves.
    const proc = await startApi(db.url, { ALLMENDE_API_PROCESSES: '1' }, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
    ]);
    const api = new ApiClient(proc.port, CONCURRENCY);
    const municipality = randomUUID();
    const region = CREATE || SEARCH ? await seedRegion(api) : null;
    const days = workingDays('2027-02-01', '2028-01-01');
    let k = 0;
    if (region && SEARCH) {
      // Machine i mod 1000 on evenly spread days of the first 20 working days (every 4th with 5 per
      // machine), 08:00–10:00: busy time in every search.
      const perMachine = Math.ceil(SEARCH_BOOKINGS / region.machines.length);
      const made = await runConcurrent(SEARCH_BOOKINGS, 16, async (i) => {
        const machine = region.machines[i % region.machines.length];
        const day = days[Math.floor((Math.floor(i / region.machines.length) * 20) / perMachine)];
        const res = await bookMorning(api, machine, day);
        if (res.status !== 201) throw new Error(`${res.status} ${res.body.slice(0, 200)}`);
      });
      if (made.failures.length > 0) throw new Error(`search mode: ${made.failures[0].message}`);
    }
    // Search: a 4-week window from the first working day, one type in one pool, a member's site.
    const search = (r: NonNullable<typeof region>) => {
      const i = k++;
      const poolId = r.poolIds[i % r.poolIds.length];
      const site = r.members.get(poolId)![i % r.members.get(poolId)!.length];
      const type = TYPES[i % TYPES.length];
      return api.request(
        'GET',
        `/availability?poolId=${poolId}&type=${type}&from=${encodeURIComponent(localInstant(days[0], 0))}` +
          `&to=${encodeURIComponent(localInstant(days[20], 0))}&municipalityId=${site}`,
      );
    };
    // Floor: end before start, answered 422 before any query. Create: machine k mod 1000 on its
    // (k div 1000)-th working day, 08:00–10:00, never a conflict.
    const post = () => {
      if (!region) {
        return api.request('POST', '/bookings', {
          resourceId: randomUUID(),
          municipalityId: municipality,
          start: '2026-03-02T10:00:00+01:00',
          end: '2026-03-02T08:00:00+01:00',
        });
      }
      if (SEARCH) return search(region);
      const i = k++;
      const machine = region.machines[i % region.machines.length];
      const day = days[Math.floor(i / region.machines.length)];
      return bookMorning(api, machine, day);
    };
    const expected = { floor: 422, create: 201, search: 200 }[MODE]!;
    const first = await post();
    if (first.status !== expected) throw new Error(`expected ${expected}, got ${first.status} ${first.body}`);
    await runConcurrent(WARMUP, CONCURRENCY, async () => void (await post()));
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const cpu0 = cpuSeconds(proc.pid);
    const run = await runConcurrent(REQUESTS, CONCURRENCY, async () => {
      const res = await post();
      if (res.status !== expected) throw new Error(String(res.status));
    });
    const toUs = Number(process.hrtime.bigint() / 1000n);
    const cpuUs = (cpuSeconds(proc.pid) - cpu0) * 1e6;
    api.close();
    await proc.stop();
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the API wrote no CPU profile');
    // BENCH_PROFILE_KEEP=<file>: the raw profile too, for Chrome's DevTools or a closer look.
    if (process.env.BENCH_PROFILE_KEEP) fs.copyFileSync(path.join(dir, file), process.env.BENCH_PROFILE_KEEP);
    const { self, parts, totalUs } = summarise(
      JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Profile,
      fromUs,
      toUs,
    );
    // The profile's shares of the API's real CPU time (from /proc) over the measured requests.
    const perReq = (us: number) => fixed(((us / Math.max(1, totalUs)) * cpuUs) / REQUESTS, 1);
    process.stdout.write(
      `${MODE} profile: ${REQUESTS} requests, ${CONCURRENCY} in flight, ${fixed(REQUESTS / run.seconds, 0)} req/s, ` +
        `${run.failures.length} failed; API process CPU ${fixed(cpuUs / 1000, 0)} ms (/proc), ` +
        `${perReq(totalUs)} µs per request, split by the profile's samples taken meanwhile\n`,
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
