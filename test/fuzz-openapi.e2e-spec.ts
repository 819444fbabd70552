import fc from 'fast-check';
import request from 'supertest';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { buildWorld, World } from './support/world';

/**
 * Every operation of the OpenAPI document (`/docs-json`), probed with hostile input: the API
 * answers everything a client can send with a 4xx, never a 500, never a 2xx to invalid input,
 * and authorization holds. It reads the document, so routes added later are covered unchanged.
 *
 * Run alone: `NODE_OPTIONS=--experimental-vm-modules npx jest test/fuzz-openapi.e2e-spec.ts`
 * (FUZZ_CASES=n per operation and role, FUZZ_SEED=s; defaults 24 and 20261201).
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  example?: unknown;
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: unknown[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** What a case may answer: any 4xx only, or anything but a 5xx (valid input, state decides). */
type Expect = '4xx' | 'not5xx';
interface Case {
  label: string;
  path: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  expect: Expect;
  /** Field-level mutations are sampled; the rest (shapes, encodings, cursors, ids) always run. */
  sampled?: boolean;
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.FUZZ_CASES ?? 24);
const UNKNOWN_ID = '7d0d3c2e-4b1a-4c8e-9f00-000000000000';
const BASE_INSTANT = '2026-06-10T08:00:00+02:00';
const LATER_INSTANT = '2026-06-10T12:00:00+02:00';

const hostileStrings = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  'A'.repeat(200_000),
  '',
  ' ',
  '%00',
  '../../etc/passwd',
  "'; DROP TABLE bookings; --",
  '\u202e\u0007',
];
const hostileNumbers: unknown[] = [
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  1e308,
  -1,
  -1e308,
  1.5,
  0.0001,
  Number.MAX_SAFE_INTEGER + 2,
];
const hostileInstants = [
  '2026-06-10T08:00:00+25:00',
  '2026-06-10T08:00:00',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30T08:00:00+01:00',
  '2026-06-10T24:61:00Z',
  '2026-06-10 08:00:00 01:00',
  '275760-09-13T00:00:00Z',
];
const hostileDates = ['0001-01-01', '9999-12-31', '2026-13-01', '2026-02-30', '26-01-01', '2026-1-1'];

function resolve(doc: OpenApi, s: Schema | undefined): Schema {
  if (!s) return {};
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]);
  if (s.allOf) {
    const parts = s.allOf.map((p) => resolve(doc, p));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<string, Schema>,
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  return s;
}

function isInstantField(name: string, s: Schema): boolean {
  return (
    s.format === 'date-time' ||
    /^(start|end|from|to)$/.test(name) ||
    (typeof s.example === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(s.example))
  );
}
function isDateField(s: Schema): boolean {
  return s.format === 'date' || (typeof s.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.example));
}
function isIdField(name: string, s: Schema): boolean {
  return s.format === 'uuid' || /(^id$|Id$)/.test(name);
}

/** A valid value for a field, with the world's ids where the name says which. */
function validValue(doc: OpenApi, name: string, raw: Schema, world: World, depth = 0): unknown {
  const s = resolve(doc, raw);
  if (s.enum?.length) return s.enum[0];
  if (s.type === 'array') {
    if (/poolIds/.test(name)) return [world.pools.P1];
    const item = resolve(doc, s.items);
    if (item.type === 'object' || item.properties) return [validValue(doc, name, item, world, depth + 1)];
    return s.example ?? [];
  }
  if (s.type === 'object' || s.properties) {
    if (depth > 4) return {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if ((s.required ?? []).includes(k)) out[k] = validValue(doc, k, v, world, depth + 1);
    }
    return out;
  }
  if (s.type === 'number' || s.type === 'integer') {
    if (typeof s.example === 'number') return s.example;
    return s.minimum ?? 1;
  }
  if (s.type === 'boolean') return false;
  if (isIdField(name, s)) {
    if (/municipality/i.test(name)) return world.municipalities.A;
    if (/pool/i.test(name)) return world.pools.P1;
    if (/resource/i.test(name)) return world.resources.R1;
    return UNKNOWN_ID;
  }
  if (isInstantField(name, s)) return /^(end|to)$/.test(name) ? LATER_INSTANT : BASE_INSTANT;
  if (s.example !== undefined) return s.example;
  if (name === 'email') return 'fuzz@example.test';
  return 'fuzz';
}

/** The world's id for a path parameter, by the collection it follows. */
function pathId(world: World, path: string): string {
  if (path.startsWith('/api/v1/municipalities')) return world.municipalities.C;
  if (path.startsWith('/api/v1/pools')) return world.pools.P1;
  if (path.startsWith('/api/v1/resources')) return world.resources.R1;
  if (path.startsWith('/api/v1/bookings')) return world.bookings.C;
  if (path.startsWith('/api/v1/users')) return world.spare.A.id;
  return UNKNOWN_ID;
}

/** Wrong shapes for a field: what a client sends by mistake or on purpose. */
function wrongValues(
  name: string,
  s: Schema,
  required = true,
): { value: unknown; expect: Expect; label: string }[] {
  const out: { value: unknown; expect: Expect; label: string }[] = [];
  // null for an optional field reads as "not given", for a nullable one it is a value (e.g. back to
  // the default); for any other field it is wrong.
  const bad = (value: unknown, label: string) =>
    out.push({ value, expect: value === null && (!required || s.nullable) ? 'not5xx' : '4xx', label });
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type === 'object') {
    bad([], 'array for object');
    bad('x', 'string for object');
    bad(null, 'null for object');
    // A free-form object (additionalProperties: true, e.g. a machine's attributes) takes any shape.
    const shape = { nested: { deeper: [1, { x: null }] } };
    if (s.additionalProperties === true)
      out.push({ value: shape, expect: 'not5xx', label: 'free-form shape' });
    else bad(shape, 'unknown nested shape');
  } else if (type === 'array') {
    bad({}, 'object for array');
    bad('x', 'string for array');
    bad([null], 'null item');
    bad([[]], 'nested array item');
  } else if (type === 'number' || type === 'integer') {
    bad('12', 'string for number');
    bad(null, 'null for number');
    bad(true, 'boolean for number');
    bad([1], 'array for number');
    for (const n of hostileNumbers) {
      const inRange =
        (s.minimum === undefined || (n as number) >= s.minimum) &&
        (s.maximum === undefined || (n as number) <= s.maximum) &&
        (type === 'number' || Number.isInteger(n)) &&
        (n as number) <= 2_147_483_647 &&
        (n as number) >= 0;
      out.push({ value: n, expect: inRange ? 'not5xx' : '4xx', label: `number ${String(n)}` });
    }
  } else if (type === 'boolean') {
    bad('true', 'string for boolean');
  } else {
    bad(12, 'number for string');
    bad(['a'], 'array for string');
    bad({ a: 1 }, 'object for string');
    bad(null, 'null for string');
    for (const h of hostileStrings) {
      // eslint-disable-next-line no-control-regex
      const benign = !/[\u0000\ud800-\udfff]/.test(h) && h.length < 1000 && !s.enum && !isIdField(name, s);
      // Free text may hold odd but harmless characters; identifiers, instants and enums may not.
      const free =
        benign &&
        !s.format &&
        !isInstantField(name, s) &&
        !isDateField(s) &&
        (h.trim() !== '' || !s.minLength);
      out.push({
        value: h,
        expect: free ? 'not5xx' : '4xx',
        label: `string ${JSON.stringify(h.slice(0, 12))}${h.length > 12 ? `…(${h.length})` : ''}`,
      });
    }
    if (isIdField(name, s)) {
      bad('not-a-uuid', 'malformed id');
      out.push({ value: UNKNOWN_ID, expect: 'not5xx', label: 'unknown id' });
    }
    if (isInstantField(name, s)) for (const i of hostileInstants) bad(i, `instant ${i}`);
    if (isDateField(s)) for (const d of hostileDates) bad(d, `date ${d}`);
    if (/rrule/i.test(name)) {
      bad('FREQ=DAILY;BYHOUR=99;COUNT=3', 'rrule BYHOUR=99');
      bad('FREQ=SECONDLY;COUNT=100000', 'rrule secondly');
      bad('FREQ=DAILY', 'rrule without end');
      bad('DTSTART:00010101T000000Z\nRRULE:FREQ=DAILY;COUNT=2', 'rrule year 1');
    }
  }
  return out;
}

/** Every hostile case of one operation: per field, plus shapes, cursors, encodings, nesting. */
function casesFor(doc: OpenApi, world: World, path: string, method: string, op: Operation): Case[] {
  const params = (op.parameters ?? []).filter((p) => p.in !== 'header');
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const bodySchema = op.requestBody
    ? resolve(doc, Object.values(op.requestBody.content)[0]?.schema)
    : undefined;
  const basePath = Object.fromEntries(pathParams.map((p) => [p.name, pathId(world, path)]));
  const baseQuery: Record<string, string> = {};
  for (const q of queryParams) {
    if (q.required) baseQuery[q.name] = String(validValue(doc, q.name, q.schema ?? {}, world));
  }
  const baseBody = bodySchema ? validValue(doc, 'body', bodySchema, world) : undefined;
  const all: Case[] = [];
  const add = (c: Omit<Case, 'path' | 'query'> & Partial<Pick<Case, 'path' | 'query'>>) =>
    all.push({ path: basePath, query: baseQuery, ...c });

  add({ label: 'valid base', body: baseBody, expect: 'not5xx' });
  for (const p of pathParams) {
    add({ label: `path ${p.name} malformed`, path: { ...basePath, [p.name]: 'x%00y' }, expect: '4xx' });
    add({ label: `path ${p.name} unknown`, path: { ...basePath, [p.name]: UNKNOWN_ID }, expect: '4xx' });
    add({
      label: `path ${p.name} upper-case`,
      path: { ...basePath, [p.name]: basePath[p.name].toUpperCase() },
      body: baseBody,
      expect: 'not5xx',
    });
    add({
      label: `path ${p.name} lone surrogate`,
      path: { ...basePath, [p.name]: '%ED%A0%80' },
      expect: '4xx',
    });
  }
  for (const q of queryParams) {
    const s = resolve(doc, q.schema);
    for (const w of wrongValues(q.name, s, q.required ?? false)) {
      if (typeof w.value !== 'string' && typeof w.value !== 'number') continue;
      // A query string carries text: "12" is a fine number there.
      const expect = w.label === 'string for number' ? 'not5xx' : w.expect;
      add({
        label: `query ${q.name}: ${w.label}`,
        query: { ...baseQuery, [q.name]: String(w.value) },
        expect,
        sampled: true,
      });
    }
    if (q.name === 'cursor') {
      const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const [label, value] of [
        ['garbage', 'not-a-cursor'],
        ['ids not uuids', forged({ id: 'x', startAt: 'y', email: 'z', name: 'n', createdAt: 'c' })],
        [
          'instants out of range',
          forged({ id: UNKNOWN_ID, startAt: '0001-01-01T00:00:00Z', name: 1, email: 2 }),
        ],
        ['NUL in cursor', forged({ id: '\u0000', startAt: '\u0000', email: '\u0000', name: '\u0000' })],
        ['array', forged([1, 2])],
      ])
        add({ label: `cursor ${label}`, query: { ...baseQuery, cursor: value }, expect: '4xx' });
    }
  }
  if (queryParams.some((q) => q.name === 'from') && queryParams.some((q) => q.name === 'to')) {
    add({
      label: 'reversed window',
      query: { ...baseQuery, from: LATER_INSTANT, to: BASE_INSTANT },
      expect: '4xx',
    });
    add({
      label: 'offset as a space (unencoded +)',
      query: { ...baseQuery, from: '2026-06-10T08:00:00 02:00', to: '2026-06-10T12:00:00 02:00' },
      expect: 'not5xx',
    });
  }
  if (bodySchema && baseBody && typeof baseBody === 'object') {
    add({ label: 'body array for object', body: [baseBody], expect: '4xx' });
    add({ label: 'body null', rawBody: 'null', expect: '4xx' });
    add({ label: 'body string', rawBody: '"x"', expect: '4xx' });
    add({ label: 'body not JSON', rawBody: '{"a":', expect: '4xx' });
    add({ label: 'unknown field', body: { ...baseBody, isAdmin: true }, expect: '4xx' });
    add({ label: 'prototype pollution', rawBody: '{"__proto__":{"admin":true}}', expect: '4xx' });
    add({
      label: 'deep nesting',
      rawBody: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
      expect: '4xx',
    });
    add({ label: 'deep arrays', rawBody: `${'['.repeat(20000)}${']'.repeat(20000)}`, expect: '4xx' });
    add({
      label: 'gzip on a plain body',
      rawBody: JSON.stringify(baseBody),
      headers: { 'Content-Encoding': 'gzip' },
      expect: '4xx',
    });
    add({
      label: 'unknown encoding',
      rawBody: JSON.stringify(baseBody),
      headers: { 'Content-Encoding': 'br, x-custom' },
      expect: '4xx',
    });
    add({
      label: 'latin-1 charset',
      rawBody: JSON.stringify(baseBody),
      headers: { 'Content-Type': 'application/json; charset=latin1' },
      expect: 'not5xx',
    });
    add({
      label: 'invalid UTF-8 bytes',
      rawBody: '{"name":"\xff\xfe"}',
      headers: { 'Content-Type': 'application/json' },
      expect: '4xx',
    });
    const props = Object.entries(bodySchema.properties ?? {});
    for (const [name, raw] of props) {
      const s = resolve(doc, raw);
      for (const w of wrongValues(name, s, (bodySchema.required ?? []).includes(name))) {
        add({
          label: `body ${name}: ${w.label}`,
          body: { ...baseBody, [name]: w.value },
          expect: w.expect,
          sampled: true,
        });
      }
      if (s.type === 'object' || s.properties) {
        const nested = validValue(doc, name, s, world) as Record<string, unknown>;
        for (const [inner, innerRaw] of Object.entries(s.properties ?? {})) {
          for (const w of wrongValues(inner, resolve(doc, innerRaw), (s.required ?? []).includes(inner))) {
            add({
              label: `body ${name}.${inner}: ${w.label}`,
              body: { ...baseBody, [name]: { ...nested, [inner]: w.value } },
              expect: w.expect,
              sampled: true,
            });
          }
        }
        if (s.properties?.start && s.properties?.end) {
          add({
            label: `body ${name} reversed`,
            body: { ...baseBody, [name]: { start: LATER_INSTANT, end: BASE_INSTANT } },
            expect: '4xx',
          });
        }
      }
    }
    if (bodySchema.properties?.start && bodySchema.properties?.end) {
      add({
        label: 'body reversed window',
        body: { ...baseBody, start: LATER_INSTANT, end: BASE_INSTANT },
        expect: '4xx',
      });
      add({
        label: 'body year 1 to 9999',
        body: { ...baseBody, start: '0001-01-01T00:00:00Z', end: '9999-12-31T00:00:00Z' },
        expect: '4xx',
      });
    }
  }
  // Deterministic selection: every structural case, and a seeded sample of the field mutations.
  const fixed = all.filter((c) => !c.sampled);
  const pool = all.filter((c) => c.sampled);
  const room = Math.max(CASES - fixed.length, Math.min(8, pool.length));
  const seed = SEED + [...`${method} ${path}`].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 0);
  const picked = fc.sample(fc.shuffledSubarray(pool, { minLength: Math.min(room, pool.length) }), {
    seed,
    numRuns: 1,
  })[0];
  return [...fixed, ...picked.slice(0, room)];
}

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) =>
    /%[0-9A-F]{2}/i.test(params[k]) ? params[k] : encodeURIComponent(params[k]),
  );
}

describe('every bad input gets a 4xx (schema-driven fuzz over /docs-json)', () => {
  jest.setTimeout(240_000);
  let stack: TestStack;
  let world: World;

  beforeAll(async () => {
    // With the worker, diagnoses finish at once instead of GET bottlenecks waiting 20 s for one.
    stack = await startTestStack({ worker: true, env: { ALLMENDE_RATE_LIMIT: '1000000' } });
    world = await buildWorld(stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('documents every operation: a summary, a description and its real success response', async () => {
    const doc = (await request(stack.api.getHttpServer()).get('/docs-json').expect(200)).body as OpenApi;
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.summary?.trim()) missing.push(`${where}: summary`);
        if (!op.description?.trim()) missing.push(`${where}: description`);
        const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
        const typed = success.some(
          ([status, r]) => status === '204' || Object.values(r.content ?? {}).some((c) => c.schema),
        );
        if (!typed) missing.push(`${where}: success response type`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('answers every hostile case of every operation with a 4xx, as admin and as a yard manager', async () => {
    const server = stack.api.getHttpServer();
    const doc = (await request(server).get('/docs-json').expect(200)).body as OpenApi;
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ path, method, op })),
    );
    const callers = [
      { role: 'admin', token: ADMIN_TOKEN },
      { role: 'yard-manager', token: world.own['yard-manager'].token },
    ];
    const began = Date.now();
    const slowest: { op: string; ms: number }[] = [];
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let total = 0;
    for (const caller of callers) {
      for (const { path, method, op } of operations) {
        if (path === '/health' || path === '/api/v1/health') continue;
        const baseline = { status: 0 };
        const opStarted = Date.now();
        for (const c of casesFor(doc, world, path, method, op)) {
          const url = fill(path, c.path);
          let req = request(server)
            [method as 'get'](url)
            .set('Authorization', `Bearer ${caller.token}`)
            .set('Accept-Language', 'en')
            .query(c.query);
          for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
          if (c.rawBody !== undefined) {
            if (!c.headers?.['Content-Type']) req = req.set('Content-Type', 'application/json');
            req = req.send(Buffer.from(c.rawBody, 'latin1'));
          } else if (c.body !== undefined) req = req.send(c.body as object);
          const res = await req;
          total++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (c.label === 'valid base') baseline.status = res.status;
          const where = `${caller.role} ${method.toUpperCase()} ${path} [${c.label}] → ${res.status}`;
          if (res.status >= 500) failures.push(`${where} ${JSON.stringify(res.body).slice(0, 300)}`);
          else if (c.expect === '4xx' && res.status < 400) failures.push(`${where} (wrong 2xx)`);
          else if ((baseline.status === 401 || baseline.status === 403) && res.status < 400)
            failures.push(`${where} (authorization bypassed)`);
          if (caller.role === 'yard-manager' && res.status < 300) {
            const text = JSON.stringify(res.body);
            const leaked = [...world.secrets.B, ...world.secrets.C].filter((s) => text.includes(s));
            if (leaked.length) failures.push(`${where} leaks ${leaked.join(', ')}`);
          }
        }
        const spent = Date.now() - opStarted;
        slowest.push({ op: `${caller.role} ${method.toUpperCase()} ${path}`, ms: spent });
      }
    }
    const counts = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    process.stdout.write(
      `fuzz: ${operations.length} operations × ${callers.length} roles × ≤${CASES} cases = ${total} requests; ` +
        `statuses { ${counts.join(', ')} }; ${failures.length} failures; ${((Date.now() - began) / 1000).toFixed(1)} s\n`,
    );
    slowest.sort((a, b) => b.ms - a.ms);
    process.stdout.write(
      `fuzz: slowest ${slowest
        .slice(0, 3)
        .map((o) => `${o.op} ${(o.ms / 1000).toFixed(1)} s`)
        .join('; ')}\n`,
    );
    expect(failures).toEqual([]);
  });
});
