/**
 * The admin dashboard (RP-002, ED-004) in a real browser: Debian's Chromium driven by
 * playwright-core against the running API (real HTTP, Postgres). The operator signs in with the
 * admin key, sees the pool buffer and a domain's 30-day health, adds a domain with two mailboxes
 * through the form, and acknowledges an alert. Skipped, with the reason, where no Chromium is
 * installed (scripts/bootstrap.sh installs it with apt where it can).
 */
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startServer } from '../../server.js';
import { ADMIN_KEY, testConfig, testDb } from '../helpers/context.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
const config = testConfig();
const db = testDb(config);
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;

beforeAll(async () => {
  if (!haveBrowser) return;
  server = await startServer(config, { db });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await db.close();
});

describe.skipIf(!haveBrowser)(`admin dashboard in Chromium (${haveBrowser ? CHROMIUM : 'no Chromium installed: skipped'})`, () => {
  it('RP-002 ED-004: an operator signs in, sees the pool and domain health, adds a domain with its mailboxes and acknowledges an alert', async () => {
    const tag = randomUUID().slice(0, 8);
    const domain = await db.system.domain.create({
      data: { name: `dash-${tag}.test`, status: 'ready', heatScore: 91, healthClass: 'warning' },
    });
    await db.system.healthSnapshot.create({
      data: {
        resourceType: 'domain',
        resourceId: domain.id,
        day: new Date().toISOString().slice(0, 10),
        healthClass: 'warning',
        takenAt: new Date(),
        metrics: { sent: 400, bounced: 12, complaints: 1, bounceRate: 0.03, complaintRate: 0.0025 },
      },
    });
    const alert = await db.system.alert.create({
      data: { kind: 'pool_buffer_low', severity: 'warning', message: `Pool buffer low <b>${tag}</b>`, dedupeKey: `dash:${tag}` },
    });

    const page = await browser.newPage();
    await page.goto(`${server.url}/admin`);
    await page.fill('#key', 'not-the-key');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#login-error:not(:empty)');
    await page.fill('#key', ADMIN_KEY);
    await page.click('#login-form button[type=submit]');

    // The pool buffer: one row per resource type.
    await page.waitForSelector('#pool-body tr');
    expect(await page.locator('#pool-body tr').count()).toBe(4);
    // The domain's health from its latest snapshot (ED-004).
    const row = page.locator('#domains-body tr', { hasText: domain.name });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('3.00%');
    expect(text).toContain('0.25%');
    expect(text).toContain('400');
    // The alert, shown as text (never as HTML), acknowledged from the page.
    const alertRow = page.locator('#alerts-body tr', { hasText: `Pool buffer low <b>${tag}</b>` });
    await alertRow.waitFor();
    await alertRow.locator('button').click();
    await expect
      .poll(async () => (await db.system.alert.findUniqueOrThrow({ where: { id: alert.id } })).acknowledgedAt, { timeout: 10_000 })
      .not.toBeNull();

    // Add a domain with two mailboxes (RP-002 "add resources").
    const added = `added-${tag}.test`;
    await page.fill('#add-domain input[name=name]', added);
    await page.fill('#add-domain input[name=email1]', `alex@${added}`);
    await page.fill('#add-domain input[name=email2]', `sam@${added}`);
    await page.click('#add-domain button[type=submit]');
    await expect
      .poll(async () => db.system.domain.findUnique({ where: { name: added }, include: { mailboxes: true } }), { timeout: 10_000 })
      .toMatchObject({ status: 'warming', mailboxes: [{}, {}] });
    await page.locator('#domains-body tr', { hasText: added }).waitFor();
    await page.close();
  });
});
