/**
 * Debian's Chromium driven by playwright-core for the dashboards' browser tests (scripts/test.sh
 * installs it with apt where it can; without it those tests are skipped and say so). Screenshots
 * go to tmp/screenshots/ (not committed), one PNG per named screen and width.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveBrowser = existsSync(CHROMIUM);
export const browserLabel = haveBrowser ? CHROMIUM : 'no Chromium installed: skipped';

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../tmp/screenshots');

/**
 * How long a page's waits, actions and navigations may take before they fail: generous, a safety
 * net for a hang on a busy machine, never a speed check (Playwright's own default is 30 s).
 */
export const BROWSER_WAIT_MS = 240_000;

/** A real browser, as the probe of this machine starts it (no background network: it has none). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page that fails the test on any script error or CSP refusal the console reports. */
export async function openPage(browser: Browser, opts: { width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 }, acceptDownloads: true });
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  context.setDefaultNavigationTimeout(BROWSER_WAIT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  (page as Page & { problems: string[] }).problems = problems;
  return page;
}

export function problemsOf(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
}

/** Signs in on a console's page with a key and waits for its navigation. */
export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel(/API key/).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * The page showing the API's 503 for a Temporal that did not answer within the route's deadline (a
 * campaign's start, or its pause, resume or stop: 5 s; a busy machine): nothing was stored, or a
 * repeat changes nothing, and the message asks to retry.
 */
const temporalBusyAlert = (page: Page) =>
  page.getByRole('alert').filter({ hasText: /workflow service is unavailable|could not be reached yet/ });

/**
 * Clicks `button` until `done` shows: while the page answers that Temporal did not answer in time,
 * a person clicks again. (Each page clears its last error as it sends.)
 */
export async function clickUntilShown(page: Page, button: Locator, done: Locator): Promise<void> {
  const busy = temporalBusyAlert(page);
  const until = Date.now() + BROWSER_WAIT_MS;
  for (;;) {
    await button.click();
    await busy.waitFor({ state: 'detached' });
    await done.or(busy).first().waitFor();
    if ((await busy.count()) === 0 || Date.now() > until) return;
  }
}

/**
 * Waits until `shown` is on the page, reloading it (once a minute) while it is not, as a person
 * would: a lead page asks again for a sequence that did not answer its query in time (3 s), but
 * for half a minute only, and the schedules page shows the 503 of a description not made in 5 s;
 * a busy machine may need longer.
 */
export async function waitReloading(page: Page, shown: Locator): Promise<void> {
  const until = Date.now() + BROWSER_WAIT_MS;
  for (;;) {
    try {
      await shown.waitFor({ timeout: 60_000 });
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await page.reload();
    }
  }
}

/** Nothing wider than the viewport (a phone's 390 px): the page itself never scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page, what = page.url()): Promise<void> {
  const { scroll, width } = await page.evaluate(() => {
    const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    return { scroll: w.document.documentElement.scrollWidth, width: w.innerWidth };
  });
  expect(scroll, `${what} scrolls sideways`).toBeLessThanOrEqual(width);
}

/** Every visible form control has a label a screen reader reads (a wrapping <label>, label[for], aria-label). */
export async function expectLabelledControls(page: Page, what = page.url()): Promise<void> {
  const unlabelled = await page.evaluate(() => {
    type El = {
      tagName: string;
      id: string;
      type?: string;
      name?: string;
      labels?: ArrayLike<unknown> | null;
      getAttribute(n: string): string | null;
      getClientRects(): ArrayLike<unknown>;
    };
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
    return Array.from(doc.querySelectorAll('input, select, textarea'))
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
      .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => `${el.tagName.toLowerCase()}[name=${el.name ?? ''}]`);
  });
  expect(unlabelled, `${what}: controls without a label`).toEqual([]);
}

/** Each screen opened in turn (name, path): it fits the page's width, its controls are labelled, and it is photographed. */
export async function checkScreens(page: Page, baseUrl: string, screens: [name: string, path: string][]): Promise<void> {
  for (const [name, url] of screens) {
    await page.goto(`${baseUrl}${url}`);
    await page.locator('h1').waitFor();
    await page.waitForLoadState('networkidle');
    await expectNoSidewaysScroll(page, url);
    await expectLabelledControls(page, url);
    await screenshot(page, name);
  }
}
