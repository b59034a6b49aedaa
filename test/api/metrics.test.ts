/**
 * GET /metrics (SYS-009): after a small flow (API requests, signed and unsigned Twilio webhooks, a
 * Cold lead's sequence on the time-skipping server with the real activities, a send refused for
 * want of mailbox capacity, a reply) the Prometheus text has each named series with the labels and
 * counts of what was done; with METRICS_TOKEN set, the route wants it as a Bearer token.
 * One registry per process: the API, the activities and the worker all count into it, so the
 * expectations are differences between two scrapes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import { auth, temporalClient, testConfig, testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { buildTestApp, createTestWorker, testContext } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import {
  ACCOUNT_SID,
  randomMobile,
  sign,
  twilioForm,
  twilioSid,
  webhookHarness,
  type WebhookHarness,
} from '../helpers/webhook-fixtures.js';
import { createActivities } from '../../activities/index.js';

const TOKEN = 'metrics-token-0123456789abcdefghijklmn';
const db = testDb();
const bed = workflowBed(db);
let app: FastifyInstance;
let temporal: Client;
let hooks: WebhookHarness;

beforeAll(async () => {
  temporal = await temporalClient();
  app = await buildTestApp(testConfig({ METRICS_TOKEN: TOKEN }), { db, temporal });
  hooks = await webhookHarness();
});
afterAll(async () => {
  await hooks?.close();
  await app?.close();
  await temporal?.connection.close();
});

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The samples of a Prometheus text exposition (name{a="b",...} value). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unreadable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

async function scrape(): Promise<Sample[]> {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: auth(TOKEN) });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parse(res.body);
}

/** The sum of `name`'s samples whose labels include `labels`. */
const value = (s: Sample[], name: string, labels: Record<string, string> = {}) =>
  s.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)).reduce((a, x) => a + x.value, 0);

describe('SYS-009: GET /metrics', () => {
  it('SYS-009: without METRICS_TOKEN the route is open; with it, no token or a wrong one is 401 and the right one 200', async () => {
    const open = await buildTestApp(testConfig(), { db, temporal });
    try {
      expect((await open.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await open.close();
    }
    for (const headers of [{}, auth('wrong-token'), { authorization: TOKEN }, { 'x-api-key': TOKEN }]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('http_request_duration_seconds');
    }
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: auth(TOKEN) })).statusCode).toBe(200);
    // Not in the API's documentation.
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });

  it('SYS-009: after requests, webhooks, a lead sequence, a refused send and a reply, each named series has the expected labels and counts', async () => {
    const before = await scrape();

    // HTTP: by method, route pattern (never the URL) and status.
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const leadId = randomUUID();
    expect((await app.inject({ method: 'GET', url: `/v1/leads/${leadId}` })).statusCode).toBe(401);

    // Webhooks: a signed reply delivered three times (processed once, then duplicates), one unsigned.
    const t = await hooks.tenant();
    const phone = randomMobile();
    await hooks.lead(t, { phone });
    const reply = sign.twilio(
      '/webhooks/twilio/sms',
      twilioForm({
        MessageSid: twilioSid(),
        AccountSid: ACCOUNT_SID,
        From: encodeURIComponent(phone),
        To: '%2B61400000001',
        Body: 'Call%20me',
      }),
    );
    for (let i = 0; i < 3; i++) expect((await hooks.deliver(reply)).statusCode).toBe(200);
    expect((await hooks.deliver({ ...reply, headers: { ...reply.headers, 'x-twilio-signature': 'forged' } })).statusCode).toBe(401);

    // Touches: a Cold lead (email, then its follow-up) run to its end: two emails sent.
    const s = await seedSequenceLead(db, bed.fakes, { tier: 'Cold', phone: null, mailboxes: 1, linkedin: false });
    const taskQueue = `metrics-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const progress = (await w.runUntil(
      bed.env.client.workflow.execute('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(s.lead.id),
        args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
      }),
    )) as LeadProgress;
    // Its plan's other steps (a call, an SMS, LinkedIn) are skipped: the lead has no phone and no profile.
    const steps = progress.steps.map((x) => [x.kind, x.status, x.skipReason ?? null]);
    expect(steps.filter(([k]) => k === 'email' || k === 'email_followup')).toEqual([
      ['email', 'sent', null],
      ['email_followup', 'sent', null],
    ]);
    const skipped = steps.filter(([, status]) => status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);

    // A cap refusal: another Cold lead whose only mailbox has no sends left today (daily limit 0).
    const r = await seedSequenceLead(db, bed.fakes, { tier: 'Cold', phone: null, mailboxes: 1, linkedin: false });
    await db.system.mailbox.update({ where: { id: r.res.mailbox.id }, data: { dailyLimit: 0 } });
    const ctx = await testContext({ db, temporal, providers: bed.fakes.providers });
    const acts = createActivities({ services: ctx.services, providers: ctx.providers, settings: ctx.activitySettings });
    const { atMs } = await acts.nextStepTime({
      version: 1,
      clientId: r.client.id,
      leadId: r.lead.id,
      kind: 'email',
      earliestMs: Date.now(),
      seed: 'm',
    });
    const refused = await acts.sendStep({
      version: 1,
      clientId: r.client.id,
      leadId: r.lead.id,
      campaignId: r.campaign.id,
      step: 1,
      kind: 'email',
      idempotencyKey: `metrics:${r.lead.id}:1`,
      nowMs: atMs,
    });
    expect(refused).toMatchObject({ status: 'no_capacity' });
    const refusal = (refused as { reason: string }).reason;

    // A reply, recorded once however often it is received: replies by intent.
    const message = {
      eventId: `evt-${randomUUID()}`,
      channel: 'email' as const,
      provider: 'imap',
      providerMessageId: `<${randomUUID()}@lead.example>`,
      text: 'Please unsubscribe me from this list.',
      at: new Date().toISOString(),
    };
    const decided = await acts.receiveInbound({ version: 1, clientId: s.client.id, leadId: s.lead.id, message });
    await acts.receiveInbound({ version: 1, clientId: s.client.id, leadId: s.lead.id, message });
    expect(decided.intent).toBe('unsubscribe');

    const after = await scrape();
    const grew = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);

    expect(grew('http_request_duration_seconds_count', { method: 'GET', route: '/healthz', status: '200' })).toBe(3);
    expect(grew('http_request_duration_seconds_count', { method: 'GET', route: '/v1/leads/:id', status: '401' })).toBe(1);
    expect(after.some((x) => x.name === 'http_request_duration_seconds_bucket' && x.labels.le === '+Inf')).toBe(true);
    expect(after.filter((x) => x.name.startsWith('http_request_duration')).every((x) => !x.labels.route?.includes(leadId))).toBe(true);

    expect(grew('webhooks_total', { provider: 'twilio', result: 'processed' })).toBe(1);
    expect(grew('webhooks_total', { provider: 'twilio', result: 'duplicate' })).toBe(2);
    expect(grew('webhooks_total', { provider: 'twilio', result: 'unsigned' })).toBe(1);

    expect(grew('touches_total', { channel: 'email', outcome: 'sent' })).toBe(2);
    const channelOf = (kind: string) => (kind.startsWith('email') ? 'email' : kind.startsWith('linkedin') ? 'linkedin' : kind);
    for (const [kind, , reason] of skipped)
      expect([kind, grew('touches_total', { channel: channelOf(kind!), outcome: 'skipped', reason: reason! })]).toEqual([kind, 1]);
    expect(grew('touches_total', { channel: 'email', outcome: 'no_capacity', reason: refusal })).toBe(1);
    expect(grew('cap_refusals_total', { channel: 'email', kind: refusal })).toBe(1);

    expect(grew('replies_total', { intent: 'unsubscribe', channel: 'email' })).toBe(1);

    // The pool, read at scrape time: every resource type, the seeded mailboxes among the allocated.
    const types = after.filter((x) => x.name === 'pool_buffer').map((x) => x.labels.resource_type);
    expect(types.sort()).toEqual(['domains', 'linkedinSeats', 'mailboxes', 'phoneNumbers']);
    expect(value(after, 'pool_allocated', { resource_type: 'mailboxes' })).toBeGreaterThanOrEqual(2);

    // The default process metrics.
    expect(after.some((x) => x.name === 'process_cpu_seconds_total')).toBe(true);
    expect(after.some((x) => x.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });
});
