import request from 'supertest';
import { ADMIN_TOKEN, TestStack } from './test-app';

export interface ParsedCookie {
  name: string;
  value: string;
  /** Attribute names (lower case) to their values ('' for flags). */
  attributes: Record<string, string>;
}

export function parseSetCookies(header: string | string[] | undefined): Record<string, ParsedCookie> {
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const cookies: Record<string, ParsedCookie> = {};
  for (const line of list) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const attributes: Record<string, string> = {};
    for (const a of attrs) {
      const i = a.indexOf('=');
      attributes[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? '' : a.slice(i + 1);
    }
    cookies[name] = { name, value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  }
  return cookies;
}

/** A signed-in browser as the API sees it: the two cookies, and the header the app adds. */
export interface WebSession {
  session: string;
  csrf: string;
  /** The Cookie header carrying both. */
  cookie: string;
  /** Cookie + X-CSRF-Token, for state-changing requests. */
  headers: Record<string, string>;
}

export async function signIn(
  stack: TestStack,
  email: string,
  password: string,
  extraHeaders: Record<string, string> = {},
): Promise<WebSession> {
  const res = await request(stack.api.getHttpServer())
    .post('/api/v1/auth/login')
    .set(extraHeaders)
    .send({ email, password });
  if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookies = parseSetCookies(res.headers['set-cookie']);
  const session = cookies.allmende_session.value;
  const csrf = cookies.allmende_csrf.value;
  const cookie = `allmende_session=${session}; allmende_csrf=${csrf}`;
  return { session, csrf, cookie, headers: { Cookie: cookie, 'X-CSRF-Token': csrf } };
}

export async function setPassword(stack: TestStack, userId: string, password: string): Promise<void> {
  await request(stack.api.getHttpServer())
    .put(`/api/v1/users/${userId}/password`)
    .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
    .send({ password })
    .expect(204);
}
