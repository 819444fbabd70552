import request from 'supertest';
import { Client } from 'pg';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const eschwege = {
  name: 'Eschwege',
  ags: '06636003',
  population: 19500,
  location: { lat: 51.185, lon: 10.056 },
};

describe('API platform (real PostgreSQL and Redis)', () => {
  let stack: TestStack;
  const http = () => request(stack.api.getHttpServer());

  async function countMunicipalities(): Promise<number> {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return Number((await client.query('SELECT count(*) FROM municipalities')).rows[0].count);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    stack = await startTestStack({ env: { ALLMENDE_BODY_LIMIT: '2kb' } });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('reports database and queue ready on /health and /api/v1/health', async () => {
    for (const path of ['/health', '/api/v1/health']) {
      const res = await http().get(path).expect(200);
      expect(res.body.details).toEqual({ database: { status: 'up' }, queue: { status: 'up' } });
    }
  });

  it('serves the OpenAPI document', async () => {
    const res = await http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/api/v1/municipalities');
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await http().get('/health').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await http().get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const res = await http().get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  describe('problem+json', () => {
    it('401 without a token and with an unknown one', async () => {
      for (const header of [{}, { Authorization: 'Bearer nope' }, { Authorization: 'Basic abc' }]) {
        const res = await http().get('/api/v1/municipalities').set(header).expect(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED', title: 'Nicht angemeldet' });
      }
    });

    it('404 for unknown routes and malformed ids', async () => {
      await http().get('/api/v1/nothing-here').set(auth).expect(404);
      const res = await http().get('/api/v1/municipalities/not-a-uuid').set(auth).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
      await http().get('/api/v1/municipalities/5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77').set(auth).expect(404);
    });

    it('400 for malformed JSON, nothing written', async () => {
      const res = await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(await countMunicipalities()).toBe(0);
    });

    it('413 for a body over the limit', async () => {
      const res = await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .send({ ...eschwege, name: 'x'.repeat(5000) })
        .expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('422 with every field named, for unknown fields and bad values, nothing written', async () => {
      const res = await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .send({ name: '', ags: '123', population: -5, location: { lat: 200, lon: 10 }, createdBy: 'me' })
        .expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['name', 'ags', 'population', 'location.lat', 'createdBy']),
      );
      expect(await countMunicipalities()).toBe(0);
    });

    it('422 for a page size over the limit', async () => {
      const res = await http().get('/api/v1/municipalities?limit=501').set(auth).expect(422);
      expect(res.body.errors[0].field).toBe('limit');
      await http().get('/api/v1/municipalities?cursor=garbage').set(auth).expect(422);
    });
  });

  describe('municipalities and idempotency', () => {
    it('creates, replays a retry, refuses a reused key with another body', async () => {
      const first = await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .set('Idempotency-Key', 'k1')
        .send(eschwege)
        .expect(201);
      const retry = await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .set('Idempotency-Key', 'k1')
        .send(eschwege)
        .expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');

      const reused = await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .set('Idempotency-Key', 'k1')
        .send({ ...eschwege, population: 1 })
        .expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await countMunicipalities()).toBe(1);

      const duplicate = await http().post('/api/v1/municipalities').set(auth).send(eschwege).expect(409);
      expect(duplicate.body.code).toBe('CONFLICT');
      expect(await countMunicipalities()).toBe(1);
    });

    it('lets a key whose first attempt failed be retried', async () => {
      await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .set('Idempotency-Key', 'k2')
        .send({ ...eschwege, ags: 'bad' })
        .expect(422);
      await http()
        .post('/api/v1/municipalities')
        .set(auth)
        .set('Idempotency-Key', 'k2')
        .send({ ...eschwege, name: 'Witzenhausen', ags: '06636016' })
        .expect(201);
    });

    it('pages in a stable order', async () => {
      for (const [i, name] of ['Sontra', 'Meinhard', 'Ringgau'].entries()) {
        await http()
          .post('/api/v1/municipalities')
          .set(auth)
          .send({ ...eschwege, name, ags: `0663610${i}` })
          .expect(201);
      }
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await http()
          .get('/api/v1/municipalities')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auth)
          .expect(200);
        names.push(...res.body.items.map((m: { name: string }) => m.name));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(names).toEqual(['Eschwege', 'Meinhard', 'Ringgau', 'Sontra', 'Witzenhausen']);
    });
  });
});
