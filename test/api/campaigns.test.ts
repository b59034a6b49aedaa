/**
 * POST/GET /v1/campaigns through bed.app.inject, with the real database and the run's Temporal dev
 * server (no worker: onboarding is started, not run). SYS-001 intake, AD-002, SYS-010.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { InjectOptions } from 'light-my-request';
import { buildTestApp } from '../helpers/app.js';
import { auth, createTestTenant, csvLeads, testConfig, testDb } from '../helpers/context.js';
import { multipart } from '../helpers/multipart.js';
import { apiBed } from '../helpers/workflow-bed.js';
import { temporalBusy, whileTemporalBusy } from '../helpers/http-api.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);
let tenant: Awaited<ReturnType<typeof createTestTenant>>;

beforeAll(async () => {
  tenant = await createTestTenant(db);
});

const icp = { industries: ['Software'], countries: ['au'], employeeMin: 10, employeeMax: 200 };

/** A campaign posted, again while Temporal does not answer within the start's deadline (5 s: a busy machine). */
const postCampaign = (opts: Pick<InjectOptions, 'headers' | 'payload'>) =>
  whileTemporalBusy(
    () => bed.app.inject({ method: 'POST', url: '/v1/campaigns', ...opts }),
    (r) => r.statusCode === 503 && temporalBusy(r.statusCode, r.json()),
  );

describe('POST /v1/campaigns', () => {
  it('SYS-001: a JSON campaign is stored with its staged rows and its onboarding workflow is started', async () => {
    const res = await postCampaign({
      headers: auth(tenant.apiKey),
      payload: {
        name: 'JSON campaign',
        icp,
        leads: [{ email: 'ann@example.com', phone: '0412 345 678' }, { 'LinkedIn URL': 'https://www.linkedin.com/in/bob' }],
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ name: 'JSON campaign', leadTotal: 2, workflowId: `onboarding:${body.id}`, icp: { countries: ['AU'] } });
    expect(res.headers.location).toBe(`/v1/campaigns/${body.id}`);
    expect(await db.system.leadImportRow.count({ where: { campaignId: body.id } })).toBe(2);
    const described = await bed.temporal.workflow.getHandle(body.workflowId).describe();
    expect(described.type).toBe('onboardingWorkflow');
    expect(described.taskQueue).toBe(config.temporal.taskQueue);
    await bed.temporal.workflow.getHandle(body.workflowId).terminate('test done');
  });

  it('SYS-001: a CSV upload (multipart) is accepted', async () => {
    const { payload, headers } = multipart({ campaign: JSON.stringify({ name: 'CSV campaign', icp }) }, { leads: csvLeads(25) });
    const res = await postCampaign({ headers: { ...headers, ...auth(tenant.apiKey) }, payload });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().leadTotal).toBe(25);
    await bed.temporal.workflow.getHandle(res.json().workflowId).terminate('test done');
  });

  it('SYS-001: a malformed CSV row is a 400 naming the line and field, and nothing is stored', async () => {
    const before = await db.system.campaign.count({ where: { clientId: tenant.client.id } });
    const csv = csvLeads(10, { badLine: { line: 7, email: 'not-an-email' } });
    const { payload, headers } = multipart({ campaign: JSON.stringify({ name: 'bad CSV', icp }) }, { leads: csv });
    const res = await bed.app.inject({ method: 'POST', url: '/v1/campaigns', headers: { ...headers, ...auth(tenant.apiKey) }, payload });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('invalid_leads');
    expect(body.message).toMatch(/line 7, email: not a valid email address/);
    expect(body.details).toEqual([{ row: 6, line: 7, field: 'email', message: 'not a valid email address' }]);
    expect(await db.system.campaign.count({ where: { clientId: tenant.client.id } })).toBe(before);
  });

  it('SYS-001: every bad row is reported, by field, for JSON lists too', async () => {
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: auth(tenant.apiKey),
      payload: {
        name: 'bad JSON',
        icp,
        leads: [{ email: 'ok@example.com' }, { first_name: 'No contact' }, { email: 'x@y.co', country: 'Atlantis', phone: 'call me' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { row: 2, field: 'email', message: 'a lead needs at least one of email, phone or linkedin_url' },
      { row: 3, field: 'country', message: 'unknown country "Atlantis" (use an ISO 3166 code such as AU, US, GB)' },
      { row: 3, field: 'phone', message: 'not a phone number (digits, spaces, + - ( ) only)' },
    ]);
  });

  it('SYS-001: a lead source instead of a list needs a configured sourcing API, and not both at once', async () => {
    const none = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: auth(tenant.apiKey),
      payload: { name: 'sourced', icp, source: { type: 'apollo', limit: 50 } },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: 'no_lead_source' });
    const both = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: auth(tenant.apiKey),
      payload: { name: 'both', icp, source: { type: 'apollo', limit: 5 }, leads: [{ email: 'a@b.co' }] },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toMatch(/either a lead list/);
  });

  it('AD-002: a campaign does not take a user-written sequence', async () => {
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: auth(tenant.apiKey),
      payload: { name: 'with sequence', icp, sequence: [{ day: 0, channel: 'email' }], leads: [{ email: 'a@b.co' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/sequence/);
  });

  it('SYS-001: an invalid ICP names the field', async () => {
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: auth(tenant.apiKey),
      payload: { name: 'x', icp: { employeeMin: 500, employeeMax: 10 }, leads: [{ email: 'a@b.co' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toContainEqual({ field: 'body.icp.employeeMin', message: 'employeeMin must not exceed employeeMax' });
  });

  it('SYS-001: a start whose answer is lost past its deadline (the workflow did start) keeps the campaign: 202, not a 503 that would orphan the onboarding', async () => {
    const gateway = (bed.app as typeof bed.app & { services: { gateway: { start: (...a: unknown[]) => Promise<unknown> } } }).services
      .gateway;
    const real = gateway.start.bind(gateway);
    const start = vi.spyOn(gateway, 'start').mockImplementationOnce(async (...args: unknown[]) => {
      await real(...args);
      throw new Error('deadline exceeded: the answer was lost');
    });
    try {
      const res = await bed.app.inject({
        method: 'POST',
        url: '/v1/campaigns',
        headers: auth(tenant.apiKey),
        payload: { name: 'Lost answer', icp, leads: [{ email: 'lost@example.com' }] },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { id, workflowId } = res.json();
      expect(await db.system.campaign.findUnique({ where: { id } })).not.toBeNull();
      expect((await bed.temporal.workflow.getHandle(workflowId).describe()).type).toBe('onboardingWorkflow');
      await bed.temporal.workflow.getHandle(workflowId).terminate('test done');
    } finally {
      start.mockRestore();
    }
  });

  it('SYS-001: when Temporal is unreachable the request fails with 503 and stores nothing', async () => {
    const { Client, Connection } = await import('@temporalio/client');
    const deadClient = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
    const deadApp = await buildTestApp({ ...config, temporal: { ...config.temporal, taskQueue: 'nowhere' } }, { db, temporal: deadClient });
    const before = await db.system.campaign.count({ where: { clientId: tenant.client.id } });
    const res = await deadApp.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: auth(tenant.apiKey),
      payload: { name: 'x', icp, leads: [{ email: 'a@b.co' }] },
    });
    expect(res.statusCode).toBe(503);
    expect(await db.system.campaign.count({ where: { clientId: tenant.client.id } })).toBe(before);
    await deadApp.close();
  });
});

describe('GET /v1/campaigns/:id', () => {
  it('SYS-010: another client gets 404 for a campaign it does not own, never the data', async () => {
    const res = await postCampaign({ headers: auth(tenant.apiKey), payload: { name: 'mine', icp, leads: [{ email: 'a@b.co' }] } });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id;
    const other = await createTestTenant(db, 'Other');
    const peek = await bed.app.inject({ method: 'GET', url: `/v1/campaigns/${id}`, headers: auth(other.apiKey) });
    expect(peek.statusCode).toBe(404);
    expect(peek.body).not.toContain('mine');
    const list = await bed.app.inject({ method: 'GET', url: '/v1/campaigns', headers: auth(other.apiKey) });
    expect(list.json()).toEqual({ campaigns: [] });
    const own = await bed.app.inject({ method: 'GET', url: `/v1/campaigns/${id}`, headers: auth(tenant.apiKey) });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id, name: 'mine', progress: { total: 1 } });
    await bed.temporal.workflow.getHandle(res.json().workflowId).terminate('test done');
  });

  it('answers 400 for an id that is not a UUID', async () => {
    const res = await bed.app.inject({ method: 'GET', url: '/v1/campaigns/abc', headers: auth(tenant.apiKey) });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues).toEqual([{ field: 'params.id', message: 'must be a UUID' }]);
  });
});
