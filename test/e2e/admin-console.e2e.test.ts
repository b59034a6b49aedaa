/**
 * The admin console (SYS-006, RP-002, ED-004) in Chromium against the real API, Postgres, the
 * run's Temporal dev server and a worker. An operator signs in (a wrong key is refused), sees the
 * pool buffer and a domain's health history as charts with the database's numbers, adds a domain
 * with its mailboxes, finds a client, sees the resources it holds and its alert (shown as text,
 * never as HTML), acknowledges the alert, issues and revokes an API key, finds one of its leads
 * across clients and follows it to its workflow in the Temporal Web UI, and sees the schedules.
 * Every screen fits a phone's 390 px. Screenshots go to tmp/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, testConfig, testDb, waitFor } from '../helpers/context.js';
import { httpApi, untilTemporalAnswers } from '../helpers/http-api.js';
import { dashboardStack, LONG } from '../helpers/dashboard-stack.js';
import { browserLabel, checkScreens, haveBrowser, openPage, problemsOf, screenshot, signIn, waitReloading } from '../helpers/browser.js';

const UI = 'http://127.0.0.1:18233';
const config = testConfig({ TEMPORAL_UI_URL: UI });
const db = testDb(config);
const stack = dashboardStack(config, db);
const api = httpApi(() => stack.server.url);
const today = () => new Date().toISOString().slice(0, 10);

describe.skipIf(!haveBrowser)(`admin console in Chromium (${browserLabel})`, () => {
  const tag = randomUUID().slice(0, 8);
  let clientId = '';
  let leadId = '';

  beforeAll(async () => {
    if (!haveBrowser) return;
    const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name: `Console Client ${tag}`, slug: `console-${tag}` });
    clientId = created.body.client.id;
    const key = created.body.apiKey.apiKey as string;
    // A campaign of three leads, onboarded by the worker: each lead gets its lead:{id} workflow.
    const leads = [1, 2, 3].map((i) => ({
      email: `console${i}-${tag}@example.com`,
      first_name: 'Console',
      last_name: `Lead${i}`,
      title: 'Founder',
      company: `Co ${i}`,
      country: 'AU',
      city: 'Sydney',
      phone: `04120000${10 + i}`,
    }));
    const campaign = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', key, {
      name: `Console campaign ${tag}`,
      icp: { titles: ['Founder'] },
      leads,
    });
    expect(campaign.status).toBe(202);
    await waitFor(async () => (await api('GET', `/v1/campaigns/${campaign.body.id}`, key)).body.status === 'running', {
      timeoutMs: 240_000,
      what: 'onboarding',
    });
    const lead = await db.system.lead.findFirstOrThrow({ where: { campaignId: campaign.body.id, sequenceWorkflowId: { not: null } } });
    leadId = lead.id;

    // A domain held by the client with a day of health, and an alert about the client.
    const domain = await db.system.domain.create({
      data: { name: `console-${tag}.test`, status: 'ready', heatScore: 88, healthClass: 'warning' },
    });
    await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'domain', resourceId: domain.id } });
    await db.system.healthSnapshot.create({
      data: {
        resourceType: 'domain',
        resourceId: domain.id,
        day: today(),
        healthClass: 'warning',
        takenAt: new Date(),
        metrics: { sent: 400, bounced: 12, complaints: 1, bounceRate: 0.03, complaintRate: 0.0025, heatScore: 88 },
      },
    });
    await db.system.alert.create({
      data: {
        kind: 'domain_health_warning',
        severity: 'warning',
        clientId,
        message: `Domain warning <img src=x onerror="window.pwned=1"> ${tag}`,
        dedupeKey: `console:${tag}`,
      },
    });
  });

  it('SYS-006 RP-002 ED-004: an operator signs in, sees the pool and a domain’s health as charts, and adds a domain with its mailboxes', async () => {
    const page = await openPage(stack.browser);
    await page.goto(`${stack.server.url}/admin`);
    await page.getByLabel(/API key/).fill('not-the-admin-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key is not valid here.').waitFor(LONG);
    // With the keyboard only: the key typed, Enter signs in; Tab first reaches the skip link, which moves to the content.
    await page.getByLabel(/API key/).fill(ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor(LONG);
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent,
      ),
    ).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id),
    ).toBe('main');

    await page.locator('#pool-buffer tbody tr').nth(3).waitFor(LONG);
    expect(await page.locator('#pool-buffer tbody tr').count()).toBe(4);
    const row = page.locator('#domain-list tbody tr', { hasText: `console-${tag}.test` });
    await row.waitFor(LONG);
    expect(await row.innerText()).toContain('3.00%');
    expect(await row.innerText()).toContain('0.25%');
    // Its history: the chart's own numbers are the snapshot's.
    await page.getByRole('button', { name: `Show the history of console-${tag}.test` }).click();
    const history = page.locator('#domain-history');
    await history.locator('canvas').first().waitFor(LONG);
    await history.locator('summary').nth(1).click();
    const numbers = history.locator('table.chart-data').nth(1).locator('tbody tr', { hasText: today() });
    expect(await numbers.innerText()).toContain('3.00%');
    await screenshot(page, 'admin-pool');

    const added = `added-${tag}.test`;
    await page.locator('#add-domain').getByLabel('Domain').fill(added);
    await page.locator('#add-domain').getByLabel('Mailbox 1').fill(`alex@${added}`);
    await page.locator('#add-domain').getByLabel('Mailbox 2').fill(`sam@${added}`);
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.getByText('Domain added.').waitFor(LONG);
    expect(await db.system.domain.findUnique({ where: { name: added }, include: { mailboxes: true } })).toMatchObject({
      status: 'warming',
      mailboxes: [{}, {}],
    });
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('SYS-006: the operator finds the client, sees its resources and alert, acknowledges it, and issues and revokes a key', async () => {
    const page = await openPage(stack.browser);
    await signIn(page, `${stack.server.url}/admin/clients`, ADMIN_KEY);
    await page.getByLabel('Find a client').fill(tag);
    await page.getByRole('link', { name: `Console Client ${tag}` }).click();
    await page.locator('#held-domains tbody tr', { hasText: `console-${tag}.test` }).waitFor(LONG);
    const alert = page.locator('#client-alerts tbody tr', { hasText: `Domain warning <img src=x onerror="window.pwned=1"> ${tag}` });
    await alert.waitFor(LONG);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await screenshot(page, 'admin-client');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(async () => (await db.system.alert.findFirstOrThrow({ where: { dedupeKey: `console:${tag}` } })).acknowledgedAt, LONG)
      .not.toBeNull();

    await page.getByLabel("New key's name").fill('console-test');
    await page.getByRole('button', { name: 'Issue a key' }).click();
    const issued = await page.locator('#issued-key').innerText();
    expect((await api('GET', '/v1/me', issued)).status).toBe(200);
    page.once('dialog', (d) => d.accept());
    await page.locator('#key-list tbody tr', { hasText: 'console-test' }).getByRole('button', { name: 'Revoke' }).click();
    await page.locator('#key-list tbody tr', { hasText: 'console-test' }).getByText('revoked').waitFor(LONG);
    expect((await api('GET', '/v1/me', issued)).status).toBe(401);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('SYS-006: the operator finds a lead across clients and follows it to its workflow in the Temporal Web UI; the schedules are listed', async () => {
    const page = await openPage(stack.browser);
    await signIn(page, `${stack.server.url}/admin/leads`, ADMIN_KEY);
    const lead = await db.system.lead.findUniqueOrThrow({ where: { id: leadId } });
    await page.getByLabel('Search', { exact: true }).fill(lead.email!);
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .locator('#lead-list tbody tr')
      .filter({ hasText: `Console Client ${tag}` })
      .first()
      .waitFor(LONG);
    // The search's answer replaces the unfiltered list (which may still show while it loads).
    await expect.poll(() => page.locator('#lead-list tbody tr').count(), LONG).toBe(1);
    await page.getByRole('link', { name: `Console ${lead.lastName}` }).click();
    const link = page.locator('#workflow a');
    await link.waitFor(LONG);
    expect(await link.getAttribute('href')).toBe(
      `${UI}/namespaces/${config.temporal.namespace}/workflows/${encodeURIComponent(lead.sequenceWorkflowId!)}`,
    );
    await waitReloading(page, page.locator('#plan-steps tbody tr').nth(4));
    await screenshot(page, 'admin-lead');

    await page.getByRole('link', { name: 'Schedules' }).click();
    // The schedules are described within 5 s, else the page shows the 503: reloaded, as a person would.
    await waitReloading(page, page.locator('#schedule-list tbody tr').first());
    const ids = await page.locator('#schedule-list tbody tr td:first-child').allInnerTexts();
    expect(ids).toEqual(expect.arrayContaining(['pool-monitor', 'health-monitor']));
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('SYS-006: every admin screen fits a phone (390 px) with no sideways scroll, and every control is labelled', async () => {
    const page = await openPage(stack.browser, { width: 390, height: 844 });
    await signIn(page, `${stack.server.url}/admin`, ADMIN_KEY);
    await checkScreens(page, stack.server.url, [
      ['admin-pool', '/admin'],
      ['admin-clients', '/admin/clients'],
      ['admin-client', `/admin/clients/${clientId}`],
      ['admin-alerts', '/admin/alerts'],
      ['admin-campaigns', '/admin/campaigns'],
      ['admin-leads', '/admin/leads'],
      ['admin-lead', `/admin/leads/${leadId}`],
      ['admin-schedules', '/admin/schedules'],
    ]);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });
});
