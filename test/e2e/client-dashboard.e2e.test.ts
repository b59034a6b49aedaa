/**
 * The client dashboard (SYS-007, SYS-001) in Chromium against the real API, Postgres, the run's
 * Temporal dev server and a worker: a client signs in with its key, uploads a CSV with one bad
 * row and sees the refusal by line and field (nothing stored), uploads the fixed file, watches
 * onboarding reach "running", opens a lead and sees its plan in the lead's own time, changes a
 * setting (a refused value first), exports its leads as CSV, and every screen fits a phone's
 * 390 px. A second client's key sees none of it on any screen (SYS-010). Screenshots of the main
 * screens go to tmp/screenshots/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { ADMIN_KEY, testConfig, testDb, waitFor } from '../helpers/context.js';
import { httpApi } from '../helpers/http-api.js';
import { dashboardStack, LONG } from '../helpers/dashboard-stack.js';
import {
  browserLabel,
  checkScreens,
  clickUntilShown,
  haveBrowser,
  openPage,
  problemsOf,
  screenshot,
  signIn,
  waitReloading,
} from '../helpers/browser.js';

const config = testConfig();
const db = testDb(config);
const root = path.resolve(import.meta.dirname, '../..');
const stack = dashboardStack(config, db);
const api = httpApi(() => stack.server.url);

async function newClient(name: string): Promise<{ id: string; key: string }> {
  const res = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name, slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}` });
  expect(res.status).toBe(201);
  return { id: res.body.client.id, key: res.body.apiKey.apiKey };
}

const csv = readFileSync(path.join(root, 'examples/demo-leads.csv'), 'utf8');
const leadCount = csv.trim().split('\n').length - 1;
/** The same list with the third lead's email broken: line 4 of the file (the header is line 1). */
const badCsv = csv
  .split('\n')
  .map((line, i) => (i === 3 ? line.replace(/^[^,]+/, 'mia.taylor@') : line))
  .join('\n');

const file = (content: string) => ({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(content) });

describe.skipIf(!haveBrowser)(`client dashboard in Chromium (${browserLabel})`, () => {
  let first: { id: string; key: string };
  let campaignId = '';
  let leadId = '';

  it('SYS-007 SYS-001: a CSV with a bad row is refused by line and field, the fixed file onboards to running, is paused and resumed, a lead shows its plan in local time, the leads export', async () => {
    first = await newClient('Browser Client');
    const page = await openPage(stack.browser);
    await signIn(page, `${stack.server.url}/app`, first.key);
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Campaign name').fill('Browser campaign <b>bold</b>');
    await page.getByLabel('Titles').fill('Founder, CEO, Head of Marketing');
    await page.getByLabel('Countries').fill('AU, US, GB');

    // One bad row: refused with its line and field, nothing stored.
    await page.getByLabel('Lead list (CSV)').setInputFiles(file(badCsv));
    await page.getByRole('button', { name: 'Create campaign' }).click();
    const refusal = page.getByRole('alert').filter({ has: page.locator('table.issues') });
    await refusal.waitFor(LONG);
    const issue = refusal.locator('tbody tr').first();
    expect(await issue.locator('td').nth(0).innerText()).toBe('4');
    expect(await issue.locator('td').nth(1).innerText()).toBe('email');
    await screenshot(page, 'app-campaign-refused');
    expect(await db.system.campaign.count({ where: { clientId: first.id } })).toBe(0);

    // Fixed: accepted, and onboarding followed live to "running".
    await page.getByLabel('Lead list (CSV)').setInputFiles(file(csv));
    // Two of the demo's numbers cannot be read: those rows are kept and listed by line, with no call or SMS.
    const warnings = page.locator('#warnings tbody tr');
    await clickUntilShown(page, page.getByRole('button', { name: 'Create campaign' }), warnings.first());
    expect(await warnings.count()).toBe(2);
    expect(await warnings.first().locator('td').nth(1).innerText()).toBe('phone');
    await page.getByRole('link', { name: 'Follow its onboarding' }).click();
    await page.waitForURL(/\/app\/campaigns\/[0-9a-f-]{36}$/, LONG);
    campaignId = new URL(page.url()).pathname.split('/').pop()!;
    // The name is text, never markup.
    await page.getByRole('heading', { name: 'Browser campaign <b>bold</b>' }).waitFor();
    await page.getByText('Stage: running').waitFor(LONG);
    expect(await page.locator('[data-count=total]').innerText()).toBe(String(leadCount));
    await screenshot(page, 'app-campaign');

    // Paused from its page: every running sequence of it is paused; resumed, every one runs again.
    const states = async () => {
      const leads = await db.system.lead.findMany({ where: { campaignId, sequenceWorkflowId: { not: null } }, select: { id: true } });
      return Promise.all(leads.map(async (l) => (await api('GET', `/v1/leads/${l.id}`, first.key)).body.sequence?.state as string));
    };
    await clickUntilShown(
      page,
      page.getByRole('button', { name: 'Pause campaign' }),
      page.getByRole('button', { name: 'Resume campaign' }),
    );
    expect((await api('GET', `/v1/campaigns/${campaignId}`, first.key)).body.status).toBe('paused');
    await waitFor(async () => (await states()).every((s) => s === 'paused'), { timeoutMs: 240_000, what: 'every sequence paused' });
    await clickUntilShown(
      page,
      page.getByRole('button', { name: 'Resume campaign' }),
      page.getByRole('button', { name: 'Pause campaign' }),
    );
    await waitFor(async () => (await states()).every((s) => s === 'running'), { timeoutMs: 240_000, what: 'every sequence running' });

    // Its leads, then one lead's plan in the lead's own zone.
    await page.getByRole('link', { name: 'See its leads' }).click();
    await page
      .locator('#leads tbody tr')
      .nth(leadCount - 1)
      .waitFor(LONG);
    expect(await page.locator('#leads tbody tr').count()).toBe(leadCount);
    await page.getByRole('link', { name: 'Olivia Nguyen' }).click();
    await waitReloading(page, page.locator('#plan-steps tbody tr').nth(4));
    leadId = new URL(page.url()).pathname.split('/').pop()!;
    // Its sequence answers a query within 3 s, or the lead says it did not (a busy machine): ask again.
    const lead = await waitFor(
      async () => {
        const body = (await api('GET', `/v1/leads/${leadId}`, first.key)).body;
        return !body.sequenceUnavailable && body;
      },
      { timeoutMs: 120_000, what: "the lead's sequence to answer" },
    );
    expect(lead.timezone).toBe('Australia/Sydney'); // a Sydney number and city (ED-002)
    await page.getByText(`Times in the lead's time zone: ${lead.timezone}`).waitFor();
    const rows = page.locator('#plan-steps tbody tr');
    expect(await rows.count()).toBe(5);
    for (const step of lead.sequence.steps as { step: number; plannedAt?: string; channel: string }[]) {
      const cells = rows.nth(step.step - 1).locator('td');
      expect(await cells.nth(0).innerText()).toBe(String(step.step));
      if (!step.plannedAt) continue;
      // The planned instant read in Sydney: its local date and hh:mm are on the row.
      const local = DateTime.fromISO(step.plannedAt).setZone(lead.timezone);
      const shown = await cells.nth(3).innerText();
      expect(shown).toContain(local.toFormat('HH:mm'));
      expect(shown).toContain(local.toFormat('dd LLL yyyy'));
    }
    expect(await page.locator('#score-reasons tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'app-lead');

    // Export: the leads as a CSV file with one line per lead.
    await page.getByRole('link', { name: 'Export' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download leads (CSV)' }).click(),
    ]);
    const exported = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(exported[0]).toMatch(/^id,campaign,email,/);
    expect(exported).toHaveLength(leadCount + 1);
    expect(exported.join('\n')).toContain('olivia.nguyen@harbourcreative.example');

    // The overview counts the campaign's leads from the database.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page
      .locator('[data-stat=Leads] .stat-value')
      .filter({ hasText: String(leadCount) })
      .waitFor(LONG);
    await screenshot(page, 'app-overview');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('SYS-007 SYS-003: the inbox shows a reply with its intent and state, and the answer box sends an answer', async () => {
    const lead = await db.system.lead.findUniqueOrThrow({ where: { id: leadId } });
    const at = new Date();
    const conversation = await db.system.conversation.create({
      data: {
        clientId: first.id,
        campaignId,
        leadId,
        state: 'needs_human',
        lastIntent: 'interested',
        lastChannel: 'email',
        lastMessageAt: at,
      },
    });
    await db.system.message.create({
      data: {
        clientId: first.id,
        conversationId: conversation.id,
        leadId,
        direction: 'inbound',
        channel: 'email',
        kind: 'reply',
        provider: 'imap',
        providerMessageId: `<browser-${leadId}@example>`,
        subject: 'Re: quick question',
        text: 'Sounds <b>interesting</b>: can we talk next week?',
        intent: 'interested',
        status: 'received',
        at,
      },
    });
    const page = await openPage(stack.browser);
    await signIn(page, `${stack.server.url}/app/inbox`, first.key);
    const row = page.locator('#conversations tbody tr', { hasText: 'Olivia Nguyen' });
    await row.waitFor(LONG);
    expect(await row.innerText()).toContain('interested');
    expect(await row.innerText()).toContain('needs human');
    await row.getByRole('link', { name: 'Olivia Nguyen' }).click();
    await page.getByText('Sounds <b>interesting</b>: can we talk next week?').waitFor(LONG);
    await screenshot(page, 'app-conversation');
    await page.getByLabel('Your answer').fill('Happy to, Olivia: does Tuesday at 10 suit you?');
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.getByText('Answer sent.').waitFor(LONG);
    // The conversation's workflow sent it (sandbox email) and kept it with the conversation.
    await waitFor(
      async () =>
        (await db.system.message.findFirst({
          where: { conversationId: conversation.id, direction: 'outbound', text: { contains: 'does Tuesday at 10 suit you?' } },
        })) ?? false,
      { timeoutMs: 240_000, what: 'the answer to be sent and kept' },
    );
    expect(lead.email).toBe('olivia.nguyen@harbourcreative.example');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('SYS-007: settings are changed through the validated API: a refused value is named and nothing changes', async () => {
    const page = await openPage(stack.browser);
    await signIn(page, `${stack.server.url}/app/settings`, first.key);
    await page.getByLabel('Sender name').fill('Riley from Browser Co');
    await page.getByLabel('Booking link').fill('http://not-https.example/book');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').filter({ hasText: 'bookingLink' }).waitFor(LONG);
    expect((await api('GET', '/v1/settings', first.key)).body.senderName).toBeNull();
    await page.getByLabel('Booking link').fill('https://cal.example/riley');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor(LONG);
    const saved = (await api('GET', '/v1/settings', first.key)).body;
    expect(saved).toMatchObject({ senderName: 'Riley from Browser Co', bookingLink: 'https://cal.example/riley' });
    await screenshot(page, 'app-settings');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('VO-001: a document added on the settings page reaches the voice provider (its state shown), names the knowledge base, and is removed from the page', async () => {
    const page = await openPage(stack.browser);
    await signIn(page, `${stack.server.url}/app/settings`, first.key);
    const doc = Buffer.from(`Opening hours: 7am to 5pm. Call-out fee: $180.\n`, 'utf8');
    await page.getByLabel('Add a document').setInputFiles({ name: 'Opening hours – Zürich.txt', mimeType: 'text/plain', buffer: doc });
    await page.getByRole('button', { name: 'Upload' }).click();
    const row = page.locator('#knowledge-files tbody tr').filter({ hasText: 'Opening hours – Zürich.txt' });
    // The worker's sync (the sandbox voice provider here) uploads it; the list refreshes itself.
    await row.filter({ hasText: 'uploaded' }).waitFor(LONG);
    const kb = (await api('GET', '/v1/settings/voice/knowledge-base', first.key)).body;
    expect(kb.files).toMatchObject([{ name: 'Opening hours – Zürich.txt', size: doc.byteLength, status: 'uploaded' }]);
    await waitFor(async () => (await api('GET', '/v1/settings', first.key)).body.voice.knowledgeBaseId === kb.toolId, {
      what: 'the knowledge base named in the settings',
    });
    // The settings form, loaded before the sync named the knowledge base, saves what it changed only.
    await page.getByLabel('Sender name').fill('Riley at the front desk');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor(LONG);
    expect((await api('GET', '/v1/settings', first.key)).body).toMatchObject({
      senderName: 'Riley at the front desk',
      voice: { knowledgeBaseId: kb.toolId },
    });
    // A file the provider cannot read is refused on the page, and nothing is kept.
    await page
      .getByLabel('Add a document')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from([137, 80, 78, 71]) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('alert').filter({ hasText: 'not a supported file type' }).waitFor(LONG);
    await screenshot(page, 'app-settings-knowledge-base');
    await page.getByRole('button', { name: 'Remove Opening hours – Zürich.txt' }).click();
    await page.getByText('No documents yet.').waitFor(LONG);
    await waitFor(async () => (await api('GET', '/v1/settings', first.key)).body.voice.knowledgeBaseId === null, {
      what: 'the knowledge base cleared',
    });
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('SYS-007: every client screen fits a phone (390 px) with no sideways scroll, and every control is labelled', async () => {
    const page = await openPage(stack.browser, { width: 390, height: 844 });
    await signIn(page, `${stack.server.url}/app`, first.key);
    await checkScreens(page, stack.server.url, [
      ['app-overview', '/app'],
      ['app-campaigns', '/app/campaigns'],
      ['app-campaign', `/app/campaigns/${campaignId}`],
      ['app-new-campaign', '/app/campaigns/new'],
      ['app-leads', '/app/leads'],
      ['app-lead', `/app/leads/${leadId}`],
      ['app-inbox', '/app/inbox'],
      ['app-settings', '/app/settings'],
      ['app-export', '/app/export'],
    ]);
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('SYS-010 SYS-007: a second client sees none of the first client’s data on any screen', async () => {
    const other = await newClient('Other Browser Client');
    const page = await openPage(stack.browser);
    await signIn(page, `${stack.server.url}/app`, other.key);
    await page.locator('[data-stat=Leads] .stat-value').filter({ hasText: /^0$/ }).waitFor(LONG);
    await page.goto(`${stack.server.url}/app/campaigns`);
    await page.getByText('No campaigns yet').waitFor(LONG);
    await page.goto(`${stack.server.url}/app/leads`);
    await page.getByText('No lead matches.').waitFor(LONG);
    await page.goto(`${stack.server.url}/app/leads/${leadId}`);
    await page.getByRole('alert').filter({ hasText: 'not found' }).waitFor(LONG);
    await page.goto(`${stack.server.url}/app/campaigns/${campaignId}`);
    await page.getByRole('alert').filter({ hasText: 'not found' }).waitFor(LONG);
    await page.goto(`${stack.server.url}/app/inbox`);
    await page.getByText('No replies yet.').waitFor(LONG);
    await page.goto(`${stack.server.url}/app/export`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download leads (CSV)' }).click(),
    ]);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(1); // the header only
    const html = await page.content();
    expect(html).not.toContain('harbourcreative');
    await page.context().close();
  });
});
