/**
 * campaign-control:{campaignId} (SYS-007) on the time-skipping test server with the real
 * activities and Postgres: a campaign of a few running lead sequences paused, resumed and stopped
 * (each lead's progress query says so), paged a few leads at a time, the latest of two quick
 * requests winning, and the sequences an onboarding starts for a paused or stopped campaign.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { WorkerGroup } from '../../lib/worker-group.js';
import {
  campaignControlProgressQuery,
  campaignControlSignal,
  leadProgressQuery,
  workflowIds,
  type CampaignAction,
  type CampaignControlProgress,
  type LeadProgress,
} from '../../workflows/contracts.js';
import { createCampaigns } from '../../services/campaigns.js';
import { createStartSequenceActivities } from '../../activities/onboarding/start-sequences.js';
import { testDb, waitFor } from '../helpers/context.js';
import { seedSequenceLead, unusedMobile } from '../helpers/lead-setup.js';
import { createTestWorker, testContext } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';

const db = testDb();
const bed = workflowBed(db);
const campaigns = createCampaigns(db);
const DAY = 86_400_000;

type Seeded = Awaited<ReturnType<typeof seedSequenceLead>>;

/** A client's running campaign with `n` Cold leads (email only) ready for their sequences, in source rows 1..n. */
async function campaignOf(n: number, leadStatus: 'scored' | 'in_sequence' = 'in_sequence') {
  const first = await seedSequenceLead(db, bed.fakes, { tier: 'Cold', zone: 'Australia/Sydney', linkedin: false });
  const leadIds = [first.lead.id];
  for (let row = 2; row <= n; row++) {
    const lead = await db.system.lead.create({
      data: {
        clientId: first.client.id,
        campaignId: first.campaign.id,
        sourceRow: row,
        email: `${first.slug}-${row}@lead.example`,
        firstName: 'Lee',
        lastName: `Lead ${row}`,
        company: 'Lead Co',
        title: 'Founder',
        country: 'AU',
        state: 'NSW',
        timezone: 'Australia/Sydney',
        timezoneSource: 'hq',
        phoneE164: await unusedMobile(db),
        phoneCountry: 'AU',
        score: 25,
        tier: 'Cold',
        dncrResult: 'not_registered',
        dncrWashedAt: new Date(),
        smsConsentBasis: 'inferred_business',
      },
    });
    leadIds.push(lead.id);
  }
  if (leadStatus === 'in_sequence') {
    for (const id of leadIds) await db.system.lead.update({ where: { id }, data: { sequenceWorkflowId: workflowIds.lead(id) } });
  } else {
    await db.system.lead.updateMany({ where: { id: { in: leadIds } }, data: { status: 'scored' } });
  }
  return { ...first, leadIds };
}

/** What the API does for a request: the campaign's status written, then campaign-control signal-with-started. */
async function control(s: Seeded, taskQueue: string, action: CampaignAction, pageSize = 2) {
  const decision = await campaigns.forTenant(s.client.id).control(s.campaign.id, action);
  expect(decision).toMatchObject({ ok: true });
  return bed.env.client.workflow.signalWithStart('campaignControlWorkflow', {
    taskQueue,
    workflowId: workflowIds.campaignControl(s.campaign.id),
    args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, pageSize }],
    signal: campaignControlSignal,
    signalArgs: [{ action, reason: `test ${action}`, at: new Date().toISOString() }],
  });
}

/**
 * The control run's end, waited for in real time and read by its query: awaiting a result would let
 * the time-skipping server jump ahead (with every lead paused, to their runs' ten-year timeout).
 */
async function finished(handle: Awaited<ReturnType<typeof control>>): Promise<CampaignControlProgress> {
  await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED', { timeoutMs: 60_000, what: 'campaign-control done' });
  return handle.query(campaignControlProgressQuery);
}

const progressOf = (leadId: string) => bed.env.client.workflow.getHandle(workflowIds.lead(leadId)).query(leadProgressQuery);
const statesOf = (leadIds: string[]) => Promise.all(leadIds.map(async (id) => (await progressOf(id)).state));
/**
 * Every lead's state once their signals are handled (a signal is taken in the lead's next workflow
 * task); after two minutes (a safety net), the states there are, for the assertion to show.
 */
const statesBecome = async (leadIds: string[], state: LeadProgress['state']) => {
  await waitFor(async () => (await statesOf(leadIds)).every((x) => x === state), { timeoutMs: 120_000, what: `every lead ${state}` }).catch(
    () => undefined,
  );
  return statesOf(leadIds);
};
const touchesOf = (leadIds: string[]) => db.system.touch.count({ where: { leadId: { in: leadIds } } });

function worker(taskQueue: string): Promise<WorkerGroup> {
  return createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
}

/** Starts the leads' sequences with day 0 ten days ahead (nothing is sent before), and waits until each waits for its first step. */
async function startSequences(s: Seeded, leadIds: string[], taskQueue: string) {
  const startAt = new Date((await bed.env.currentTimeMs()) + 10 * DAY).toISOString();
  for (const leadId of leadIds) {
    await bed.env.client.workflow.start('leadSequenceWorkflow', {
      taskQueue,
      workflowId: workflowIds.lead(leadId),
      args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId, startAt }],
    });
  }
  for (const id of leadIds) {
    await waitFor(async () => (await progressOf(id)).next, { timeoutMs: 60_000, what: `lead ${id} waiting for its first step` });
  }
}

describe('campaign-control (SYS-007)', () => {
  it("SYS-007: a campaign of three running sequences (and one that has ended) is paused, resumed, then stopped; every lead's progress says so", async () => {
    const s = await campaignOf(4);
    const running = s.leadIds.slice(0, 3);
    // Lead 4's sequence ended long ago: the signals that find it ended are counted, not failed.
    const taskQueue = `ctl-${randomUUID()}`;
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      await startSequences(s, running, taskQueue);
      expect(await statesOf(running)).toEqual(['running', 'running', 'running']);

      const paused = await finished(await control(s, taskQueue, 'pause'));
      // Pages of two: rows 1-2, rows 3-4, then an empty page.
      expect(paused).toMatchObject({ state: 'done', requests: 1, passes: 1 });
      expect(paused.pass).toMatchObject({ action: 'pause', reason: 'test pause', pages: 2, signalled: 3, finished: 1, afterRow: 4 });
      expect(await statesBecome(running, 'paused')).toEqual(['paused', 'paused', 'paused']);
      expect((await campaigns.forTenant(s.client.id).get(s.campaign.id))?.status).toBe('paused');
      // Past every lead's first step's day: nothing is sent while paused.
      await bed.env.sleep(14 * DAY);
      expect(await touchesOf(s.leadIds)).toBe(0);
      expect(await statesOf(running)).toEqual(['paused', 'paused', 'paused']);

      const resumed = await finished(await control(s, taskQueue, 'resume'));
      expect(resumed.pass).toMatchObject({ action: 'resume', signalled: 3, finished: 1 });
      expect(await statesBecome(running, 'running')).toEqual(['running', 'running', 'running']);
      expect((await campaigns.forTenant(s.client.id).get(s.campaign.id))?.status).toBe('running');

      const stopped = await finished(await control(s, taskQueue, 'stop'));
      expect(stopped.pass).toMatchObject({ action: 'stop', signalled: 3, finished: 1 });
      for (const id of running) {
        const end = (await bed.env.client.workflow.getHandle(workflowIds.lead(id)).result()) as LeadProgress;
        expect(end).toMatchObject({ state: 'stopped', stopReason: 'campaign_stopped' });
        expect(await progressOf(id)).toMatchObject({ state: 'stopped', stopReason: 'campaign_stopped' });
      }
    });
    const leads = await db.system.lead.findMany({ where: { id: { in: running } } });
    expect(leads.map((l) => l.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await db.system.personSequence.count({ where: { leadId: { in: running } } })).toBe(0);
    expect((await campaigns.forTenant(s.client.id).get(s.campaign.id))?.status).toBe('stopped');
  });

  it('SYS-007: a pause and a resume asked one after the other: the latest wins, on every lead', async () => {
    const s = await campaignOf(3);
    const taskQueue = `ctl-${randomUUID()}`;
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      await startSequences(s, s.leadIds, taskQueue);
      await control(s, taskQueue, 'pause', 1);
      const handle = await control(s, taskQueue, 'resume', 1);
      const done = await finished(handle);
      expect(done.requests).toBeGreaterThanOrEqual(1);
      expect(done.pass).toMatchObject({ action: 'resume', signalled: 3, finished: 0 });
      // Give a late pause time to land (it must not): then every lead runs.
      await new Promise((r) => setTimeout(r, 500));
      expect(await statesBecome(s.leadIds, 'running')).toEqual(['running', 'running', 'running']);
    });
  });

  it("SYS-007: an onboarding still running starts a paused campaign's new sequences paused, and a stopped campaign's not at all", async () => {
    const s = await campaignOf(2, 'scored');
    const taskQueue = `ctl-${randomUUID()}`;
    const ctx = await testContext({ db, temporal: bed.env.client, taskQueue, providers: bed.fakes.providers });
    const { startSequencesBatch } = createStartSequenceActivities({ services: ctx.services });
    const batch = { version: 1 as const, clientId: s.client.id, campaignId: s.campaign.id, fromRow: 1, toRow: 1 };
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      expect(await campaigns.forTenant(s.client.id).control(s.campaign.id, 'pause')).toEqual({ ok: true, status: 'paused' });
      expect(await new MockActivityEnvironment().run(startSequencesBatch, batch)).toEqual({ started: 1 });
      const [first, second] = s.leadIds as [string, string];
      await waitFor(async () => (await progressOf(first).catch(() => undefined))?.state === 'paused', { what: 'lead 1 paused' });
      await bed.env.sleep(14 * DAY);
      expect(await touchesOf([first])).toBe(0);
      expect((await progressOf(first)).state).toBe('paused');

      expect(await campaigns.forTenant(s.client.id).control(s.campaign.id, 'stop')).toEqual({ ok: true, status: 'stopped' });
      expect(await new MockActivityEnvironment().run(startSequencesBatch, { ...batch, fromRow: 2, toRow: 2 })).toEqual({ started: 0 });
      expect(await db.system.lead.findUniqueOrThrow({ where: { id: second } })).toMatchObject({
        status: 'scored',
        sequenceWorkflowId: null,
      });
      // Onboarding's own last step never overwrites the client's stop.
      await campaigns.forTenant(s.client.id).setStatus(s.campaign.id, 'running');
      expect((await campaigns.forTenant(s.client.id).get(s.campaign.id))?.status).toBe('stopped');
    });
  });
});
