import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { ROOT } from './processes';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM = process.env.ALLMENDE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
export const WEB_ROOT = path.join(ROOT, 'dist', 'web');

export function assertWebBuilt(): void {
  if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
    throw new Error('dist/web is missing: run `npm run build` (npm test does it) first');
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  }
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium in a fresh profile of its own, quiet (no network of its own, no updates). */
export async function openBrowser(): Promise<TestBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'allmende-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // date and time inputs follow the browser's language, as on a German office PC
      '--lang=de-DE',
    ],
    viewport: { width: 1280, height: 800 },
    locale: 'de-DE',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeSummary {
  page: string;
  violations: number;
  seriousOrCritical: { id: string; impact: string; help: string; nodes: string[] }[];
}

/** axe-core on the page as it is now (WCAG 2.1 A and AA rules); prints the count it found. */
export async function checkAccessibility(page: Page, name: string): Promise<AxeSummary> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = {
    page: name,
    violations: results.violations.length,
    seriousOrCritical: serious.map((v) => ({
      id: v.id,
      impact: String(v.impact),
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    })),
  };
  process.stdout.write(
    `axe ${name}: ${summary.seriousOrCritical.length} serious/critical violations (${summary.violations} in all)\n`,
  );
  return summary;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
