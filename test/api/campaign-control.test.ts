/**
 * POST /v1/campaigns/:id/{pause,resume,stop} through bed.app.inject, with the real database and the
 * run's Temporal dev server (no worker: campaign-control is signal-with-started, not run; the
 * workflow itself runs in test/workflows/campaign-control.test.ts). SYS-007, SYS-010.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';
import { buildTestApp } from '../helpers/app.js';
import { temporalBusy, whileTemporalBusy } from '../helpers/http-api.js';
import { workflowIds } from '../../workflows/contracts.js';
import type { Services } from '../../services/index.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);
let tenant: Awaited<ReturnType<typeof createTestTenant>>;
let other: Awaited<ReturnType<typeof createTestTenant>>;
const started = new Set<string>();
/** The services behind the app (onboarding's own status steps). */
const services = () => (bed.app as typeof bed.app & { services: Services }).services;

beforeAll(async () => {
  tenant = await createTestTenant(db, 'Campaign control A');
  other = await createTestTenant(db, 'Campaign control B');
});
afterAll(async () => {
  for (const id of started)
    await bed.temporal.workflow
      .getHandle(id)
      .terminate('test done')
      .catch(() => undefined);
});

type Status = 'draft' | 'importing' | 'imported' | 'running' | 'paused' | 'failed';

async function campaignOf(clientId: string, status: Status = 'running') {
  return db.system.campaign.create({ data: { clientId, name: `control ${randomUUID().slice(0, 6)}`, icp: {}, status } });
}

/**
 * The request, sent again while the answer is that Temporal did not take the signal within the
 * route's deadline (5 s: a busy machine), as the answer tells a client to (a repeat reaches the leads).
 */
async function act(campaignId: string, action: 'pause' | 'resume' | 'stop', key = tenant.apiKey, payload?: object) {
  const res = await whileTemporalBusy(
    () =>
      bed.app.inject({
        method: 'POST',
        url: `/v1/campaigns/${campaignId}/${action}`,
        headers: auth(key),
        ...(payload ? { payload } : {}),
      }),
    (r) => r.statusCode === 503 && temporalBusy(r.statusCode, r.json()),
  );
  if (res.statusCode === 202) started.add(workflowIds.campaignControl(campaignId));
  return res;
}

const shown = async (campaignId: string, key = tenant.apiKey) =>
  (await bed.app.inject({ method: 'GET', url: `/v1/campaigns/${campaignId}`, headers: auth(key) })).json().status;
const stored = async (campaignId: string) => (await db.system.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status;

/** The requests campaign-control:{id} has received (its signals), in order. */
async function requestsOf(campaignId: string) {
  const history = await bed.temporal.workflow.getHandle(workflowIds.campaignControl(campaignId)).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.workflowExecutionSignaledEventAttributes)
    .map((e) => {
      const payload = e.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!;
      return JSON.parse(Buffer.from(payload.data!).toString('utf8')) as { action: string; reason?: string };
    });
}

describe('campaign control (SYS-007)', () => {
  it('SYS-007: pause, resume and stop answer 202 with the new status, which GET and the database show; campaign-control gets each request', async () => {
    const c = await campaignOf(tenant.client.id);
    const paused = await act(c.id, 'pause', tenant.apiKey, { reason: 'holiday season' });
    expect(paused.statusCode, paused.body).toBe(202);
    expect(paused.json()).toEqual({ campaignId: c.id, action: 'pause', status: 'paused' });
    expect(await shown(c.id)).toBe('paused');
    expect(await stored(c.id)).toBe('paused');

    const resumed = await act(c.id, 'resume');
    expect(resumed.statusCode, resumed.body).toBe(202);
    expect(resumed.json()).toEqual({ campaignId: c.id, action: 'resume', status: 'running' });
    expect(await shown(c.id)).toBe('running');
    expect(await stored(c.id)).toBe('running');

    const stopped = await act(c.id, 'stop');
    expect(stopped.statusCode, stopped.body).toBe(202);
    expect(stopped.json()).toEqual({ campaignId: c.id, action: 'stop', status: 'stopped' });
    expect(await shown(c.id)).toBe('stopped');
    expect(await stored(c.id)).toBe('stopped');
    const listed = (await bed.app.inject({ method: 'GET', url: '/v1/campaigns', headers: auth(tenant.apiKey) })).json().campaigns;
    expect(listed.find((x: { id: string }) => x.id === c.id).status).toBe('stopped');

    const described = await bed.temporal.workflow.getHandle(workflowIds.campaignControl(c.id)).describe();
    expect(described.type).toBe('campaignControlWorkflow');
    expect(described.taskQueue).toBe(config.temporal.taskQueue);
    expect((await requestsOf(c.id)).map((r) => [r.action, r.reason])).toEqual([
      ['pause', 'holiday season'],
      ['resume', undefined],
      ['stop', undefined],
    ]);
  });

  it('SYS-007: stop is final: a stopped campaign is neither paused nor resumed (409), a repeated stop is accepted', async () => {
    const c = await campaignOf(tenant.client.id);
    expect((await act(c.id, 'stop')).statusCode).toBe(202);
    for (const action of ['resume', 'pause'] as const) {
      const res = await act(c.id, action);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toBe('campaign_stopped');
    }
    expect((await act(c.id, 'stop')).json()).toEqual({ campaignId: c.id, action: 'stop', status: 'stopped' });
    expect(await shown(c.id)).toBe('stopped');
  });

  it('SYS-007: repeats are accepted (pause of a paused campaign, resume of a running one) and reach the leads again', async () => {
    const c = await campaignOf(tenant.client.id, 'paused');
    expect((await act(c.id, 'pause')).json()).toEqual({ campaignId: c.id, action: 'pause', status: 'paused' });
    expect((await act(c.id, 'resume')).json()).toEqual({ campaignId: c.id, action: 'resume', status: 'running' });
    expect((await act(c.id, 'resume')).json()).toEqual({ campaignId: c.id, action: 'resume', status: 'running' });
    expect((await requestsOf(c.id)).map((r) => r.action)).toEqual(['pause', 'resume', 'resume']);
  });

  it("SYS-007: a campaign still onboarding may be paused (onboarding's next status does not undo it) or stopped, but not resumed before it is paused", async () => {
    const c = await campaignOf(tenant.client.id, 'importing');
    const notPaused = await act(c.id, 'resume');
    expect(notPaused.statusCode).toBe(409);
    expect(notPaused.json().error).toBe('not_paused');
    expect(await stored(c.id)).toBe('importing');

    expect((await act(c.id, 'pause')).json()).toEqual({ campaignId: c.id, action: 'pause', status: 'paused' });
    // Onboarding moves on (imported, then running at its end): the client's pause stays.
    await services().campaigns.forTenant(tenant.client.id).setStatus(c.id, 'imported');
    await services().campaigns.forTenant(tenant.client.id).setStatus(c.id, 'running');
    expect(await shown(c.id)).toBe('paused');
    expect((await act(c.id, 'resume')).json().status).toBe('running');

    const d = await campaignOf(tenant.client.id, 'draft');
    expect((await act(d.id, 'stop')).json()).toEqual({ campaignId: d.id, action: 'stop', status: 'stopped' });
    await services().campaigns.forTenant(tenant.client.id).setStatus(d.id, 'importing');
    expect(await shown(d.id)).toBe('stopped');
  });

  it("SYS-007: a failed campaign can only be stopped; a churned client's campaign is not resumed", async () => {
    const failed = await campaignOf(tenant.client.id, 'failed');
    for (const action of ['pause', 'resume'] as const) {
      const res = await act(failed.id, action);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toBe('campaign_failed');
    }
    expect((await act(failed.id, 'stop')).json().status).toBe('stopped');

    const churned = await createTestTenant(db, 'Churned client');
    await db.system.client.update({ where: { id: churned.client.id }, data: { status: 'churned' } });
    const c = await campaignOf(churned.client.id, 'paused');
    const res = await act(c.id, 'resume', churned.apiKey);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('client_churned');
    expect(await stored(c.id)).toBe('paused');
    expect((await act(c.id, 'stop', churned.apiKey)).json().status).toBe('stopped');
  });

  it("SYS-007 SYS-010: another client's key gets 404 for every action; the campaign, its status and its workflows are untouched", async () => {
    const c = await campaignOf(tenant.client.id);
    for (const action of ['pause', 'resume', 'stop'] as const) {
      const res = await act(c.id, action, other.apiKey, { reason: 'not mine' });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(c.name);
    }
    expect(await stored(c.id)).toBe('running');
    expect((await bed.app.inject({ method: 'GET', url: `/v1/campaigns/${c.id}`, headers: auth(other.apiKey) })).statusCode).toBe(404);
    const list = (await bed.app.inject({ method: 'GET', url: '/v1/campaigns', headers: auth(other.apiKey) })).json().campaigns;
    expect(list.map((x: { id: string }) => x.id)).not.toContain(c.id);
    await expect(bed.temporal.workflow.getHandle(workflowIds.campaignControl(c.id)).describe()).rejects.toThrow(/not found/i);
  });

  it('SYS-007: when Temporal is unreachable the answer is 503; the status stays written and a repeat reaches the leads', async () => {
    const { Client, Connection } = await import('@temporalio/client');
    const deadClient = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
    const deadApp = await buildTestApp({ ...config, temporal: { ...config.temporal, taskQueue: 'nowhere' } }, { db, temporal: deadClient });
    const c = await campaignOf(tenant.client.id);
    const res = await deadApp.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/pause`, headers: auth(tenant.apiKey) });
    await deadApp.close();
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toBe('workflow_unavailable');
    expect(await shown(c.id)).toBe('paused');
    expect((await act(c.id, 'pause')).json()).toEqual({ campaignId: c.id, action: 'pause', status: 'paused' });
    expect((await requestsOf(c.id)).map((r) => r.action)).toEqual(['pause']);

    // A Temporal that never answers: the route's own deadline answers, so a request never hangs
    // (proved without reading a clock: without the deadline this request is never answered).
    const d = await campaignOf(tenant.client.id);
    const never = vi.spyOn(services().gateway, 'signalWithStart').mockReturnValue(new Promise<void>(() => undefined));
    try {
      const late = await bed.app.inject({ method: 'POST', url: `/v1/campaigns/${d.id}/pause`, headers: auth(tenant.apiKey) });
      expect(late.statusCode).toBe(503);
      expect(late.json().error).toBe('workflow_unavailable');
      expect(never).toHaveBeenCalledTimes(1);
    } finally {
      never.mockRestore();
    }
    expect(await shown(d.id)).toBe('paused');
  });

  it('SYS-007: bad requests: an unknown campaign 404, an id that is not a UUID 400, unknown body fields or a long reason 400, no key 401', async () => {
    expect((await act(randomUUID(), 'pause')).statusCode).toBe(404);
    expect((await act('not-a-uuid', 'pause')).statusCode).toBe(400);
    const c = await campaignOf(tenant.client.id);
    expect((await act(c.id, 'pause', tenant.apiKey, { reason: 'x', status: 'running' })).statusCode).toBe(400);
    expect((await act(c.id, 'pause', tenant.apiKey, { reason: 'x'.repeat(501) })).statusCode).toBe(400);
    const anonymous = await bed.app.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/stop` });
    expect(anonymous.statusCode).toBe(401);
    expect(await stored(c.id)).toBe('running');
  });
});
