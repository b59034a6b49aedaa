/**
 * SYS-009 ("Temporal Web UI for ops"): the custom search attributes, end to end on the run's
 * Temporal dev server (real visibility store): a small campaign through the API and a worker, then
 * the queries an operator runs (README.md, "Operations: finding workflows"); a campaign pause seen
 * as LeadState 'paused'; the idempotent registration for other clusters.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { startServer } from '../../server.js';
import { startWorker, type RunningWorker } from '../../worker.js';
import { LEAD_STATES, SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_KEYS as K } from '../../domain/search-attributes.js';
import { syncSearchAttributes } from '../../lib/search-attributes.js';
import { waitForNamespace } from '../../lib/temporal-dev-server.js';
import { ADMIN_KEY, temporalClient, testConfig, testDb, waitFor } from '../helpers/context.js';
import { campaignForm, httpApi, untilTemporalAnswers } from '../helpers/http-api.js';

const config = testConfig();
const db = testDb(config);
let server: Awaited<ReturnType<typeof startServer>>;
let worker: RunningWorker;
let temporal: Client;
const root = path.resolve(import.meta.dirname, '../..');

beforeAll(async () => {
  worker = await startWorker(config, { db, bundlePath: inject('workflowBundlePath') });
  server = await startServer(config, { db });
  temporal = await temporalClient();
});
afterAll(async () => {
  await server?.close();
  await worker?.shutdown();
  await temporal?.connection.close();
  await db.close();
});

const api = httpApi(() => server.url);

async function list(query: string): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const w of temporal.workflow.list({ query })) found.push(w);
  return found;
}

const ids = (found: WorkflowExecutionInfo[]) => found.map((w) => w.workflowId).sort();

/** Waits until `query` finds the workflows `count` accepts (the visibility store follows the histories closely, not at once). */
const listed = (query: string, count: (n: number) => boolean, what: string) =>
  waitFor(
    async () => {
      const found = await list(query);
      return count(found.length) && found;
    },
    { timeoutMs: 60_000, intervalMs: 250, what },
  );

describe('search attributes (SYS-009, Temporal Web UI for ops)', () => {
  it('SYS-009: a campaign’s processes are found by ClientId and CampaignId, its waiting leads by LeadState with NextStepAt and Channel, and a pause is seen as LeadState paused', async () => {
    const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name: 'SA client', slug: `sa-${Date.now()}` });
    expect(created.status).toBe(201);
    const key = created.body.apiKey.apiKey as string;
    const clientId = created.body.client.id as string;
    const campaign = JSON.parse(readFileSync(path.join(root, 'examples/demo-campaign.json'), 'utf8'));
    const csv = readFileSync(path.join(root, 'examples/demo-leads.csv'), 'utf8');
    const res = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', key, campaignForm(campaign, csv));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const campaignId = res.body.id as string;
    await waitFor(async () => (await api('GET', `/v1/campaigns/${campaignId}`, key)).body.status === 'running', {
      timeoutMs: 120_000,
      what: 'onboarding to finish',
    });
    const leads = await db.system.lead.findMany({ where: { campaignId } });
    expect(leads.length).toBeGreaterThan(0);

    // The onboarding run carries its client and campaign.
    const onboarding = await listed(`CampaignId = '${campaignId}' AND WorkflowType = 'onboardingWorkflow'`, (n) => n === 1, 'onboarding');
    expect(onboarding[0]!.typedSearchAttributes.get(K.clientId)).toBe(clientId);

    // Every lead's sequence is found by its client and campaign, with its tier and a state.
    const ofCampaign = `ClientId = '${clientId}' AND CampaignId = '${campaignId}' AND WorkflowType = 'leadSequenceWorkflow'`;
    const sequences = await listed(ofCampaign, (n) => n === leads.length, 'every lead sequence');
    for (const s of sequences) {
      expect(s.workflowId).toMatch(/^lead:/);
      expect(LEAD_STATES).toContain(s.typedSearchAttributes.get(K.leadState));
      expect(s.typedSearchAttributes.get(K.leadTier)).toEqual(expect.any(String));
    }
    // The demo's leads settle: each waits for its next step (or has stopped), none is still starting.
    await listed(`${ofCampaign} AND LeadState = 'running'`, (n) => n === 0, 'every sequence to settle');
    // The README's "next step within a window" query finds every waiting lead whose step falls in
    // it, and none beyond. Compared at one moment: a lead whose step falls due now leaves 'waiting'
    // while it sends and comes back with its next step, so the two lists are read until they agree.
    const { waiting, now } = await waitFor(
      async () => {
        const now = Date.now();
        const waiting = await list(`${ofCampaign} AND LeadState = 'waiting'`);
        if (waiting.length === 0) return false;
        const last = Math.max(...waiting.map((w) => w.typedSearchAttributes.get(K.nextStepAt)!.getTime()));
        const window = `NextStepAt BETWEEN '${new Date(now - 60_000).toISOString()}' AND '${new Date(last + 1000).toISOString()}'`;
        const inWindow = await list(`${ofCampaign} AND LeadState = 'waiting' AND ${window}`);
        const beyond = await list(`${ofCampaign} AND NextStepAt > '${new Date(last + 1000).toISOString()}'`);
        return ids(inWindow).join() === ids(waiting).join() && beyond.length === 0 && { waiting, now };
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the window query to find exactly the waiting leads' },
    );
    // The demo's leads wait for their first step: its time ahead and its channel.
    for (const w of waiting) {
      expect(w.typedSearchAttributes.get(K.nextStepAt)!.getTime()).toBeGreaterThan(now - 60_000);
      expect(['email', 'sms', 'voice', 'linkedin']).toContain(w.typedSearchAttributes.get(K.channel));
      expect(w.typedSearchAttributes.get(K.stopReason)).toBeUndefined();
    }
    // Nothing of this client is found under another client's id.
    expect(await list(`ClientId = 'no-such-client' AND CampaignId = '${campaignId}'`)).toHaveLength(0);

    // SYS-007 + SYS-009: the campaign paused: every waiting sequence is upserted to 'paused' (and found so).
    const paused = await untilTemporalAnswers(api, 'POST', `/v1/campaigns/${campaignId}/pause`, key, { reason: 'ops test' });
    expect(paused.status, JSON.stringify(paused.body)).toBe(202);
    // Every sequence still running is paused (one that was sending a step when the list was taken too).
    const open = `${ofCampaign} AND ExecutionStatus = 'Running'`;
    await listed(`${open} AND LeadState != 'paused'`, (n) => n === 0, 'every running sequence to be paused');
    const nowPaused = await list(`ClientId = '${clientId}' AND LeadState = 'paused'`);
    expect(ids(nowPaused)).toEqual(expect.arrayContaining(ids(waiting)));
    expect(await list(`${ofCampaign} AND LeadState = 'waiting'`)).toHaveLength(0);
    const control = await listed(
      `CampaignId = '${campaignId}' AND WorkflowType = 'campaignControlWorkflow'`,
      (n) => n === 1,
      'campaign control',
    );
    expect(control[0]!.typedSearchAttributes.get(K.clientId)).toBe(clientId);

    // Resumed: waiting again, with their next step still ahead.
    expect((await untilTemporalAnswers(api, 'POST', `/v1/campaigns/${campaignId}/resume`, key)).status).toBe(202);
    await listed(`${ofCampaign} AND LeadState = 'paused'`, (n) => n === 0, 'no sequence left paused');
    const resumed = await list(`${open} AND LeadState = 'waiting'`);
    expect(ids(resumed)).toEqual(expect.arrayContaining(ids(waiting)));
    expect(resumed.every((w) => w.typedSearchAttributes.get(K.nextStepAt) !== undefined)).toBe(true);
  });

  it('SYS-009: the search-attribute sync creates what a namespace lacks, and run twice leaves the same attributes', async () => {
    const namespace = `sa-sync-${Date.now()}`;
    await temporal.connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: 86_400 as unknown as Long },
    });
    await waitForNamespace(inject('temporalAddress'), namespace);
    const first = await waitFor(
      // A namespace just registered may not be served by every part of the server for a moment.
      () => syncSearchAttributes(temporal.connection, namespace).catch(() => undefined),
      { timeoutMs: 60_000, intervalMs: 500, what: 'the first sync' },
    );
    expect(first.map((r) => r.name)).toEqual(SEARCH_ATTRIBUTES.map((a) => a.name));
    const registered = async () => (await temporal.connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    const after1 = await registered();
    for (const a of SEARCH_ATTRIBUTES) expect(after1[a.name], a.name).toBe(a.type === 'KEYWORD' ? 2 : 6);

    const second = await syncSearchAttributes(temporal.connection, namespace);
    expect(second.every((r) => r.outcome === 'exists')).toBe(true);
    expect(await registered()).toEqual(after1);

    // The run's own namespace got them from the dev server's flags: the sync finds them all there.
    expect((await syncSearchAttributes(temporal.connection, 'default')).every((r) => r.outcome === 'exists')).toBe(true);
  });
});
