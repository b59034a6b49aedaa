/**
 * One-click unsubscribe (DOMAIN: RFC 8058): GET /u/:token shows a confirmation page and changes
 * nothing; POST /u/:token (the mail client's `List-Unsubscribe=One-Click`, or the page's empty
 * form) opts the lead out of every channel, suppresses its email and phone, and signals its
 * workflow. The workflow is a stand-in: a lead:{leadId} execution on a task queue no worker polls,
 * whose history shows the signals it received.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { unsubscribeToken } from '../../services/unsubscribe-links.js';
import { workflowIds } from '../../workflows/contracts.js';
import { createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { multipart } from '../helpers/multipart.js';
import { apiBed } from '../helpers/workflow-bed.js';

const SECRET = 'unsubscribe-test-secret-0123456789abcdef';
const config = testConfig({ UNSUBSCRIBE_SECRET: SECRET });
const db = testDb(config);
const bed = apiBed(config, db);
const noWorkerQueue = `no-worker-${randomUUID()}`;
let t: { clientId: string; campaignId: string };
const started: WorkflowHandle[] = [];
let row = 0;

beforeAll(async () => {
  await bed.app.ready();
  const { client } = await createTestTenant(db, 'Unsubscribe client');
  const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'unsubscribe', icp: {} } });
  t = { clientId: client.id, campaignId: campaign.id };
});
afterAll(async () => {
  await Promise.all(started.map((h) => h.terminate('test done').catch(() => undefined)));
});

async function makeLead(opts: { workflow?: boolean } = {}) {
  const id = randomUUID();
  const lead = await db.system.lead.create({
    data: {
      id,
      clientId: t.clientId,
      campaignId: t.campaignId,
      sourceRow: ++row,
      email: `Unsub-${id.slice(0, 8)}@Example.com`,
      phoneE164: `+614${String(10_000_000 + row).slice(-8)}`,
      status: 'in_sequence',
      sequenceWorkflowId: workflowIds.lead(id),
      sequenceStartedAt: new Date(),
    },
  });
  if (opts.workflow ?? true) {
    started.push(
      await bed.temporal.workflow.start('leadSequenceWorkflow', {
        workflowId: workflowIds.lead(id),
        taskQueue: noWorkerQueue,
        args: [{ version: 1, clientId: t.clientId, campaignId: t.campaignId, leadId: id }],
      }),
    );
  }
  return { lead, token: unsubscribeToken(SECRET, id) };
}

async function optedOutSignals(leadId: string) {
  const history = await bed.temporal.workflow.getHandle(workflowIds.lead(leadId)).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a): a is NonNullable<typeof a> => Boolean(a) && a!.signalName === 'optedOut')
    .map((a) => defaultPayloadConverter.fromPayload(a.input!.payloads![0]!) as Record<string, unknown>);
}

const suppressions = (lead: { email: string | null; phoneE164: string | null }) =>
  db.system.suppression.findMany({
    where: {
      OR: [
        { kind: 'email', value: lead.email!.toLowerCase() },
        { kind: 'phone', value: lead.phoneE164! },
      ],
    },
    orderBy: { kind: 'asc' },
  });

const oneClick = (token: string) =>
  bed.app.inject({
    method: 'POST',
    url: `/u/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'List-Unsubscribe=One-Click',
  });

describe('one-click unsubscribe', () => {
  it('DOMAIN: RFC 8058: GET shows a confirmation page with a POST button and unsubscribes nobody', async () => {
    const { lead, token } = await makeLead();
    const res = await bed.app.inject({ method: 'GET', url: `/u/${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain(`<form method="post" action="/u/${token}">`);
    expect(res.body).toContain('<button type="submit">Unsubscribe</button>');
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toBeNull();
    expect(await suppressions(lead)).toEqual([]);
    expect(await optedOutSignals(lead.id)).toEqual([]);
  });

  it('DOMAIN: RFC 8058: the one-click POST opts the lead out of every channel, suppresses its email and phone, and signals optedOut', async () => {
    const { lead, token } = await makeLead();
    const res = await oneClick(token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('You are unsubscribed');

    const after = await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after.optedOutAt).toBeInstanceOf(Date);
    expect((await suppressions(lead)).map((s) => [s.kind, s.reason, s.source])).toEqual([
      ['email', 'opted_out:email', 'unsubscribe_link'],
      ['phone', 'opted_out:email', 'unsubscribe_link'],
    ]);
    const sigs = await optedOutSignals(lead.id);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({
      eventId: `unsubscribe:${lead.id}`,
      channel: 'email',
      reason: 'list_unsubscribe_one_click',
      at: after.optedOutAt!.toISOString(),
    });

    // The page now says so.
    expect((await bed.app.inject({ method: 'GET', url: `/u/${token}` })).body).toContain('You are unsubscribed');
  });

  it('DOMAIN: RFC 8058: it is idempotent: a second POST answers 200, keeps the first time, and carries the same event id', async () => {
    const { lead, token } = await makeLead();
    expect((await oneClick(token)).statusCode).toBe(200);
    const first = (await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt;
    expect((await oneClick(token)).statusCode).toBe(200);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toEqual(first);
    expect(await suppressions(lead)).toHaveLength(2);
    const sigs = await optedOutSignals(lead.id);
    // The workflow de-duplicates by event id: every delivery names the same one.
    expect(new Set(sigs.map((s) => s.eventId))).toEqual(new Set([`unsubscribe:${lead.id}`]));
    expect(new Set(sigs.map((s) => s.at))).toEqual(new Set([first!.toISOString()]));
  });

  it('DOMAIN: RFC 8058: the page button (an empty form POST) and a multipart POST unsubscribe too', async () => {
    const page = await makeLead();
    const res = await bed.app.inject({
      method: 'POST',
      url: `/u/${page.token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await optedOutSignals(page.lead.id))[0]).toMatchObject({ reason: 'unsubscribe_page' });
    const noBody = await makeLead();
    expect((await bed.app.inject({ method: 'POST', url: `/u/${noBody.token}` })).statusCode).toBe(200);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: noBody.lead.id } })).optedOutAt).toBeInstanceOf(Date);

    const multi = await makeLead();
    const { payload, headers } = multipart({ 'List-Unsubscribe': 'One-Click' }, {});
    expect((await bed.app.inject({ method: 'POST', url: `/u/${multi.token}`, headers, payload })).statusCode).toBe(200);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: multi.lead.id } })).optedOutAt).toBeInstanceOf(Date);
  });

  it('DOMAIN: RFC 8058: a lead whose sequence is not running is still opted out (status opted_out)', async () => {
    const { lead, token } = await makeLead({ workflow: false });
    expect((await oneClick(token)).statusCode).toBe(200);
    const after = await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after.optedOutAt).toBeInstanceOf(Date);
    expect(after.status).toBe('opted_out');
  });

  it('DOMAIN: RFC 8058: a bad, tampered or unknown token is a 404 page on GET and POST and changes nothing', async () => {
    const { lead, token } = await makeLead();
    const tampered = `${lead.id}.${'A'.repeat(token.length - lead.id.length - 1)}`;
    const otherSecret = unsubscribeToken('another-secret', lead.id);
    const unknownLead = unsubscribeToken(SECRET, randomUUID());
    for (const bad of ['nonsense', tampered, otherSecret, unknownLead, '%3Cscript%3E']) {
      const get = await bed.app.inject({ method: 'GET', url: `/u/${bad}` });
      expect(get.statusCode).toBe(404);
      expect(get.headers['content-type']).toMatch(/^text\/html/);
      expect(get.body).not.toContain('<script>');
      expect((await oneClick(bad)).statusCode).toBe(404);
    }
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toBeNull();
    expect(await optedOutSignals(lead.id)).toEqual([]);
  });

  it('DOMAIN: RFC 8058: the routes need no API key, and the rest of the API still does', async () => {
    const { token } = await makeLead({ workflow: false });
    expect((await bed.app.inject({ method: 'GET', url: `/u/${token}` })).statusCode).toBe(200);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    // The plugin's own body parsing stays inside it: JSON is still parsed (and validated) elsewhere.
    const { apiKey } = await createTestTenant(db, 'JSON still parsed');
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toBe('validation_failed');
  });
});
