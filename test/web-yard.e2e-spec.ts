/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { assertWebBuilt, checkAccessibility, openBrowser, screenshot, TestBrowser } from './support/browser';
import { startTestStack, TestStack } from './support/test-app';
import { setPassword } from './support/web-session';
import { buildWorld, sql, World } from './support/world';

const PASSWORD = 'yard-manager-password-2026';

/**
 * The yard manager's day in headless Chromium against the real API on real PostgreSQL: the board's
 * marks (holiday, blackout, due inspection, working hours, busy time), booking by dragging and by
 * keyboard, the form's free windows with an operator, a conflict with its reason and alternatives,
 * own bookings (reschedule, cancel, usage), the calendar feed and the language in the profile.
 * Eschwege (A) books; Sontra (C) shares the pool and owns the bookings shown as busy time.
 */
describe('web: the yard manager', () => {
  let stack: TestStack;
  let w: World;
  let base: string;
  let browser: TestBrowser;
  let page: Page;
  const ids: Record<string, string> = {};
  const axe: Record<string, number> = {};
  const apiBodies: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    stack = await startTestStack();
    w = await buildWorld(stack);
    await setPassword(stack, w.own['yard-manager'].id, PASSWORD);
    const rows = await sql<{ id: string; name: string }>(
      stack,
      `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, hourly_rate_cents,
                              qualifications, required_qualification, next_inspection_due)
       VALUES ($1, 'machine', 'Bagger Eschwege', 'excavator', $2, 9000, '{}', 'licence-C', NULL),
              ($1, 'machine', 'Bagger Sontra', 'excavator', $3, 9000, '{}', 'licence-C', NULL),
              ($1, 'machine', 'Radlader Eschwege', 'wheel-loader', $2, 7000, '{}', NULL, '2026-06-03'),
              ($1, 'staff', 'Max Fahrer', 'operator', $2, 4500, '{licence-C}', NULL, NULL)
       RETURNING id, name`,
      [w.pools.P1, w.municipalities.A, w.municipalities.C],
    );
    for (const r of rows) ids[r.name] = r.id;
    await sql(
      stack,
      `INSERT INTO blackouts (resource_id, start_at, end_at, reason)
       VALUES ($1, '2026-06-05T04:00Z', '2026-06-05T16:00Z', 'Ölwechsel')`,
      [ids['Bagger Eschwege']],
    );
    // Sontra's bookings of Eschwege's excavator: busy time for Eschwege, with notes it must not see
    for (const day of ['2026-06-02', '2026-06-09']) {
      await sql(
        stack,
        `INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at,
                               blocked_start, blocked_end, notes)
         VALUES ($1, $2, $3, $3, $4::timestamptz, $4::timestamptz + interval '5 hours',
                 $4::timestamptz - interval '25 minutes', $4::timestamptz + interval '5 hours 25 minutes',
                 'PRIVATE-NOTE-SONTRA-BAGGER')`,
        [w.pools.P1, ids['Bagger Eschwege'], w.municipalities.C, `${day}T05:00Z`],
      );
    }
    await stack.api.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    browser = await openBrowser();
    page = browser.page;
    page.on('response', (response) => {
      if (response.url().includes('/api/v1/'))
        void response.text().then(
          (t) => apiBodies.push(t),
          () => {},
        );
    });
  });

  afterAll(async () => {
    console.log(`axe (serious/critical) per yard screen: ${JSON.stringify(axe)}`);
    await browser?.close();
    await stack?.close();
  });

  async function audit(name: string): Promise<void> {
    const summary = await checkAccessibility(page, name);
    axe[name] = summary.seriousOrCritical.length;
    expect(summary.seriousOrCritical).toEqual([]);
  }

  it('signs in and sees the week: holiday, blackout, due inspection, working hours, busy time without notes', async () => {
    await page.goto(`${base}/belegung?woche=2026-06-01`);
    await page.getByLabel('E-Mail-Adresse').fill(w.own['yard-manager'].email);
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.locator('.board[data-ready] .bar').first().waitFor();

    await shows(page.locator('.board-day.holiday'), 'Fronleichnam');
    const row = (name: string) => page.locator('.board-row').filter({ hasText: name });
    // the blackout arrives after the bookings
    await row('Bagger Eschwege')
      .getByRole('img', { name: /^Gesperrt: Bagger Eschwege, Fr, 05\.06\.2026, 06:00–18:00: Ölwechsel$/ })
      .waitFor();
    await row('Radlader Eschwege').getByText('Prüfung fällig am Mi, 03.06.2026').waitFor();
    await row('Radlader Eschwege')
      .getByRole('img', {
        name: 'Radlader Eschwege: Prüfung am Mi, 03.06.2026 fällig, danach nicht einsetzbar',
      })
      .waitFor();
    await row('Max Fahrer').getByText('Mo–Fr 07:00–15:30').waitFor();
    expect(await row('Max Fahrer').locator('.off-hours').count()).toBeGreaterThanOrEqual(7);

    const busy = row('Bagger Eschwege').getByRole('button', {
      name: /^Belegt: Bagger Eschwege, Di, 02\.06\.2026/,
    });
    await busy.click();
    await shows(page.locator('.board-details'), 'Einzelheiten sieht nur sie');
    expect(await page.content()).not.toContain('PRIVATE-NOTE-SONTRA');
    await audit('board-week');
    await screenshot(page, 'belegungsplan-markierungen');
  });

  it('the day view shows hours; keyboard Shift+arrows select a run of hours and Enter opens the form', async () => {
    await page.getByRole('button', { name: 'Tag', exact: true }).click();
    await page.waitForURL(/\/belegung\?tag=2026-06-01$/);
    await page.locator('.board-day').nth(23).waitFor();
    expect(await page.locator('.board-row').first().locator('.board-cell').count()).toBe(24);
    const cell = page.getByRole('button', { name: 'Bagger Eschwege am Mo, 01.06.2026 um 08:00 buchen' });
    await cell.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await shows(page.locator('.board-selection'), 'Auswahl: Bagger Eschwege, Mo, 01.06.2026, 08:00–11:00');
    await audit('board-day');
    await screenshot(page, 'belegungsplan-tag');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/buchungen\/neu\?/);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      typ: 'excavator',
      ressource: ids['Bagger Eschwege'],
      tag: '2026-06-01',
      von: '08:00',
      bis: '11:00',
      bisTag: '2026-06-01',
    });
    await page.getByRole('heading', { level: 1, name: 'Buchen' }).waitFor();
    expect(await page.getByLabel('Beginn (Uhrzeit)').inputValue()).toBe('08:00');
    expect(await page.getByLabel('Ende (Uhrzeit)').inputValue()).toBe('11:00');
  });

  it('books a machine with an operator by dragging over two free days, then narrowing it in the form', async () => {
    await page.goto(`${base}/belegung?woche=2026-06-08`);
    const row = page.locator('.board-row').filter({ hasText: 'Bagger Eschwege' });
    const monday = row.getByRole('button', { name: 'Bagger Eschwege am Mo, 08.06.2026 buchen' });
    const tuesday = row.getByRole('button', { name: 'Bagger Eschwege am Di, 09.06.2026 buchen' });
    await monday.waitFor();
    // from Monday's free morning into Tuesday, across Sontra's busy time there
    await monday.hover({ position: { x: 4, y: 4 } });
    await page.mouse.down();
    const box = (await tuesday.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await shows(page.locator('.board-selection'), 'Mo, 08.06.2026 – Di, 09.06.2026');
    await page.mouse.up();
    await page.waitForURL(/\/buchungen\/neu\?/);
    expect(await page.getByLabel('Maschine oder Fachkraft').inputValue()).toBe(ids['Bagger Eschwege']);
    expect(await page.getByLabel('Beginn (Tag)').inputValue()).toBe('2026-06-08');
    expect(await page.getByLabel('Ende (Tag)').inputValue()).toBe('2026-06-09');
    // the machine needs an operator: booked with one, the free ones offered
    const withOperator = page.getByLabel('Mit Bedienung buchen');
    expect(await withOperator.isChecked()).toBe(true);
    expect(await withOperator.isDisabled()).toBe(true);

    await page.getByLabel('Ende (Tag)').fill('2026-06-08');
    const suggestions = page.getByRole('region', { name: 'Freie Zeiten' });
    await suggestions.getByRole('button').first().waitFor();
    await shows(suggestions, 'mit Bedienung: Max Fahrer');
    await page.getByLabel('Fachkraft', { exact: true }).selectOption(ids['Max Fahrer']);
    await page.getByLabel('Notizen').fill('Graben Friedhofsweg');
    await page.getByRole('button', { name: 'Buchen', exact: true }).click();
    const done = page.locator('.booking-done');
    await shows(done, 'Gebucht.');
    await shows(done, 'Bagger Eschwege, Mo, 08.06.2026, 07:00–15:30.');
    await shows(done, 'Bedienung: Max Fahrer.');
    const [booked] = await sql<{ id: string; operator: string }>(
      stack,
      `SELECT m.id, o.resource_id AS operator FROM bookings m JOIN bookings o ON o.operator_for_booking_id = m.id
       WHERE m.resource_id = $1 AND m.municipality_id = $2 AND m.status = 'active'`,
      [ids['Bagger Eschwege'], w.municipalities.A],
    );
    expect(booked.operator).toBe(ids['Max Fahrer']);
    ids.booked = booked.id;
  });

  it('a conflict says why (the busy time, no notes) and one click books an alternative', async () => {
    const q = new URLSearchParams({
      typ: 'excavator',
      ressource: ids['Bagger Eschwege'],
      tag: '2026-06-09',
      von: '07:00',
      bis: '10:00',
    });
    await page.goto(`${base}/buchungen/neu?${q.toString()}`);
    await page.getByRole('button', { name: 'Buchen', exact: true }).click();
    const conflict = page.locator('.conflict');
    await shows(conflict, 'Nicht buchbar');
    await shows(conflict, 'Die Zeit ist schon belegt (einschließlich An- und Abfahrt):');
    await shows(
      conflict,
      'Bagger Eschwege ist belegt: Di, 09.06.2026, 06:35–12:25 (mit An- und Abfahrt), von einer anderen Gemeinde.',
    );
    expect(await conflict.textContent()).not.toContain('PRIVATE-NOTE');
    expect(apiBodies.join('\n')).not.toContain('PRIVATE-NOTE-SONTRA');
    const alternative = conflict.getByRole('button', {
      name: 'Bagger Sontra, Di, 09.06.2026, 07:00–10:00 buchen',
    });
    await alternative.waitFor();
    await audit('booking-form-conflict');
    await screenshot(page, 'buchungsformular');
    await alternative.click();
    const done = page.locator('.booking-done');
    await shows(done, 'Gebucht.');
    await shows(done, 'Bagger Sontra, Di, 09.06.2026, 07:00–10:00.');
    await shows(done, 'Bedienung: Max Fahrer.');
  });

  it('by keyboard alone: walks the form in order, takes a free time and books it', async () => {
    const q = new URLSearchParams({ typ: 'wheel-loader', tag: '2026-06-01', von: '07:00', bis: '09:00' });
    await page.goto(`${base}/buchungen/neu?${q.toString()}`);
    await page.getByLabel('Art', { exact: true }).focus();
    const order: string[] = [];
    // date and time fields take Tab between their parts (day, month, year): count each field once
    for (let i = 0; i < 30; i++) {
      order.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return '';
          const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
          return (label ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
        }),
      );
      await page.keyboard.press('Tab');
    }
    expect(order.filter((label, i) => label !== order[i - 1]).slice(0, 11)).toEqual([
      'Art',
      'Maschine oder Fachkraft',
      'Einsatzort',
      'Beginn (Tag)',
      'Beginn (Uhrzeit)',
      'Ende (Tag)',
      'Ende (Uhrzeit)',
      'Mit Bedienung buchen',
      'Notizen',
      'Ansprechperson vor Ort',
      'Buchen',
    ]);
    // the free windows follow the form, with the Radlader's coming inspection
    const suggestions = page.getByRole('region', { name: 'Freie Zeiten' });
    await shows(suggestions, 'Radlader Eschwege ist am Mi, 03.06.2026 zur Prüfung fällig.');
    const firstWindow = suggestions.getByRole('button').first();
    await firstWindow.waitFor();
    // on from "Buchen": the link to the board, then the free times
    await page.getByRole('button', { name: 'Buchen', exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await firstWindow.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    // taking a window moves the focus to "Buchen"
    await page.waitForFunction(() => document.activeElement?.id === 'booking-submit');
    expect(await page.getByLabel('Maschine oder Fachkraft').inputValue()).toBe(ids['Radlader Eschwege']);
    await page.keyboard.press('Enter');
    await shows(page.locator('.booking-done'), 'Radlader Eschwege, Mo, 01.06.2026, 07:00–09:00.');
  });

  it('own bookings: reschedule, cancel with confirmation, record usage with errors by field', async () => {
    await page.goto(`${base}/buchungen?ab=2026-06-01`);
    await page.getByRole('heading', { level: 1, name: 'Meine Buchungen' }).waitFor();
    const item = (text: string | RegExp) => page.locator('article.my-booking').filter({ hasText: text });
    await item('Bagger Sontra').waitFor();
    // the operator bookings ride along with their machines
    expect(
      await page
        .locator('article.my-booking')
        .filter({ hasText: /^Max Fahrer/ })
        .count(),
    ).toBe(0);

    // reschedule the sweeper (the world's booking on 1 June) to 15 June
    const sweeper = item('Kehrmaschine Eschwege');
    await sweeper.getByRole('button', { name: 'Verschieben' }).click();
    const form = sweeper.getByRole('form', { name: 'Kehrmaschine Eschwege verschieben' });
    await form.getByLabel('Beginn (Tag)').fill('2026-06-15');
    await form.getByLabel('Ende (Tag)').fill('2026-06-15');
    await form.getByRole('button', { name: 'Verschieben' }).click();
    await shows(
      page.locator('.notice[role="status"]').first(),
      'Verschoben: Kehrmaschine Eschwege, jetzt Mo, 15.06.2026',
    );

    // cancel the excavator taken as the alternative
    const alternative = item('Bagger Sontra');
    await alternative.getByRole('button', { name: 'Stornieren' }).click();
    const confirm = alternative.getByRole('alertdialog');
    await shows(confirm, 'wirklich stornieren?');
    await shows(confirm, 'Die Bedienung (Max Fahrer) wird mit storniert.');
    // the focus is on the confirming button; "Nein" keeps it
    await confirm.getByRole('button', { name: 'Nein, behalten' }).click();
    expect(await alternative.getByRole('alertdialog').count()).toBe(0);
    await alternative.getByRole('button', { name: 'Stornieren' }).click();
    await alternative.getByRole('button', { name: 'Ja, stornieren' }).click();
    await shows(
      page.locator('.notice[role="status"]').first(),
      'Storniert: Bagger Sontra, Di, 09.06.2026, 07:00–10:00',
    );
    await alternative.waitFor({ state: 'detached' });
    const [cancelled] = await sql<{ n: string }>(
      stack,
      `SELECT count(*) n FROM bookings WHERE resource_id IN ($1, $2) AND status = 'cancelled'`,
      [ids['Bagger Sontra'], ids['Max Fahrer']],
    );
    expect(Number(cancelled.n)).toBe(2);

    // the excavator of 8 June is back: its usage
    stack.clock.set(new Date('2026-06-08T18:00:00Z'));
    const excavator = item('Bagger Eschwege');
    await excavator.getByRole('button', { name: 'Nutzung erfassen' }).click();
    const usage = excavator.getByRole('form', { name: 'Nutzung von Bagger Eschwege erfassen' });
    await shows(usage, 'noch keine Nutzung erfasst');
    const hours = usage.getByLabel('Betriebsstunden');
    await hours.fill('viel');
    await usage.getByRole('button', { name: 'Nutzung speichern' }).click();
    await shows(usage, 'Bitte eine Zahl mit höchstens zwei Nachkommastellen');
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    // more hours than booked: the API's 422 names the field, shown beside it
    await hours.fill('30');
    await usage.getByRole('button', { name: 'Nutzung speichern' }).click();
    const hoursError = usage.locator(`#${await hours.getAttribute('id')}-error`);
    await shows(hoursError, '30');
    expect(await hours.getAttribute('aria-describedby')).toContain('-error');
    // meter running backwards: the error stands at the meter
    await hours.fill('');
    await usage.getByLabel('Zählerstand bei Abholung').fill('1250,5');
    await usage.getByLabel('Zählerstand bei Rückgabe').fill('1240');
    await usage.getByRole('button', { name: 'Nutzung speichern' }).click();
    const meterEnd = usage.getByLabel('Zählerstand bei Rückgabe');
    await shows(usage.locator(`#${await meterEnd.getAttribute('id')}-error`), '1240');
    await usage.getByLabel('Zählerstand bei Rückgabe').fill('1258');
    await hours.fill('7,5');
    await usage.getByRole('button', { name: 'Nutzung speichern' }).click();
    await shows(usage, 'Die Nutzung wurde gespeichert.');
    await shows(usage, 'Erfasst: 7,5 Betriebsstunden');
    const [recorded] = await sql<{ operating_hours: string; meter_start: string; meter_end: string }>(
      stack,
      `SELECT operating_hours, meter_start, meter_end FROM booking_usages WHERE booking_id = $1`,
      [ids.booked],
    );
    expect([
      Number(recorded.operating_hours),
      Number(recorded.meter_start),
      Number(recorded.meter_end),
    ]).toEqual([7.5, 1250.5, 1258]);
    await audit('my-bookings');
    await screenshot(page, 'meine-buchungen');
  });

  it('profile: subscribes to the calendar feed (URL to copy, instructions), revokes it', async () => {
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: 'Profil' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Kalender abonnieren' }).waitFor();
    await shows(page.getByRole('main'), 'Sie haben noch kein Kalender-Abonnement.');
    await page.getByLabel('Name des Kalenders (freiwillig)').fill('Bauhof Eschwege');
    await page.getByRole('button', { name: 'Abonnement-Adresse erstellen' }).click();
    const url = page.getByLabel('Adresse zum Abonnieren');
    await url.waitFor();
    const address = await url.inputValue();
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar\/[^/]+\.ics$/);
    const feed = await fetch(address);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    // (the feed lists bookings around the real today, not the test clock's: June 2026 may lie outside)
    expect(ics).toContain('X-WR-CALNAME:Bauhof Eschwege');
    await page.getByText('Mozilla Thunderbird').click();
    await shows(page.getByRole('main'), 'Im Netzwerk');
    await audit('profile');
    await screenshot(page, 'profil-kalender');

    await page.getByRole('button', { name: 'Abonnement „Bauhof Eschwege“ widerrufen' }).click();
    await page.getByRole('button', { name: 'Ja, widerrufen' }).click();
    await shows(page.locator('.feed-list .feed-status'), '✕ widerrufen');
    expect((await fetch(address)).status).toBe(404);
  });

  it('works at 768 px: no sideways page scroll on the board, the form or the list', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const path of [
      '/belegung?woche=2026-06-08',
      '/buchungen/neu?typ=excavator&tag=2026-06-10',
      '/buchungen?ab=2026-06-01',
      '/profil',
    ]) {
      await page.goto(`${base}${path}`);
      await page.locator('h1').waitFor();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 768) {
        const wide = await page.evaluate(() =>
          Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > 768)
            .slice(0, 5)
            .map((el) => `${el.tagName}.${el.className}: ${Math.round(el.getBoundingClientRect().right)}`),
        );
        console.log(`wider than 768 px at ${path}: ${wide.join('; ')}`);
      }
      expect({ path, width }).toEqual({ path, width: 768 });
    }
    await page.goto(`${base}/buchungen/neu?typ=excavator&tag=2026-06-10`);
    const submit = page.getByRole('button', { name: 'Buchen', exact: true });
    await submit.scrollIntoViewIfNeeded();
    const box = await submit.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(768);
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await audit('booking-form-768');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('switches to English in the profile; the next sign-in starts in English', async () => {
    await page.goto(`${base}/profil`);
    await page.getByRole('radio', { name: 'English' }).check();
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    await shows(page.getByRole('main'), 'Saved: your next sign-in starts in this language.');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.evaluate(() => localStorage.removeItem('allmende.language'));
    await page.reload();
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByLabel('E-Mail-Adresse').fill(w.own['yard-manager'].email);
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await page.goto(`${base}/buchungen?ab=2026-06-01`);
    await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor();
    await page
      .locator('article.my-booking')
      .filter({ hasText: 'Bagger Eschwege' })
      .getByRole('button', { name: 'Record usage' })
      .waitFor();
  });
});

/** Waits (up to 5 s) until the element shows the text. */
async function shows(locator: Locator, text: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const content = (await locator.textContent().catch(() => '')) ?? '';
    if (content.includes(text)) return;
    if (Date.now() > deadline) throw new Error(`expected "${text}" in "${content.slice(0, 400)}"`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
