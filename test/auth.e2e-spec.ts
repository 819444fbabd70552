import { createHash } from 'node:crypto';
import request from 'supertest';
import { CREDENTIAL_CACHE_MS, TokensService } from '@allmende/auth';
import { assertBuilt, runCli } from './support/processes';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { buildWorld, sql, World } from './support/world';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('users, API tokens and authentication', () => {
  let stack: TestStack;
  let world: World;
  const http = () => request(stack.api.getHttpServer());
  /**
   * A token's credential is cached for CREDENTIAL_CACHE_MS; a test that edits api_tokens in SQL,
   * behind the API's back (as another process would), skips that wait.
   */
  const forgetCachedCredentials = () => {
    expect(CREDENTIAL_CACHE_MS).toBeLessThanOrEqual(5_000);
    stack.api.get(TokensService).forgetCredentials();
  };

  beforeAll(async () => {
    stack = await startTestStack();
    world = await buildWorld(stack);
  });

  afterAll(async () => {
    await stack.close();
  });

  async function newUser(local: string, role = 'yard-manager', extra: Record<string, unknown> = {}) {
    const res = await http()
      .post('/api/v1/users')
      .set(admin)
      .send({
        email: `${local}@auth.example`,
        name: `User ${local}`,
        role,
        municipalityId: world.municipalities.A,
        ...extra,
      })
      .expect(201);
    return res.body as { id: string; token: string; tokenDetails: { id: string; name: string } };
  }

  describe('401 without a valid token', () => {
    it.each([
      ['no Authorization header', {}],
      ['an empty bearer', { Authorization: 'Bearer ' }],
      ['another scheme', { Authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['an unknown token', { Authorization: 'Bearer alm_thisisnotatokenthisisnotatokenthisisnotatoken' }],
      ['an overlong token', { Authorization: `Bearer ${'x'.repeat(5000)}` }],
    ])('%s', async (_label, header) => {
      const res = await http().get('/api/v1/me').set(header).expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    });
  });

  it('POST /users shows the token once; it is stored only as a SHA-256 hash', async () => {
    const created = await newUser('once');
    expect(created.token).toMatch(/^alm_[A-Za-z0-9_-]{43}$/);
    expect(created.tokenDetails).toMatchObject({ name: 'default', status: 'active' });

    const again = await http().get(`/api/v1/users/${created.id}`).set(admin).expect(200);
    expect(JSON.stringify(again.body)).not.toContain(created.token);
    const tokens = await http().get(`/api/v1/users/${created.id}/tokens`).set(admin).expect(200);
    expect(tokens.body).toHaveLength(1);
    expect(Object.keys(tokens.body[0]).sort()).toEqual(
      [
        'createdAt',
        'createdAtLocal',
        'expiresAt',
        'expiresAtLocal',
        'id',
        'lastUsedAt',
        'lastUsedAtLocal',
        'name',
        'revokedAt',
        'revokedAtLocal',
        'status',
        'userId',
      ].sort(),
    );

    const [row] = await sql<{ token_hash: string }>(
      stack,
      `SELECT token_hash FROM api_tokens WHERE user_id = $1`,
      [created.id],
    );
    expect(row.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    // the secret appears in no table at all
    const tables = await sql<{ table_name: string }>(
      stack,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const hits = await sql(stack, `SELECT 1 FROM ${table_name} t WHERE t::text LIKE '%' || $1 || '%'`, [
        created.token.slice(4),
      ]);
      expect({ table_name, hits: hits.length }).toEqual({ table_name, hits: 0 });
    }
  });

  it('a token speaks for its user: GET /me', async () => {
    const res = await http().get('/api/v1/me').set(bearer(world.own.coordinator.token)).expect(200);
    expect(res.body).toMatchObject({
      role: 'coordinator',
      municipalityId: world.municipalities.A,
      poolIds: [world.pools.P1],
      tokenName: 'default',
      user: { id: world.own.coordinator.id, email: 'coordinator-a@world.example' },
    });
    const boot = await http().get('/api/v1/me').set(admin).expect(200);
    expect(boot.body).toEqual({
      role: 'admin',
      municipalityId: null,
      poolIds: [],
      tokenName: 'ALLMENDE_ADMIN_TOKEN',
      user: null,
    });
  });

  it('records last use, at most once a minute', async () => {
    const u = await newUser('lastused');
    const before = await sql<{ last_used_at: Date | null }>(
      stack,
      `SELECT last_used_at FROM api_tokens WHERE id = $1`,
      [u.tokenDetails.id],
    );
    expect(before[0].last_used_at).toBeNull();
    await http().get('/api/v1/me').set(bearer(u.token)).expect(200);
    const first = await sql<{ last_used_at: Date }>(
      stack,
      `SELECT last_used_at FROM api_tokens WHERE id = $1`,
      [u.tokenDetails.id],
    );
    expect(first[0].last_used_at).toBeInstanceOf(Date);
    await http().get('/api/v1/me').set(bearer(u.token)).expect(200);
    const second = await sql<{ last_used_at: Date }>(
      stack,
      `SELECT last_used_at FROM api_tokens WHERE id = $1`,
      [u.tokenDetails.id],
    );
    expect(second[0].last_used_at.getTime()).toBe(first[0].last_used_at.getTime());
    // a minute later it moves again
    await sql(stack, `UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [
      u.tokenDetails.id,
    ]);
    forgetCachedCredentials();
    await http().get('/api/v1/me').set(bearer(u.token)).expect(200);
    const third = await sql<{ last_used_at: Date }>(
      stack,
      `SELECT last_used_at FROM api_tokens WHERE id = $1`,
      [u.tokenDetails.id],
    );
    expect(Date.now() - third[0].last_used_at.getTime()).toBeLessThan(30_000);
  });

  it('an expired token → 401', async () => {
    const u = await newUser('expired');
    await http().get('/api/v1/me').set(bearer(u.token)).expect(200);
    await sql(stack, `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      u.tokenDetails.id,
    ]);
    forgetCachedCredentials();
    const res = await http().get('/api/v1/me').set(bearer(u.token)).expect(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
    const listed = await http().get(`/api/v1/users/${u.id}/tokens`).set(admin).expect(200);
    expect(listed.body[0].status).toBe('expired');
  });

  it('a revoked token → 401 at once; revoking again is harmless', async () => {
    const u = await newUser('revoked');
    const second = await http()
      .post(`/api/v1/users/${u.id}/tokens`)
      .set(bearer(u.token))
      .send({ name: 'calendar-sync', expiresInDays: 30 })
      .expect(201);
    expect(second.body.token).toMatch(/^alm_/);
    const revoked = await http()
      .post(`/api/v1/tokens/${u.tokenDetails.id}/revoke`)
      .set(bearer(u.token))
      .expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', name: 'default' });
    await http().get('/api/v1/me').set(bearer(u.token)).expect(401);
    await http().get('/api/v1/me').set(bearer(second.body.token)).expect(200);
    const again = await http()
      .post(`/api/v1/tokens/${u.tokenDetails.id}/revoke`)
      .set(bearer(second.body.token))
      .expect(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    // the name is free again once its token is revoked
    await http()
      .post(`/api/v1/users/${u.id}/tokens`)
      .set(bearer(second.body.token))
      .send({ name: 'default' })
      .expect(201);
  });

  it('a disabled user’s tokens → 401', async () => {
    const u = await newUser('disabled');
    await http().get('/api/v1/me').set(bearer(u.token)).expect(200);
    const res = await http().post(`/api/v1/users/${u.id}/disable`).set(admin).expect(200);
    expect(res.body.disabledAt).toEqual(expect.any(String));
    await http().get('/api/v1/me').set(bearer(u.token)).expect(401);
    const issue = await http()
      .post(`/api/v1/users/${u.id}/tokens`)
      .set(admin)
      .send({ name: 'again' })
      .expect(409);
    expect(issue.body.code).toBe('CONFLICT');
  });

  it('tokens are one’s own: others’ tokens are 404 (or 403 where the user is visible)', async () => {
    const yard = world.own['yard-manager'];
    await http()
      .post(`/api/v1/users/${world.foreign.yardManager.id}/tokens`)
      .set(bearer(yard.token))
      .send({ name: 'sneaky' })
      .expect(404);
    await http()
      .get(`/api/v1/users/${world.foreign.yardManager.id}/tokens`)
      .set(bearer(yard.token))
      .expect(404);
    await http()
      .post(`/api/v1/tokens/${world.foreign.yardManager.tokenId}/revoke`)
      .set(bearer(yard.token))
      .expect(404);
    // the coordinator sees the yard-manager of its municipality, but may not mint tokens for it
    const coord = await http()
      .post(`/api/v1/users/${yard.id}/tokens`)
      .set(bearer(world.own.coordinator.token))
      .send({ name: 'on-behalf' })
      .expect(403);
    expect(coord.body.code).toBe('FORBIDDEN');
    await http().get('/api/v1/me').set(bearer(world.foreign.yardManager.token)).expect(200);
  });

  it('a live token name is unique per user → 409', async () => {
    const u = await newUser('dupname');
    const res = await http()
      .post(`/api/v1/users/${u.id}/tokens`)
      .set(bearer(u.token))
      .send({ name: 'default' })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT', field: 'name' });
  });

  describe('POST /users refuses bad input, and writes nothing', () => {
    async function userCount(): Promise<number> {
      return Number((await sql<{ n: string }>(stack, `SELECT count(*) AS n FROM users`))[0].n);
    }

    it.each([
      [
        'unknown fields',
        { status: 'active', createdBy: 'me', hourlyRateCents: 0 },
        ['status', 'createdBy', 'hourlyRateCents'],
      ],
      ['an unknown role', { role: 'superuser' }, ['role']],
      ['a bad email', { email: 'not-an-email' }, ['email']],
      ['an admin with a municipality', { role: 'admin' }, ['municipalityId']],
      ['a yard-manager without one', { municipalityId: undefined }, ['municipalityId']],
      [
        'an unknown municipality',
        { municipalityId: '5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77' },
        ['municipalityId'],
      ],
      ['pools for a non-coordinator', { poolIds: ['5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77'] }, ['poolIds']],
      ['a coordinator without pools', { role: 'coordinator' }, ['poolIds']],
      [
        'an unknown pool',
        { role: 'coordinator', poolIds: ['5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77'] },
        ['poolIds'],
      ],
      ['a token lifetime of 0 days', { tokenExpiresInDays: 0 }, ['tokenExpiresInDays']],
    ])('422 for %s', async (_label, patch, fields) => {
      const before = await userCount();
      const res = await http()
        .post('/api/v1/users')
        .set(admin)
        .send({
          email: 'bad@auth.example',
          name: 'Bad',
          role: 'yard-manager',
          municipalityId: world.municipalities.A,
          ...patch,
        })
        .expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(fields));
      expect(await userCount()).toBe(before);
    });

    it('409 for an email in use (in any case)', async () => {
      await newUser('taken');
      const before = await userCount();
      const res = await http()
        .post('/api/v1/users')
        .set(admin)
        .send({
          email: 'TAKEN@auth.example',
          name: 'Twin',
          role: 'viewer',
          municipalityId: world.municipalities.A,
        })
        .expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', field: 'email' });
      expect(await userCount()).toBe(before);
    });

    it('takes an Idempotency-Key: a replay returns the user without the token, saying it was shown once', async () => {
      const before = await userCount();
      const send = () =>
        http()
          .post('/api/v1/users')
          .set(admin)
          .set('Idempotency-Key', 'k-user')
          .send({ email: 'idem@auth.example', name: 'Idem', role: 'viewer', municipalityId: '06636003' });
      const first = await send().expect(201);
      expect(first.body.token).toMatch(/\S{32,}/);
      expect(first.body.municipalityId).toBe(world.municipalities.A);
      const replay = await send().expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toMatchObject({ id: first.body.id, token: null });
      expect(replay.body.secretsShownOnce).toMatch(/shown only in the first response/);
      expect(await userCount()).toBe(before + 1);
      const stored = await sql<{ body: string }>(
        stack,
        `SELECT response_body::text AS body FROM idempotency_keys WHERE key = 'k-user'`,
      );
      expect(stored).toHaveLength(1);
      expect(stored[0].body).not.toContain(first.body.token);
    });

    it('422 naming the field for an AGS that names no municipality', async () => {
      const res = await http()
        .post('/api/v1/users')
        .set(admin)
        .send({ email: 'nobody@auth.example', name: 'Nobody', role: 'viewer', municipalityId: '99999999' })
        .expect(422);
      expect(res.body.errors[0].field).toBe('municipalityId');
    });

    it('403 for anyone but an admin', async () => {
      const before = await userCount();
      const res = await http()
        .post('/api/v1/users')
        .set(bearer(world.own.coordinator.token))
        .send({
          email: 'co@auth.example',
          name: 'Co',
          role: 'viewer',
          municipalityId: world.municipalities.A,
        })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(await userCount()).toBe(before);
    });
  });

  it('audit entries carry the acting user and token name', async () => {
    const yard = world.own['yard-manager'];
    const res = await http()
      .post(`/api/v1/users/${yard.id}/tokens`)
      .set(bearer(yard.token))
      .send({ name: 'audited' })
      .expect(201);
    const [entry] = await sql<{
      actor_user_id: string;
      actor_token_name: string;
      action: string;
      after: object;
    }>(stack, `SELECT actor_user_id, actor_token_name, action, after FROM audit_log WHERE entity_id = $1`, [
      res.body.id,
    ]);
    expect(entry).toMatchObject({
      actor_user_id: yard.id,
      actor_token_name: 'default',
      action: 'token.issued',
    });
    expect(JSON.stringify(entry.after)).not.toContain(res.body.token);
    const [created] = await sql<{ actor_user_id: string | null; actor_token_name: string }>(
      stack,
      `SELECT actor_user_id, actor_token_name FROM audit_log WHERE action = 'user.created' AND entity_id = $1`,
      [yard.id],
    );
    expect(created).toEqual({ actor_user_id: null, actor_token_name: 'ALLMENDE_ADMIN_TOKEN' });
  });

  it('GET /users pages in a stable order, scoped for coordinators', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await http()
        .get('/api/v1/users')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(admin)
        .expect(200);
      all.push(...res.body.items.map((u: { email: string }) => u.email));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(all).toEqual([...all].sort());
    expect(all).toContain('yard-b@world.example');
    const coord = await http()
      .get('/api/v1/users?limit=500')
      .set(bearer(world.own.coordinator.token))
      .expect(200);
    const emails = coord.body.items.map((u: { email: string }) => u.email);
    expect(emails).toContain('yard-a@world.example');
    expect(emails).not.toContain('yard-b@world.example');
  });
});

describe('rate limit per token', () => {
  let stack: TestStack;
  let world: World;
  const http = () => request(stack.api.getHttpServer());

  beforeAll(async () => {
    stack = await startTestStack({ env: { ALLMENDE_RATE_LIMIT: '30' } });
    world = await buildWorld(stack);
  });

  afterAll(async () => {
    await stack.close();
  });

  it('429 with Retry-After over ALLMENDE_RATE_LIMIT per minute, counted per token across routes', async () => {
    const token = world.own.viewer.token;
    let first429: request.Response | undefined;
    for (let i = 0; i < 31 && !first429; i++) {
      const res = await http()
        .get(i % 2 ? '/api/v1/me' : '/api/v1/municipalities')
        .set(bearer(token));
      if (res.status === 429) first429 = res;
      else expect(res.status).toBe(200);
    }
    expect(first429).toBeDefined();
    expect(first429!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(first429!.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(first429!.headers['retry-after'])).toBeGreaterThan(0);
    // another token of the same installation is unaffected; health is never limited
    await http().get('/api/v1/me').set(bearer(world.own.finance.token)).expect(200);
    await http().get('/health').expect(200);
  });
});

describe('allmende create-user (CLI)', () => {
  let stack: TestStack;
  let world: World;

  beforeAll(async () => {
    assertBuilt();
    stack = await startTestStack();
    world = await buildWorld(stack);
  });

  afterAll(async () => {
    await stack.close();
  });

  it('creates a user by AGS and prints a working token once', async () => {
    const run = runCli(
      [
        'create-user',
        'kaemmerei@eschwege.example',
        'Kämmerei Eschwege',
        'finance',
        '--municipality',
        '06636003',
        '--token-name',
        'cli-export',
        '--expires-in-days',
        '30',
      ],
      { DATABASE_URL: stack.db.url },
    );
    expect(await run.exited).toBe(0);
    const token = /^(alm_\S+)$/m.exec(run.output())?.[1];
    expect(token).toBeDefined();
    const me = await request(stack.api.getHttpServer()).get('/api/v1/me').set(bearer(token!)).expect(200);
    expect(me.body).toMatchObject({
      role: 'finance',
      municipalityId: world.municipalities.A,
      tokenName: 'cli-export',
    });
    const [audit] = await sql<{ actor_token_name: string }>(
      stack,
      `SELECT actor_token_name FROM audit_log WHERE action = 'user.created' AND entity_id = $1`,
      [me.body.user.id],
    );
    expect(audit.actor_token_name).toBe('cli');
  });

  it('creates a coordinator with pools, and fails with one clear line on bad input', async () => {
    const ok = runCli(
      [
        'create-user',
        'koordination@sontra.example',
        'Koordination',
        'coordinator',
        '--municipality',
        world.municipalities.C,
        '--pool',
        world.pools.P1,
        world.pools.P2,
      ],
      { DATABASE_URL: stack.db.url },
    );
    expect(await ok.exited).toBe(0);
    const [row] = await sql<{ n: string }>(
      stack,
      `SELECT count(*) AS n FROM user_pools up JOIN users u ON u.id = up.user_id WHERE u.email = 'koordination@sontra.example'`,
    );
    expect(Number(row.n)).toBe(2);

    const bad = runCli(['create-user', 'x@y.example', 'X', 'viewer', '--municipality', '99999999'], {
      DATABASE_URL: stack.db.url,
    });
    expect(await bad.exited).toBe(1);
    expect(bad.output().trim()).toBe(
      'create-user: --municipality 99999999 names no municipality (give its id or 8-digit AGS)',
    );
    const dup = runCli(
      ['create-user', 'koordination@sontra.example', 'Y', 'viewer', '--municipality', '06636011'],
      {
        DATABASE_URL: stack.db.url,
      },
    );
    expect(await dup.exited).toBe(1);
    expect(dup.output()).toContain('exists already');
  });
});
