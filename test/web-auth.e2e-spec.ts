import request from 'supertest';
import { Clock } from '@allmende/auth';
import { assertBuilt, runCli } from './support/processes';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { parseSetCookies, setPassword, signIn } from './support/web-session';
import { buildWorld, sql, World } from './support/world';

const PASSWORD = 'correct-horse-battery-staple';
const MINUTE = 60_000;
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('browser sign-in: sessions, cookies, CSRF, lock-out', () => {
  let stack: TestStack;
  let w: World;
  let now = Date.now();
  const http = () => request(stack.api.getHttpServer());
  /** Each test signs in from an address of its own, so the per-address limit counts only its failures. */
  let addressCount = 0;
  const fromAddress = () => ({ 'X-Forwarded-For': `198.51.100.${++addressCount}` });

  beforeAll(async () => {
    stack = await startTestStack();
    w = await buildWorld(stack);
    jest.spyOn(stack.api.get(Clock), 'now').mockImplementation(() => new Date(now));
    for (const role of ['coordinator', 'yard-manager', 'finance', 'viewer'] as const) {
      await setPassword(stack, w.own[role].id, PASSWORD);
    }
    await setPassword(stack, w.foreign.yardManager.id, PASSWORD);
  });

  afterAll(async () => {
    await stack.close();
  });

  it('sign-in sets an HttpOnly SameSite=Strict session cookie and a readable CSRF cookie; /auth/me answers', async () => {
    const res = await http()
      .post('/api/v1/auth/login')
      .set(fromAddress())
      .send({ email: w.own['yard-manager'].email.toUpperCase(), password: PASSWORD })
      .expect(200);
    expect(res.body.user).toMatchObject({
      id: w.own['yard-manager'].id,
      email: w.own['yard-manager'].email,
      role: 'yard-manager',
      municipalityId: w.municipalities.A,
      municipalityName: 'Eschwege',
      poolIds: [],
      language: 'de',
    });
    const cookies = parseSetCookies(res.headers['set-cookie']);
    expect(cookies.allmende_session.attributes).toMatchObject({
      httponly: '',
      samesite: 'Strict',
      path: '/',
    });
    expect(cookies.allmende_session.attributes).not.toHaveProperty('secure');
    expect(cookies.allmende_csrf.attributes).toMatchObject({ samesite: 'Strict', path: '/' });
    expect(cookies.allmende_csrf.attributes).not.toHaveProperty('httponly');

    // only hashes are stored
    const rows = await sql<{ session_hash: string; csrf_hash: string }>(
      stack,
      `SELECT session_hash, csrf_hash FROM web_sessions WHERE user_id = $1`,
      [w.own['yard-manager'].id],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(cookies.allmende_session.value);
    expect(JSON.stringify(rows)).not.toContain(cookies.allmende_csrf.value);

    const cookie = `allmende_session=${cookies.allmende_session.value}`;
    const me = await http().get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
    expect(Object.keys(me.body).sort()).toEqual(
      ['email', 'id', 'language', 'municipalityId', 'municipalityName', 'name', 'poolIds', 'role'].sort(),
    );
    expect(me.body.id).toBe(w.own['yard-manager'].id);
  });

  it('behind a trusted proxy that says HTTPS, the cookies are Secure', async () => {
    const res = await http()
      .post('/api/v1/auth/login')
      .set({ ...fromAddress(), 'X-Forwarded-Proto': 'https' })
      .send({ email: w.own.viewer.email, password: PASSWORD })
      .expect(200);
    const cookies = parseSetCookies(res.headers['set-cookie']);
    expect(cookies.allmende_session.attributes).toHaveProperty('secure');
    expect(cookies.allmende_csrf.attributes).toHaveProperty('secure');
  });

  it('a wrong password and an unknown email get the same 401 problem', async () => {
    const wrong = await http()
      .post('/api/v1/auth/login')
      .set(fromAddress())
      .send({ email: w.own.finance.email, password: 'not-the-password' })
      .expect(401);
    const unknown = await http()
      .post('/api/v1/auth/login')
      .set(fromAddress())
      .send({ email: 'nobody@nowhere.example', password: 'not-the-password' })
      .expect(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('a user without a password (API tokens only) cannot sign in', async () => {
    await http()
      .post('/api/v1/auth/login')
      .set(fromAddress())
      .send({ email: w.spare.A.email, password: 'any-password-at-all' })
      .expect(401);
  });

  it('bad login bodies are 422, not 500', async () => {
    await http().post('/api/v1/auth/login').set(fromAddress()).send({ email: 'x' }).expect(422);
    await http().post('/api/v1/auth/login').set(fromAddress()).send({ email: 5, password: [] }).expect(422);
  });

  it('five wrong passwords lock the account for 15 minutes (423 with Retry-After), even for the right one', async () => {
    const email = w.own.coordinator.email;
    const address = fromAddress();
    for (let i = 1; i <= 4; i++) {
      await http()
        .post('/api/v1/auth/login')
        .set(address)
        .send({ email, password: `wrong-${i}` })
        .expect(401);
    }
    const fifth = await http()
      .post('/api/v1/auth/login')
      .set(address)
      .send({ email, password: 'wrong-5' })
      .expect(423);
    expect(fifth.body).toMatchObject({ status: 423, code: 'ACCOUNT_LOCKED' });
    expect(Number(fifth.headers['retry-after'])).toBe(15 * 60);
    // from another address, with the right password: still locked
    const right = await http()
      .post('/api/v1/auth/login')
      .set(fromAddress())
      .send({ email, password: PASSWORD })
      .expect(423);
    expect(right.headers['content-type']).toMatch(/^application\/problem\+json/);

    now += 10 * MINUTE;
    const later = await http()
      .post('/api/v1/auth/login')
      .set(fromAddress())
      .send({ email, password: PASSWORD });
    expect(later.status).toBe(423);
    expect(Number(later.headers['retry-after'])).toBe(5 * 60);

    now += 5 * MINUTE + 1000;
    await signIn(stack, email, PASSWORD, fromAddress());
  });

  it('one address failing across many accounts is refused for a while (429 with Retry-After)', async () => {
    const address = fromAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await http()
        .post('/api/v1/auth/login')
        .set(address)
        .send({ email: `guess-${i}@nowhere.example`, password: 'not-the-password' });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body).toMatchObject({ code: 'RATE_LIMITED' });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 19).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(19)).toEqual([429, 429]);
    // the right password from that address waits too; from elsewhere it works
    await http()
      .post('/api/v1/auth/login')
      .set(address)
      .send({ email: w.own.viewer.email, password: PASSWORD })
      .expect(429);
    await signIn(stack, w.own.viewer.email, PASSWORD, fromAddress());
  });

  describe('CSRF: a change made with the session cookie needs X-CSRF-Token', () => {
    it('missing or wrong → 403; right → done; reads need none', async () => {
      const s = await signIn(stack, w.own['yard-manager'].email, PASSWORD, fromAddress());
      const other = await signIn(stack, w.own.finance.email, PASSWORD, fromAddress());
      const change = () => http().put('/api/v1/auth/me/language').set('Cookie', s.cookie);

      const missing = await change().send({ language: 'en' }).expect(403);
      expect(missing.body).toMatchObject({ status: 403, code: 'CSRF_TOKEN_INVALID' });
      await change().set('X-CSRF-Token', 'forged').send({ language: 'en' }).expect(403);
      // another session's token, even with a matching cookie, is not this session's
      await http()
        .put('/api/v1/auth/me/language')
        .set('Cookie', `allmende_session=${s.session}; allmende_csrf=${other.csrf}`)
        .set('X-CSRF-Token', other.csrf)
        .send({ language: 'en' })
        .expect(403);
      // header without the cookie (the double submit needs both)
      await http()
        .put('/api/v1/auth/me/language')
        .set('Cookie', `allmende_session=${s.session}`)
        .set('X-CSRF-Token', s.csrf)
        .send({ language: 'en' })
        .expect(403);
      expect((await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(200)).body.language).toBe(
        'de',
      );

      const done = await change().set('X-CSRF-Token', s.csrf).send({ language: 'en' }).expect(200);
      expect(done.body.language).toBe('en');
      // a booking write too: the CSRF check comes before the route's own work
      await http().post('/api/v1/bookings').set('Cookie', s.cookie).send({}).expect(403);
      await http().post('/api/v1/bookings').set(s.headers).send({}).expect(422);
    });

    it('bearer-token requests need no CSRF token, even with a session cookie beside', async () => {
      const s = await signIn(stack, w.own.viewer.email, PASSWORD, fromAddress());
      await http()
        .put('/api/v1/auth/me/language')
        .set('Authorization', `Bearer ${w.own.viewer.token}`)
        .set('Cookie', s.cookie)
        .send({ language: 'de' })
        .expect(200);
    });
  });

  it('logout ends the session on the server and clears the cookies', async () => {
    const s = await signIn(stack, w.own.finance.email, PASSWORD, fromAddress());
    await http().post('/api/v1/auth/logout').set('Cookie', s.cookie).expect(403); // CSRF applies
    const out = await http().post('/api/v1/auth/logout').set(s.headers).expect(204);
    const cleared = parseSetCookies(out.headers['set-cookie']);
    expect(cleared.allmende_session.value).toBe('');
    expect(cleared.allmende_csrf.value).toBe('');
    // the old cookie (kept by an attacker, say) no longer works
    const after = await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(401);
    expect(after.body).toMatchObject({ code: 'UNAUTHORIZED' });
    const [row] = await sql<{ revoked_at: Date | null }>(
      stack,
      `SELECT revoked_at FROM web_sessions WHERE session_hash = encode(sha256($1::bytea), 'hex')`,
      [s.session],
    );
    expect(row.revoked_at).not.toBeNull();
  });

  it('a session ends after 30 idle minutes', async () => {
    const s = await signIn(stack, w.own.viewer.email, PASSWORD, fromAddress());
    now += 29 * MINUTE;
    await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(200);
    now += 29 * MINUTE; // active 29 minutes ago: still on
    await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(200);
    now += 30 * MINUTE;
    await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(401);
  });

  it('a session ends 12 hours after sign-in however active', async () => {
    const s = await signIn(stack, w.own.viewer.email, PASSWORD, fromAddress());
    const started = now;
    while (now + 20 * MINUTE < started + 12 * 60 * MINUTE) {
      now += 20 * MINUTE;
      await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(200);
    }
    now = started + 12 * 60 * MINUTE;
    await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(401);
  });

  it('a finance session sees what its token sees: its own municipality, nothing of a foreign one', async () => {
    const s = await signIn(stack, w.own.finance.email, PASSWORD, fromAddress());
    const token = { Authorization: `Bearer ${w.own.finance.token}` };
    for (const path of [
      `/api/v1/bookings/${w.bookings.A}`,
      `/api/v1/bookings/${w.bookings.C}`,
      `/api/v1/bookings/${w.bookings.B}`,
      `/api/v1/pools/${w.pools.P2}`,
      `/api/v1/users/${w.foreign.yardManager.id}`,
    ]) {
      const bySession = await http().get(path).set('Cookie', s.cookie);
      const byToken = await http().get(path).set(token);
      expect({ path, status: bySession.status }).toEqual({ path, status: byToken.status });
      if (bySession.status === 200) expect(bySession.body).toEqual(byToken.body);
      for (const secret of [...w.secrets.B, ...w.secrets.C]) {
        expect(JSON.stringify(bySession.body)).not.toContain(secret);
      }
    }
    expect((await http().get(`/api/v1/bookings/${w.bookings.B}`).set('Cookie', s.cookie)).status).toBe(404);
    expect((await http().get(`/api/v1/bookings/${w.bookings.A}`).set('Cookie', s.cookie)).status).toBe(200);
    // the role's limits hold: finance may not book
    await http().post('/api/v1/bookings').set(s.headers).send({}).expect(403);
  });

  describe('passwords', () => {
    it('changing one’s own: the current one is checked, 12+ characters, other sessions end', async () => {
      const user = w.foreign.yardManager;
      const here = await signIn(stack, user.email, PASSWORD, fromAddress());
      const elsewhere = await signIn(stack, user.email, PASSWORD, fromAddress());
      const wrong = await http()
        .post('/api/v1/auth/password')
        .set(here.headers)
        .send({ currentPassword: 'not-it-at-all', newPassword: 'a-new-long-password' })
        .expect(422);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
      const short = await http()
        .post('/api/v1/auth/password')
        .set(here.headers)
        .send({ currentPassword: PASSWORD, newPassword: 'short' })
        .expect(422);
      expect(short.body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);

      await http()
        .post('/api/v1/auth/password')
        .set(here.headers)
        .send({ currentPassword: PASSWORD, newPassword: 'a-new-long-password' })
        .expect(204);
      await http().get('/api/v1/auth/me').set('Cookie', here.cookie).expect(200);
      await http().get('/api/v1/auth/me').set('Cookie', elsewhere.cookie).expect(401);
      await http()
        .post('/api/v1/auth/login')
        .set(fromAddress())
        .send({ email: user.email, password: PASSWORD })
        .expect(401);
      await signIn(stack, user.email, 'a-new-long-password', fromAddress());

      const [row] = await sql<{ password_hash: string }>(
        stack,
        `SELECT password_hash FROM users WHERE id = $1`,
        [user.id],
      );
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('an admin sets or resets a password; the user’s sessions end; others may not', async () => {
      const user = w.own.viewer;
      const s = await signIn(stack, user.email, PASSWORD, fromAddress());
      await http()
        .put(`/api/v1/users/${user.id}/password`)
        .set(admin)
        .send({ password: 'too-short' })
        .expect(422);
      await http()
        .put(`/api/v1/users/${user.id}/password`)
        .set({ Authorization: `Bearer ${w.own.coordinator.token}` })
        .send({ password: 'a-reset-password-1' })
        .expect(403);
      await http()
        .put(`/api/v1/users/5d0f7a52-6b8f-4a51-9a5e-2d1e0c0f0b77/password`)
        .set(admin)
        .send({ password: 'a-reset-password-1' })
        .expect(404);
      await http()
        .put(`/api/v1/users/${user.id}/password`)
        .set(admin)
        .send({ password: 'a-reset-password-1' })
        .expect(204);
      await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(401);
      await signIn(stack, user.email, 'a-reset-password-1', fromAddress());
      await setPassword(stack, user.id, PASSWORD);
    });

    it('a disabled user’s session stops at once', async () => {
      const s = await signIn(stack, w.own.coordinator.email, PASSWORD, fromAddress());
      await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(200);
      await http().post(`/api/v1/users/${w.own.coordinator.id}/disable`).set(admin).expect(200);
      await http().get('/api/v1/auth/me').set('Cookie', s.cookie).expect(401);
      await http()
        .post('/api/v1/auth/login')
        .set(fromAddress())
        .send({ email: w.own.coordinator.email, password: PASSWORD })
        .expect(401);
    });
  });

  it('the CLI sets a password from stdin; the user signs in with it; bad input is one clear line', async () => {
    assertBuilt();
    const env = { DATABASE_URL: stack.db.url };
    const email = w.spare.A.email;
    const ok = runCli(['set-password', '--email', email, '--password-stdin'], env, {
      input: 'a-password-from-the-cli\n',
    });
    expect(await ok.exited).toBe(0);
    expect(ok.output()).toContain(`Password set for ${email}`);
    await signIn(stack, email, 'a-password-from-the-cli', fromAddress());

    const short = runCli(['set-password', '--email', email, '--password-stdin'], env, { input: 'short\n' });
    expect(await short.exited).toBe(1);
    expect(short.output().trim()).toBe('set-password: password must be at least 12 characters long');
    const unknown = runCli(['set-password', '--email', 'nobody@nowhere.example', '--password-stdin'], env, {
      input: 'a-password-from-the-cli\n',
    });
    expect(await unknown.exited).toBe(1);
    expect(unknown.output().trim()).toBe(
      'set-password: User with the email nobody@nowhere.example was not found.',
    );
  });

  it('a garbage session cookie is 401, never 500', async () => {
    for (const value of ['x', 'a'.repeat(5000), '%E0%A4%A']) {
      const res = await http().get('/api/v1/auth/me').set('Cookie', `allmende_session=${value}`);
      expect(res.status).toBe(401);
    }
  });
});
