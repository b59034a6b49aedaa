/**
 * The admin console's campaigns and leads across clients (SYS-006, SYS-007): filtered keyset
 * pages (newest first, ties by id, every row once), and one lead with its touches, its sequence
 * progress (the same as the client's own view) and its workflow's Temporal Web UI link.
 * test/api/admin-console.test.ts has the client view and the refusal of client keys.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { ADMIN_KEY, auth, createTestTenant, temporalClient, testConfig, testDb, waitFor } from '../helpers/context.js';
import { buildTestApp } from '../helpers/app.js';
import type { Services } from '../../services/index.js';

const UI = 'https://temporal.example.com/ui/';
const config = testConfig({ TEMPORAL_UI_URL: UI });
const db = testDb(config);
let app: FastifyInstance & { services: Services };
let temporal: Client;

beforeAll(async () => {
  temporal = await temporalClient();
  app = await buildTestApp(config, { db, temporal });
});
afterAll(async () => {
  await app?.close();
  await temporal?.connection.close();
  await db.close();
});

const DAY = 86_400_000;
const get = (url: string, key = ADMIN_KEY) => app.inject({ method: 'GET', url, headers: auth(key) });

describe('campaigns and leads across clients (SYS-006, SYS-007)', () => {
  // Far in the future, so that no other test's rows come before them in the shared database.
  const T = Date.parse('2099-01-01T00:00:00.000Z');

  it('SYS-006: campaigns of every client, newest first, with the client name, filtered, in keyset pages', async () => {
    const a = await createTestTenant(db, 'Alpha');
    const b = await createTestTenant(db, 'Beta');
    const make = (clientId: string, name: string, minute: number, status: 'running' | 'draft' = 'running') =>
      db.system.campaign.create({ data: { clientId, name, icp: {}, status, leadTotal: minute, createdAt: new Date(T + minute * 60_000) } });
    const a1 = await make(a.client.id, 'a1', 1);
    const a2 = await make(a.client.id, 'a2', 2, 'draft');
    const a3 = await make(a.client.id, 'a3', 3);
    const a3bis = await make(a.client.id, 'a3bis', 3); // the same created time: the id orders them
    const b4 = await make(b.client.id, 'b4', 4);
    const [tieFirst, tieSecond] = [a3, a3bis].sort((x, y) => (x.id > y.id ? -1 : 1));

    const first = await get(`/v1/admin/campaigns?clientId=${a.client.id}&limit=2`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().campaigns).toEqual([
      {
        id: tieFirst!.id,
        clientId: a.client.id,
        clientName: 'Alpha',
        name: tieFirst!.name,
        status: 'running',
        leadTotal: 3,
        createdAt: '2099-01-01T00:03:00.000Z',
      },
      {
        id: tieSecond!.id,
        clientId: a.client.id,
        clientName: 'Alpha',
        name: tieSecond!.name,
        status: 'running',
        leadTotal: 3,
        createdAt: '2099-01-01T00:03:00.000Z',
      },
    ]);
    const cursor = first.json().nextCursor as string;
    expect(typeof cursor).toBe('string');
    const second = (await get(`/v1/admin/campaigns?clientId=${a.client.id}&limit=2&cursor=${cursor}`)).json();
    expect(second.campaigns.map((c: { id: string }) => c.id)).toEqual([a2.id, a1.id]);
    expect(second.nextCursor).toBeNull();

    const running = (await get(`/v1/admin/campaigns?clientId=${a.client.id}&status=running`)).json().campaigns;
    expect(running.map((c: { id: string }) => c.id)).toEqual([tieFirst!.id, tieSecond!.id, a1.id]);
    // Across clients: Beta's newest comes first, then Alpha's.
    const all = (await get('/v1/admin/campaigns?limit=2')).json().campaigns;
    expect(all.map((c: { id: string; clientName: string }) => [c.id, c.clientName])).toEqual([
      [b4.id, 'Beta'],
      [tieFirst!.id, 'Alpha'],
    ]);

    for (const bad of ['bm9wZQ', 'not a cursor', Buffer.from(`2099-01-01T00:00:00.000Z|${'x'.repeat(36)}`).toString('base64url')]) {
      const res = await get(`/v1/admin/campaigns?cursor=${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad).toBe(400);
    }
    expect((await get('/v1/admin/campaigns?status=shouting')).statusCode).toBe(400);
    expect((await get('/v1/admin/campaigns?limit=0')).statusCode).toBe(400);
    expect((await get('/v1/admin/campaigns?limit=201')).statusCode).toBe(400);
  });

  it('SYS-006 SYS-007: leads of every client filtered by client, campaign, status, tier and q (any case, % _ \\ taken literally), in keyset pages', async () => {
    const a = await createTestTenant(db, 'Alpha leads');
    const b = await createTestTenant(db, 'Beta leads');
    const ca = await db.system.campaign.create({ data: { clientId: a.client.id, name: 'Q1 founders', icp: {} } });
    const ca2 = await db.system.campaign.create({ data: { clientId: a.client.id, name: 'Q2', icp: {} } });
    const cb = await db.system.campaign.create({ data: { clientId: b.client.id, name: 'Beta campaign', icp: {} } });
    const at = (minute: number) => new Date(T + 10 * DAY + minute * 60_000);
    const lead = (clientId: string, campaignId: string, sourceRow: number, data: Record<string, unknown>) =>
      db.system.lead.create({ data: { clientId, campaignId, sourceRow, createdAt: at(sourceRow), ...data } });
    const l1 = await lead(a.client.id, ca.id, 1, {
      email: 'ann@acme.io',
      firstName: 'Ann',
      lastName: 'Lee',
      company: 'Other',
      tier: 'Hot',
    });
    const l2 = await lead(a.client.id, ca.id, 2, {
      email: 'bo@x.io',
      firstName: 'Bo',
      company: 'ACME Pty',
      tier: 'Warm',
      status: 'in_sequence',
    });
    const l3 = await lead(a.client.id, ca.id, 3, {
      email: 'cy@y.io',
      firstName: 'Cy',
      company: '100% Growth',
      tier: 'Hot',
      status: 'replied',
      repliedAt: new Date('2099-02-01T00:00:00.000Z'),
      timezone: 'Australia/Perth',
      sequenceWorkflowId: 'lead:l3',
    });
    const l4 = await lead(a.client.id, ca2.id, 4, { email: 'di@z.io', firstName: 'Acmeson', company: 'Zed\\Co', tier: 'Cold' });
    const l5 = await lead(b.client.id, cb.id, 5, { email: 'eve@acme.io', company: 'Acme', tier: 'Hot' });

    const ids = async (query: string) => {
      const res = await get(`/v1/admin/leads?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().leads.map((l: { id: string }) => l.id);
    };
    expect(await ids(`clientId=${a.client.id}`)).toEqual([l4.id, l3.id, l2.id, l1.id]);
    expect(await ids(`campaignId=${ca.id}`)).toEqual([l3.id, l2.id, l1.id]);
    expect(await ids(`clientId=${a.client.id}&tier=Hot`)).toEqual([l3.id, l1.id]);
    expect(await ids(`clientId=${a.client.id}&status=in_sequence`)).toEqual([l2.id]);
    expect(await ids(`clientId=${a.client.id}&q=acme`)).toEqual([l4.id, l2.id, l1.id]);
    expect(await ids(`clientId=${a.client.id}&q=${encodeURIComponent('%')}`)).toEqual([l3.id]);
    expect(await ids(`clientId=${a.client.id}&q=_`)).toEqual([]);
    expect(await ids(`clientId=${a.client.id}&q=${encodeURIComponent('\\')}`)).toEqual([l4.id]);
    expect(await ids(`clientId=${b.client.id}&q=ACME`)).toEqual([l5.id]);
    expect(await ids(`clientId=${b.client.id}&campaignId=${ca.id}`)).toEqual([]);

    const row = (await get(`/v1/admin/leads?clientId=${a.client.id}&status=replied`)).json().leads[0];
    expect(row).toEqual({
      id: l3.id,
      clientId: a.client.id,
      clientName: 'Alpha leads',
      campaignId: ca.id,
      campaignName: 'Q1 founders',
      email: 'cy@y.io',
      firstName: 'Cy',
      lastName: null,
      company: '100% Growth',
      tier: 'Hot',
      status: 'replied',
      timezone: 'Australia/Perth',
      sequenceWorkflowId: 'lead:l3',
      repliedAt: '2099-02-01T00:00:00.000Z',
      optedOutAt: null,
      createdAt: at(3).toISOString(),
    });

    // Pages of two over the client's four: every lead once, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/v1/admin/leads?clientId=${a.client.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.json().leads.map((l: { id: string }) => l.id));
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor && pages < 5);
    expect(seen).toEqual([l4.id, l3.id, l2.id, l1.id]);
    expect(pages).toBe(2);
    expect((await get('/v1/admin/leads?tier=Lukewarm')).statusCode).toBe(400);
    expect((await get('/v1/admin/leads?campaignId=nope')).statusCode).toBe(400);
  });
});

describe('one lead across clients (SYS-006, SYS-007)', () => {
  it('SYS-006 SYS-007: the lead with its touches, its sequence progress as the client sees it (or that Temporal did not answer in time), and its workflow in the Temporal Web UI', async () => {
    const t = await createTestTenant(db, 'Lead owner');
    const campaign = await db.system.campaign.create({ data: { clientId: t.client.id, name: 'Founders', icp: {} } });
    const lead = await db.system.lead.create({
      data: {
        clientId: t.client.id,
        campaignId: campaign.id,
        sourceRow: 1,
        email: 'lee@lead.example',
        status: 'in_sequence',
        tier: 'Warm',
      },
    });
    const workflowId = `lead:${lead.id}`;
    await db.system.lead.update({
      where: { id: lead.id },
      data: { sequenceWorkflowId: workflowId, sequenceStartedAt: new Date('2026-04-01T00:00:00Z') },
    });
    const evidence = { window: { zone: 'Australia/Sydney', at: '2026-04-01T23:00:00.000Z' }, tier: 'Warm' };
    await db.system.touch.create({
      data: {
        clientId: t.client.id,
        campaignId: campaign.id,
        leadId: lead.id,
        step: 1,
        channel: 'email',
        status: 'sent',
        idempotencyKey: `${workflowId}:1:${randomUUID()}`,
        plannedAt: new Date('2026-04-01T23:00:00.000Z'),
        sentAt: new Date('2026-04-01T23:00:05.000Z'),
        provider: 'smtp',
        providerRef: 'msg-1',
        evidence,
      },
    });
    await db.system.touch.create({
      data: {
        clientId: t.client.id,
        campaignId: campaign.id,
        leadId: lead.id,
        step: 2,
        channel: 'sms',
        status: 'skipped',
        idempotencyKey: `${workflowId}:2:${randomUUID()}`,
        evidence: { reason: 'no_consent' },
      },
    });
    const progress = { leadId: lead.id, stepsDone: 1, next: { step: 3, at: '2026-04-05T00:00:00.000Z' } };
    const query = vi.spyOn(app.services.gateway, 'query').mockResolvedValue(progress);
    try {
      const res = await get(`/v1/admin/leads/${lead.id}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        id: lead.id,
        clientId: t.client.id,
        clientName: 'Lead owner',
        campaignId: campaign.id,
        campaignName: 'Founders',
        email: 'lee@lead.example',
        status: 'in_sequence',
        tier: 'Warm',
        sequenceWorkflowId: workflowId,
        sequenceStartedAt: '2026-04-01T00:00:00.000Z',
        score: null,
        scoreReasons: null,
      });
      expect(body.workflow).toEqual({
        workflowId,
        namespace: 'default',
        uiUrl: `https://temporal.example.com/ui/namespaces/default/workflows/lead%3A${lead.id}`,
      });
      expect(body.touches).toEqual([
        {
          step: 1,
          channel: 'email',
          status: 'sent',
          plannedAt: '2026-04-01T23:00:00.000Z',
          sentAt: '2026-04-01T23:00:05.000Z',
          provider: 'smtp',
          providerRef: 'msg-1',
          evidence,
        },
        {
          step: 2,
          channel: 'sms',
          status: 'skipped',
          plannedAt: null,
          sentAt: null,
          provider: null,
          providerRef: null,
          evidence: { reason: 'no_consent' },
        },
      ]);
      expect(body.sequence).toEqual(progress);
      // The client's own view shows the same progress and touches (one helper).
      const own = (await get(`/v1/leads/${lead.id}`, t.apiKey)).json();
      expect(own.sequence).toEqual(body.sequence);
      expect(own.touches).toEqual(body.touches);
      expect(query).toHaveBeenCalledWith(workflowId, expect.anything(), expect.any(Number));
    } finally {
      query.mockRestore();
    }

    // Without a running workflow (Temporal has none with that id) the lead is shown without progress.
    // Temporal says so within the query's deadline (3 s), which a busy machine may miss once: then
    // the answer says unavailable and a page asks again, as this does.
    const answered = await waitFor(
      async () => {
        const body = (await get(`/v1/admin/leads/${lead.id}`)).json();
        return !body.sequenceUnavailable && body;
      },
      { what: 'Temporal to answer for the lead' },
    );
    expect(answered).toMatchObject({ sequence: null, sequenceUnavailable: false });
    const plain = await db.system.lead.create({ data: { clientId: t.client.id, campaignId: campaign.id, sourceRow: 2 } });
    expect((await get(`/v1/admin/leads/${plain.id}`)).json()).toMatchObject({
      workflow: null,
      sequence: null,
      sequenceUnavailable: false,
      touches: [],
    });
    // Temporal does not answer in time (a busy worker replaying it): the lead is still shown, and the
    // answer says its sequence is there but unavailable, so the page asks again.
    const late = vi.spyOn(app.services.gateway, 'query').mockRejectedValue(new Error('deadline exceeded'));
    try {
      for (const res of [await get(`/v1/admin/leads/${lead.id}`), await get(`/v1/leads/${lead.id}`, t.apiKey)]) {
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ id: lead.id, sequence: null, sequenceUnavailable: true });
      }
    } finally {
      late.mockRestore();
    }
  });

  it("SYS-006: the Temporal Web UI address is TEMPORAL_UI_URL, else a local dev server's UI on its port + 1000, else none", () => {
    expect(testConfig({ TEMPORAL_UI_URL: 'https://ui.example/' }).temporal.uiUrl).toBe('https://ui.example/');
    expect(testConfig({ TEMPORAL_ADDRESS: '127.0.0.1:7233' }).temporal.uiUrl).toBe('http://127.0.0.1:8233');
    expect(testConfig({ TEMPORAL_ADDRESS: 'localhost:7300' }).temporal.uiUrl).toBe('http://localhost:8300');
    expect(testConfig({ TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233' }).temporal.uiUrl).toBeUndefined();
  });
});
