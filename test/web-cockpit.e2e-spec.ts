/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { PlanningClock } from '@allmende/planning';
import {
  AxeSummary,
  assertWebBuilt,
  checkAccessibility,
  openBrowser,
  screenshot,
  TestBrowser,
} from './support/browser';
import { adminAuth, Region, seedRegion } from './support/seed';
import { startTestStack, TestStack } from './support/test-app';
import { setPassword } from './support/web-session';
import { createUserViaApi, sql, WorldUser } from './support/world';

const PASSWORD = 'cockpit-e2e-password-2026';
const WEEK = { from: '2026-05-04', to: '2026-05-10' };

/** "1.234,56 €" as the app and the PDF print it (a no-break space before €). */
function euros(cents: number): string {
  return new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/**
 * The coordinator's, finance staff's and admin's screens in headless Chromium against the real API
 * and worker on PostgreSQL: a small pool (Eschwege, Witzenhausen, Wanfried) with two sweepers and
 * a camera, April's usage recorded, and in KW 19 a request of Witzenhausen waiting for a sweeper.
 */
describe('web: cockpit, statements and administration', () => {
  jest.setTimeout(240_000);
  let stack: TestStack;
  let r: Region;
  let base: string;
  let b: TestBrowser;
  let page: Page;
  const users = {} as Record<'coordinator' | 'finance' | 'admin', WorldUser>;
  const axe: AxeSummary[] = [];
  const http = () => request(stack.api.getHttpServer());

  async function signIn(user: WorldUser, landing: string) {
    await page.goto(`${base}/`);
    await page.getByLabel('E-Mail-Adresse').fill(user.email);
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(`${base}${landing}`);
  }

  async function signOut() {
    await page.getByRole('button', { name: /^(Abmelden|Sign out)$/ }).click();
    await page.getByRole('heading', { name: /^(Anmelden|Sign in)$/ }).waitFor();
  }

  async function audit(name: string) {
    const summary = await checkAccessibility(page, name);
    for (const v of summary.seriousOrCritical)
      process.stdout.write(`  ${v.impact} ${v.id}: ${v.help} (${v.nodes.join(', ')})\n`);
    axe.push(summary);
  }

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startTestStack({ worker: true });
    r = await seedRegion(stack.api);
    await sql(
      stack,
      `UPDATE resources SET annual_fixed_cost_cents = 1200000 WHERE pool_id = $1 AND kind = 'machine'`,
      [r.poolId],
    );
    // April: Witzenhausen and Wanfried use Eschwege's sweeper (booked while it was still ahead)
    const april: string[] = [];
    for (const [town, day] of [
      [r.towns.witzenhausen, '2026-04-14'],
      [r.towns.wanfried, '2026-04-21'],
      [r.towns.eschwege, '2026-04-28'],
    ] as const) {
      const res = await http()
        .post('/api/v1/bookings')
        .set(adminAuth)
        .send({
          resourceId: r.sweeperId,
          municipalityId: town,
          start: `${day}T07:00:00+02:00`,
          end: `${day}T12:00:00+02:00`,
        })
        .expect(201);
      april.push(res.body.id as string);
    }
    // KW 19: Eschwege has sweeper 1 on Tuesday; Witzenhausen waits for a sweeper at the same time
    await http()
      .post('/api/v1/bookings')
      .set(adminAuth)
      .send({
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        start: '2026-05-05T07:00:00+02:00',
        end: '2026-05-05T12:00:00+02:00',
      })
      .expect(201);
    stack.clock.set(new Date('2026-05-01T06:00:00Z'));
    stack.api.get(PlanningClock).set(new Date('2026-05-01T08:00:00+02:00'));
    for (const [i, id] of april.entries()) {
      await http()
        .post(`/api/v1/bookings/${id}/usage`)
        .set(adminAuth)
        .send({ operatingHours: 4 + i })
        .expect((res) => expect([200, 201]).toContain(res.status));
    }
    await http()
      .post('/api/v1/waitlist')
      .set(adminAuth)
      .send({
        poolId: r.poolId,
        type: 'street-sweeper',
        municipalityId: r.towns.witzenhausen,
        start: '2026-05-05T08:00:00+02:00',
        end: '2026-05-05T11:00:00+02:00',
      })
      .expect(201);

    users.coordinator = await createUserViaApi(stack, {
      email: 'anna.lehmann@eschwege.example',
      name: 'Anna Lehmann',
      role: 'coordinator',
      municipalityId: r.towns.eschwege,
      poolIds: [r.poolId],
    });
    users.finance = await createUserViaApi(stack, {
      email: 'petra.schulz@eschwege.example',
      name: 'Petra Schulz',
      role: 'finance',
      municipalityId: r.towns.eschwege,
    });
    users.admin = await createUserViaApi(stack, {
      email: 'it@kreis.example',
      name: 'Kreis-IT',
      role: 'admin',
    });
    for (const u of Object.values(users)) await setPassword(stack, u.id, PASSWORD);

    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    b = await openBrowser();
    page = b.page;
  });

  afterAll(async () => {
    if (axe.length > 0) {
      const total = axe.reduce((n, a) => n + a.seriousOrCritical.length, 0);
      process.stdout.write(
        `axe over ${axe.length} cockpit/finance/admin screens: ${total} serious/critical\n`,
      );
    }
    await b?.close();
    await stack?.close();
  });

  it('a coordinator lands on the cockpit: the heat map by type and week, with details on focus, and the findings', async () => {
    await signIn(users.coordinator, '/engpaesse');
    await page.goto(`${base}/engpaesse?von=${WEEK.from}&bis=${WEEK.to}`);
    await page.getByRole('heading', { level: 1, name: 'Engpässe und Vorschläge' }).waitFor();
    const heat = page.getByRole('table', { name: /Gebuchte Stunden je verfügbare Stunden/ });
    await heat.waitFor({ timeout: 60_000 });
    expect(await heat.getByRole('columnheader').allInnerTexts()).toEqual([
      'Typ',
      expect.stringContaining('KW 19'),
    ]);
    const sweepers = heat.getByRole('row', { name: /Kehrmaschinen/ });
    // 5 h booked of 85 h (2 sweepers × 5 days × 8.5 h): 6 %, and 3 h waiting
    expect(await sweepers.innerText()).toMatch(/6\s%\s*\+3 h offen/);

    // by keyboard: Tab moves onto a cell and its details appear; Escape hides them
    const cell = sweepers.getByRole('button');
    await page.getByRole('columnheader', { name: 'Typ' }).click();
    await cell.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const tip = sweepers.getByRole('tooltip');
    await tip.waitFor({ state: 'visible' });
    expect((await tip.innerText()).replace(/\u00a0/g, ' ')).toBe(
      'Kehrmaschinen, KW 19: 5 h von 85 h gebucht (6 %); offen 3 h in 1 Anfragen; Bedarf 9 % der verfügbaren Stunden.',
    );
    expect(await cell.getAttribute('aria-describedby')).toBe(await tip.getAttribute('id'));
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });

    const unmet = page.getByRole('region', { name: /Offener Bedarf/ });
    expect(await unmet.innerText()).toContain('1 offene Anfrage (3 h) von Witzenhausen');
    await page.getByRole('region', { name: /Fällige Prüfungen/ }).waitFor();
    await page.getByRole('region', { name: /Fehlende Qualifikationen/ }).waitFor();
    await audit('cockpit');
  });

  it('starts a solver run, watches it, shows the proposal as a before/after diff with names, and applies it', async () => {
    await page.getByLabel('Rechenzeit').selectOption('5');
    await page.getByRole('button', { name: 'Vorschläge berechnen' }).click();
    await page.getByText(/^Fertig \(.*\): (ein Vorschlag|\d+ Vorschläge)\.$/).waitFor({ timeout: 90_000 });
    expect(page.url()).toMatch(/[?&]lauf=[0-9a-f-]{36}/);
    const card = page.getByRole('article').filter({ hasText: 'Kehrmaschine 2' }).first();
    const text = await card.innerText();
    expect(text).toMatch(/Vorschlag \d: Umplanung · offen/);
    expect(text).toContain('1 Anfrage bedient');
    expect(text).toContain('nachweislich optimal: 1 von höchstens 1 bedient');
    expect(text).toMatch(/Betroffene Gemeinden\s*Witzenhausen/);
    const diff = card.getByRole('table');
    expect(await diff.getByRole('row').nth(1).innerText()).toMatch(
      /Witzenhausen[\s\S]*wartet \(noch nicht gebucht\)[\s\S]*Kehrmaschine 2, Di, 05\.05\.2026, 08:00–11:00/,
    );
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await screenshot(page, 'cockpit');

    // apply: a confirmation first; by keyboard from "Abbrechen" back to "Anwenden"
    await card.getByRole('button', { name: /anwenden$/ }).click();
    const dialog = page.getByRole('dialog', { name: /anwenden\?$/ });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('betroffen: Witzenhausen');
    await audit('cockpit-confirm');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await card.getByText(/^Angewendet am /).waitFor();
    expect(await card.innerText()).toMatch(/· angewendet/);
    const served = await sql<{ n: number }>(
      stack,
      `SELECT count(*)::int n FROM bookings WHERE resource_id = $1 AND municipality_id = $2 AND status = 'active'`,
      [r.sweeper2Id, r.towns.witzenhausen],
    );
    expect(served[0].n).toBe(1);
  });

  it('works out the membership what-if: utilization, bottlenecks and cost shares before and after', async () => {
    const form = page.getByRole('region', { name: /Was wäre, wenn/ });
    await form.getByRole('button', { name: 'Durchrechnen' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: 'Bitte wählen Sie eine Gemeinde und ein Datum.' })
      .waitFor();
    await form.getByLabel('Gemeinde').selectOption({ label: 'Sontra' });
    await form.getByLabel('tritt bei').check();
    await form.getByLabel('Ab dem').fill('2026-05-04');
    await form.getByRole('button', { name: 'Durchrechnen' }).click();
    const costs = form.getByRole('table', { name: /Kostenanteile 2026/ });
    await costs.waitFor({ timeout: 60_000 });
    const sontra = await costs.getByRole('row', { name: /Sontra/ }).innerText();
    // not a member before, a share of the fixed costs after
    expect(sontra).toMatch(/Sontra\s+—\s+\d+,\d{2} %/);
    expect(await form.innerText()).toContain('Nichts wurde gespeichert.');
    await audit('cockpit-what-if');
  });

  it('is usable at 768 px and switches to English', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    // nothing wider than the screen: wide tables scroll inside their own box
    const tooWide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el) => !el.closest('.table-scroll') && getComputedStyle(el).display !== 'none')
        .map((el) => `${el.tagName}.${el.className}`),
    );
    expect(tooWide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await page.getByRole('button', { name: 'Sprache: auf Englisch umschalten' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bottlenecks and proposals' }).waitFor();
    const heat = page.getByRole('table', { name: /Booked hours per available hours/ });
    await heat.waitFor({ timeout: 60_000 });
    expect(await heat.getByRole('columnheader').allInnerTexts()).toEqual([
      'Type',
      expect.stringContaining('CW 19'),
    ]);
    await heat.getByRole('row', { name: /Street sweepers/ }).waitFor();
    await page.getByRole('region', { name: /Unmet demand/ }).waitFor();
    await audit('cockpit-en-768');
    await page.getByRole('button', { name: 'Language: switch to German' }).click();
    await page.getByRole('heading', { level: 1, name: 'Engpässe und Vorschläge' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the coordinator finalizes April: a confirmation, then numbered statements shown as final', async () => {
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: 'Abrechnungen' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Abrechnungen' }).waitFor();
    await page.getByLabel('Monat', { exact: true }).selectOption({ label: 'April' });
    await page.getByRole('heading', { name: 'Abrechnung April 2026' }).waitFor();
    const table = page.getByRole('table', { name: /Summen je Mitglied/ });
    await table.waitFor();
    const doc = (
      await http()
        .get(`/api/v1/pools/${r.poolId}/statements?period=2026-04`)
        .set('Authorization', `Bearer ${users.coordinator.token}`)
        .expect(200)
    ).body as { poolTotalCents: number; statements: { municipalityName: string; totalCents: number }[] };
    expect(doc.poolTotalCents).toBeGreaterThan(0);
    for (const s of doc.statements) {
      expect(await table.getByRole('row', { name: new RegExp(s.municipalityName) }).innerText()).toContain(
        euros(s.totalCents),
      );
    }
    expect(await page.locator('.pool-total').innerText()).toContain(euros(doc.poolTotalCents));
    await page.getByRole('status').filter({ hasText: 'Vorläufig' }).waitFor();
    await audit('statements-coordinator');

    await page.getByRole('button', { name: 'Finalisieren' }).click();
    const dialog = page.getByRole('dialog', { name: 'Abrechnung April 2026 finalisieren?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(euros(doc.poolTotalCents));
    await dialog.getByRole('button', { name: 'Finalisieren' }).click();
    const final = page.getByRole('status').filter({ hasText: /^.*Finalisiert am / });
    await final.waitFor({ timeout: 30_000 });
    expect(await final.innerText()).toMatch(/Nummern: \d{4}-\d+/);
    expect(await page.getByRole('button', { name: 'Finalisieren' }).count()).toBe(0);
    await table
      .getByRole('row', { name: /Eschwege/ })
      .getByText(/^\d{4}-\d+$/)
      .waitFor();
    await screenshot(page, 'abrechnung');
    await signOut();
  });

  it('finance lands on its statements: own town only, downloads PDF, XLSX and CSV, the chart and the savings', async () => {
    await signIn(users.finance, '/abrechnungen');
    await page.goto(`${base}/abrechnungen?zeitraum=2026-04`);
    const table = page.getByRole('table', { name: /Summen je Mitglied/ });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    const [own] = (
      await http()
        .get(`/api/v1/pools/${r.poolId}/statements?period=2026-04`)
        .set('Authorization', `Bearer ${users.finance.token}`)
        .expect(200)
    ).body.statements as { municipalityName: string; totalCents: number; number: string }[];
    expect(own.municipalityName).toBe('Eschwege');
    expect(await table.innerText()).toContain(euros(own.totalCents));

    const dir = mkdtempSync(path.join(os.tmpdir(), 'allmende-web-statement-'));
    try {
      const files: Record<string, string> = {};
      for (const [label, ext] of [
        ['PDF herunterladen', 'pdf'],
        ['Excel (XLSX) herunterladen', 'xlsx'],
        ['CSV herunterladen', 'csv'],
      ]) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: label }).click(),
        ]);
        expect(download.suggestedFilename()).toMatch(new RegExp(`2026-04.*\\.${ext}$`));
        files[ext] = path.join(dir, `statement.${ext}`);
        await download.saveAs(files[ext]);
      }
      const pdf = execFileSync('pdftotext', ['-layout', files.pdf, '-'], { encoding: 'utf8' });
      expect(pdf).toContain('Eschwege');
      expect(pdf).toContain(own.number);
      // the total in German format, as in the app
      expect(pdf.replace(/\u00a0/g, ' ')).toContain(euros(own.totalCents).replace(/\u00a0/g, ' '));
      expect(readFileSync(files.xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
      expect(readFileSync(files.csv, 'utf8')).toContain('Eschwege');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const chart = page.getByRole('img', { name: /Summe je Mitglied und Monat 2026/ });
    await chart.waitFor({ timeout: 60_000 });
    await page.getByText('Als Tabelle anzeigen').click();
    const months = page.getByRole('table', { name: /Summe je Mitglied und Monat 2026/ });
    expect(await months.getByRole('row', { name: /Eschwege/ }).innerText()).toContain(euros(own.totalCents));
    await page
      .getByRole('table', { name: 'Was uns der Verbund spart' })
      .getByRole('row', { name: /Eschwege/ })
      .waitFor();
    await audit('statements-finance');
    await screenshot(page, 'abrechnung-kaemmerei');
    await signOut();
  });

  it('an admin lands on the administration: every section, a new municipality, a password set', async () => {
    await signIn(users.admin, '/verwaltung');
    await page.getByRole('heading', { level: 1, name: 'Verwaltung' }).waitFor();
    const sections = page.getByRole('navigation', { name: 'Bereiche der Verwaltung' });
    for (const name of ['Gemeinden', 'Verbünde', 'Ressourcen', 'Benutzer', 'Webhooks', 'Warteschlangen']) {
      await sections.getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 2, name }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Wird geladen' }).waitFor({ state: 'detached' });
      await audit(`admin-${name.toLowerCase()}`);
    }
    expect(
      await page.getByRole('link', { name: 'Warteschlangen-Dashboard öffnen' }).getAttribute('href'),
    ).toBe('/admin/queues');

    await sections.getByRole('link', { name: 'Gemeinden' }).click();
    await page.getByLabel('Name').fill('Meißner');
    await page.getByLabel('Gemeindeschlüssel (AGS)').fill('06636010');
    await page.getByLabel('Einwohner').fill('2900');
    await page.getByLabel('Breitengrad').fill('51,2');
    await page.getByLabel('Längengrad').fill('9,95');
    await page.getByRole('button', { name: 'Gemeinde anlegen' }).click();
    await page.getByText('„Meißner“ wurde angelegt.').waitFor();
    await page
      .getByRole('table', { name: '5 Gemeinden' })
      .getByRole('row', { name: /Meißner/ })
      .waitFor();
    // an invalid one is refused in words, next to the form
    await page.getByLabel('Gemeindeschlüssel (AGS)').fill('12');
    await page.getByRole('button', { name: 'Gemeinde anlegen' }).click();
    expect(await page.getByRole('alert').innerText()).toMatch(/Die Eingaben sind nicht gültig\..*ags/i);

    await sections.getByRole('link', { name: 'Verbünde' }).click();
    await page.getByLabel('Verbund').selectOption({ label: 'Bauhof-Verbund' });
    const members = page.getByRole('table', { name: 'Mitglieder' });
    expect(await members.getByRole('row', { name: /Witzenhausen/ }).innerText()).toContain('Do, 01.01.2026');

    await sections.getByRole('link', { name: 'Ressourcen' }).click();
    await page
      .getByRole('table', { name: /Ressourcen/ })
      .getByRole('row', { name: /Kehrmaschine 1/ })
      .waitFor();

    await sections.getByRole('link', { name: 'Benutzer' }).click();
    await page
      .getByLabel('Benutzer auswählen')
      .selectOption({ label: 'Petra Schulz (petra.schulz@eschwege.example)' });
    await page.getByLabel('Neues Passwort').fill('short');
    await page.getByRole('button', { name: 'Passwort setzen' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.getByLabel('Neues Passwort').fill('a-new-password-for-petra');
    await page.getByRole('button', { name: 'Passwort setzen' }).click();
    await page.getByText('Das Passwort von Petra Schulz wurde gesetzt').waitFor();
    // a token for the finance software: shown once, then listed as active
    await page.getByLabel('Name des neuen Tokens').fill('finanz-export');
    await page.getByRole('button', { name: 'Token ausstellen' }).click();
    await page.getByText('Neues Token „finanz-export“:').waitFor();
    expect(await page.getByRole('row', { name: /finanz-export/ }).innerText()).toContain('aktiv');
    await screenshot(page, 'verwaltung');

    const serious = axe.flatMap((a) =>
      a.seriousOrCritical.map((v) => `${a.page}: ${v.id} ${v.nodes.join(', ')}`),
    );
    expect(serious).toEqual([]);
  });
});
