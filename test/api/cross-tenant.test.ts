/**
 * Cross-tenant sweep (SYS-010): every client route the router has, called with client A's key and
 * client B's ids (in the path, in every id-like query parameter and body field). A route that
 * takes an id answers 404; no answer ever carries B's data; B's rows are exactly as before
 * (campaigns, leads, staged rows, touches, subscriptions, allocations, keys, the client itself),
 * and no signal reaches B's lead workflow.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { InjectOptions } from 'fastify';
import { auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { routesOf } from '../helpers/routes.js';
import { workflowIds } from '../../workflows/contracts.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);
let bWorkflow: WorkflowHandle;
const marker = `tenant-b-${randomUUID().slice(0, 8)}`;
const a = { key: '', clientId: '' };
const b = {
  clientId: '',
  campaignId: '',
  leadId: '',
  subscriptionId: '',
  email: `${marker}@example.com`,
  allocationId: '',
  conversationId: '',
  messageId: '',
};

beforeAll(async () => {
  const ta = await createTestTenant(db, 'Tenant A');
  Object.assign(a, { key: ta.apiKey, clientId: ta.client.id });
  await db.system.campaign.create({ data: { clientId: ta.client.id, name: 'A campaign', icp: {} } });

  const tb = await createTestTenant(db, `Tenant B ${marker}`);
  b.clientId = tb.client.id;
  const campaign = await db.system.campaign.create({
    data: { clientId: b.clientId, name: `B campaign ${marker}`, icp: { description: marker } },
  });
  b.campaignId = campaign.id;
  const leadId = randomUUID();
  await db.system.lead.create({
    data: {
      id: leadId,
      clientId: b.clientId,
      campaignId: b.campaignId,
      sourceRow: 1,
      email: b.email,
      phoneE164: '+61412000111',
      status: 'in_sequence',
      sequenceWorkflowId: workflowIds.lead(leadId),
      sequenceStartedAt: new Date(),
    },
  });
  b.leadId = leadId;
  // B's sequence is "running" (a stand-in no worker polls): a pause from A must never reach it.
  bWorkflow = await bed.temporal.workflow.start('leadSequenceWorkflow', {
    workflowId: workflowIds.lead(leadId),
    taskQueue: `no-worker-${randomUUID()}`,
    args: [{ version: 1, clientId: b.clientId, campaignId: b.campaignId, leadId }],
  });
  await db.system.touch.create({
    data: {
      clientId: b.clientId,
      campaignId: b.campaignId,
      leadId,
      step: 1,
      channel: 'email',
      status: 'sent',
      idempotencyKey: `b:${marker}`,
      provider: 'smtp',
      providerRef: `<${marker}@mail.test>`,
      outcome: { phase: 'done' },
    },
  });
  const sub = await db.system.subscription.create({
    data: {
      clientId: b.clientId,
      stripeSubscriptionId: `sub_${marker}`,
      stripeCustomerId: `cus_${marker}`,
      status: 'active',
      tier: 'velocity',
    },
  });
  b.subscriptionId = sub.id;
  // B's conversation with a reply, a meeting, a deal and a CRM connection (the inbox and CRM routes).
  const conv = await db.system.conversation.create({
    data: { clientId: b.clientId, campaignId: b.campaignId, leadId, lastIntent: 'interested', lastMessageAt: new Date() },
  });
  b.conversationId = conv.id;
  const msg = await db.system.message.create({
    data: {
      clientId: b.clientId,
      conversationId: conv.id,
      leadId,
      direction: 'inbound',
      channel: 'sms',
      kind: 'reply',
      provider: 'twilio',
      providerMessageId: `SM${marker}`,
      text: `Yes please ${marker}`,
      intent: 'interested',
      status: 'received',
      at: new Date(),
    },
  });
  b.messageId = msg.id;
  await db.system.meeting.create({
    data: { clientId: b.clientId, leadId, provider: 'calcom', bookingUid: `bk-${marker}`, status: 'booked', title: marker },
  });
  await db.system.deal.create({ data: { clientId: b.clientId, campaignId: b.campaignId, leadId, name: marker, stage: 'meeting_booked' } });
  await db.system.crmConnection.create({ data: { clientId: b.clientId, provider: 'hubspot', accessToken: `pat-${marker}` } });
});
afterAll(async () => {
  await bWorkflow?.terminate('test done').catch(() => undefined);
});

/** Everything of B's a client route could read or change. */
async function snapshotOfB() {
  const where = { clientId: b.clientId };
  return JSON.stringify({
    client: await db.system.client.findUnique({ where: { id: b.clientId } }),
    campaigns: await db.system.campaign.findMany({ where, orderBy: { id: 'asc' } }),
    leads: await db.system.lead.findMany({ where, orderBy: { id: 'asc' } }),
    rows: await db.system.leadImportRow.findMany({ where, orderBy: [{ campaignId: 'asc' }, { rowNumber: 'asc' }] }),
    touches: await db.system.touch.findMany({ where, orderBy: { id: 'asc' } }),
    conversations: await db.system.conversation.findMany({ where, orderBy: { id: 'asc' } }),
    messages: await db.system.message.findMany({ where, orderBy: { id: 'asc' } }),
    meetings: await db.system.meeting.findMany({ where, orderBy: { id: 'asc' } }),
    deals: await db.system.deal.findMany({ where, orderBy: { id: 'asc' } }),
    crm: await db.system.crmConnection.findMany({ where }),
    subscriptions: await db.system.subscription.findMany({ where, orderBy: { id: 'asc' } }),
    allocations: await db.system.resourceAllocation.findMany({ where, orderBy: { id: 'asc' } }),
    keys: await db.system.apiKey.findMany({ where, orderBy: { id: 'asc' } }),
  });
}

/** Bodies the routes that need one take (the sweep is about B's ids in the path, not about bodies). */
const VALID_BODIES: Record<string, object> = {
  'POST /v1/conversations/:id/handled': { handled: true },
  'POST /v1/conversations/:id/reply': { text: 'Hello from A' },
  'POST /v1/conversations/:id/messages/:messageId/intent': { intent: 'not_interested' },
};

/** B's ids, as every id-like field a request can carry. */
const bIds = () => ({
  id: b.leadId,
  clientId: b.clientId,
  campaignId: b.campaignId,
  leadId: b.leadId,
  subscriptionId: b.subscriptionId,
  client_id: b.clientId,
  campaign_id: b.campaignId,
});

describe('SYS-010 cross-tenant sweep', () => {
  it("SYS-010: every client route with client A's key and client B's ids: 404 where an id is taken, never B's data, B unchanged", async () => {
    const clientRoutes = routesOf(bed.app).filter(
      (r) => r.path.startsWith('/v1/') && !r.path.startsWith('/v1/admin') && r.method !== 'HEAD',
    );
    const withId = clientRoutes.filter((r) => r.path.includes(':id'));
    // The sweep covers what clients can reach: campaigns, leads, pause/resume, billing, me.
    expect(withId.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'GET /v1/campaigns/:id',
        'GET /v1/campaigns/:id/leads',
        'GET /v1/leads/:id',
        'POST /v1/leads/:id/pause',
        'POST /v1/leads/:id/resume',
      ]),
    );
    expect(clientRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /v1/billing', 'POST /v1/billing/checkout', 'GET /v1/me']),
    );

    const before = await snapshotOfB();
    const leaks: string[] = [];
    const answers: Record<string, number[]> = {};
    const secrets = [b.clientId, b.campaignId, b.leadId, b.subscriptionId, b.conversationId, b.messageId, marker, b.email];
    for (const r of clientRoutes) {
      // Every id of B in the path's :id (each kind of id, since the route decides what it names).
      const pathIds = r.path.includes(':id') ? [b.campaignId, b.leadId, b.clientId, b.subscriptionId, b.conversationId] : [undefined];
      // A body the route takes (so the answer is about the ids, not about a body it refuses).
      const valid = VALID_BODIES[`${r.method} ${r.path}`];
      for (const id of pathIds) {
        const url = r.path.replace(':id', id ?? '').replace(':messageId', b.messageId);
        const query = new URLSearchParams(bIds()).toString();
        const method = r.method as InjectOptions['method'];
        const requests: InjectOptions[] = [
          { method, url, headers: auth(a.key), ...(method === 'POST' ? { payload: valid ?? {} } : {}) },
          { method, url: `${url}?${query}`, headers: auth(a.key), ...(method === 'POST' ? { payload: valid ?? { reason: 'x' } } : {}) },
          // B's ids in the body too (a strict body refuses the unknown fields: 400, also fine).
          ...(method === 'POST' ? [{ method, url, headers: auth(a.key), payload: { ...bIds(), tier: 'Ignition', reason: 'x' } }] : []),
        ];
        for (const req of requests) {
          const res = await bed.app.inject(req);
          (answers[`${r.method} ${r.path}`] ??= []).push(res.statusCode);
          if (secrets.some((s) => res.body.includes(s)))
            leaks.push(`${req.method} ${req.url} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
          expect(res.statusCode, `${req.method} ${req.url}`).toBeLessThan(500);
        }
      }
    }
    expect(leaks).toEqual([]);
    // A route that takes an id says 404 for B's, whatever else is sent (or 400 for a body it refuses).
    for (const r of withId) {
      const got = answers[`${r.method} ${r.path}`]!;
      expect(
        got.filter((s) => s !== 404 && !(s === 400 && r.method === 'POST')),
        `${r.method} ${r.path}`,
      ).toEqual([]);
      expect(got.filter((s) => s === 404).length, `${r.method} ${r.path}`).toBeGreaterThanOrEqual(8);
    }
    expect(await snapshotOfB()).toBe(before);
    const history = await bWorkflow.fetchHistory();
    expect((history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes)).toEqual([]);
  });

  it("SYS-010: A's own billing and profile show A only, whatever ids of B the query names", async () => {
    const billing = await bed.app.inject({ method: 'GET', url: `/v1/billing?clientId=${b.clientId}`, headers: auth(a.key) });
    expect(billing.statusCode).toBe(200);
    expect(billing.json().subscriptions).toEqual([]);
    const me = await bed.app.inject({ method: 'GET', url: `/v1/me?id=${b.clientId}`, headers: auth(a.key) });
    expect(me.json().id).toBe(a.clientId);
  });
});
