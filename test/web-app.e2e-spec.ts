/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { assertWebBuilt, checkAccessibility, openBrowser, screenshot, TestBrowser } from './support/browser';
import { startTestStack, TestStack } from './support/test-app';
import { setPassword } from './support/web-session';
import { buildWorld, sql, World } from './support/world';

const PASSWORD = 'allmende-demo-2026';

/**
 * The web app as a user meets it: served by the real API (on real PostgreSQL) on one origin,
 * driven by headless Chromium. Sign in as a yard manager, see the shell, switch to English,
 * sign out; axe-core on the sign-in page and the shell; screenshots into docs/screenshots/.
 */
describe('web app: served by the API, signed in through the browser', () => {
  let stack: TestStack;
  let w: World;
  let base: string;
  let b: TestBrowser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startTestStack();
    w = await buildWorld(stack);
    await setPassword(stack, w.own['yard-manager'].id, PASSWORD);
    await stack.api.listen(0, '127.0.0.1');
    const server = stack.api.getHttpServer() as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    b = await openBrowser();
    b.page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });

  afterAll(async () => {
    await b?.close();
    await stack?.close();
  });

  describe('serving', () => {
    it('index.html for app paths, with a CSP and no-cache; hashed assets cached for a year', async () => {
      for (const path of ['/', '/belegung', '/abrechnungen/2026-11']) {
        const res = await fetch(`${base}${path}`, { headers: { Accept: 'text/html' } });
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(res.headers.get('cache-control')).toBe('no-cache');
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(await res.text()).toContain('<div id="root">');
      }
      const html = await (await fetch(`${base}/`)).text();
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${base}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    });

    it('the API keeps its paths: unknown API routes and missing files are 404, not the app', async () => {
      const api = await fetch(`${base}/api/v1/no-such-thing`);
      expect(api.status).toBe(404);
      expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await fetch(`${base}/assets/missing-abc123.js`)).status).toBe(404);
      expect((await fetch(`${base}/health`)).headers.get('content-type')).toMatch(/json/);
      expect(await (await fetch(`${base}/docs`)).text()).toContain('swagger');
      expect((await fetch(`${base}/../../package.json`)).status).not.toBe(200);
      expect((await fetch(`${base}/%2e%2e/%2e%2e/package.json`)).status).not.toBe(200);
    });
  });

  it('a yard manager signs in, sees the shell, switches to English and signs out', async () => {
    const { page } = b;
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    const signInAxe = await checkAccessibility(page, 'sign-in');
    await screenshot(page, 'sign-in');

    // a wrong password is announced in words
    await page.getByLabel('E-Mail-Adresse').fill(w.own['yard-manager'].email);
    await page.getByLabel('Passwort').fill('not-the-password');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('alert').filter({ hasText: 'E-Mail-Adresse oder Passwort ist falsch.' }).waitFor();
    expect(await page.getByLabel('Passwort').inputValue()).toBe('');

    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await nav.waitFor();
    await page.waitForURL(`${base}/belegung`);
    expect(await nav.getByRole('link').allInnerTexts()).toEqual([
      'Belegungsplan',
      'Meine Buchungen',
      'Profil',
    ]);
    expect(await nav.getByRole('link', { name: 'Belegungsplan' }).getAttribute('aria-current')).toBe('page');
    const [{ name }] = await sql<{ name: string }>(stack, `SELECT name FROM users WHERE id = $1`, [
      w.own['yard-manager'].id,
    ]);
    expect(await page.getByRole('banner').innerText()).toContain(`Angemeldet als ${name}`);
    await page.getByRole('heading', { level: 1, name: 'Belegungsplan' }).waitFor();
    // the session cookie is out of the page's reach; the CSRF cookie is not
    const cookies = await b.context.cookies();
    expect(cookies.find((c) => c.name === 'allmende_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(await page.evaluate(() => document.cookie)).toMatch(/allmende_csrf=/);
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/allmende_session=/);
    const shellAxe = await checkAccessibility(page, 'shell');
    await screenshot(page, 'shell');

    // the profile screen loads on demand
    await nav.getByRole('link', { name: 'Profil' }).click();
    await page.getByRole('heading', { level: 1, name: 'Profil' }).waitFor();
    await page.getByRole('main').getByText('Bauhofleitung', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Sprache: auf Englisch umschalten' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.evaluate(() => localStorage.getItem('allmende.language'))).toBe('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allInnerTexts(),
    ).toEqual(['Booking board', 'My bookings', 'Profile']);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const after = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(after).toBe(401);

    expect(cspViolations).toEqual([]);
    expect(signInAxe.seriousOrCritical).toEqual([]);
    expect(shellAxe.seriousOrCritical).toEqual([]);
  });
});
