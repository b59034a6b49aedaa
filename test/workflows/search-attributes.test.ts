/**
 * SYS-009 ("Temporal Web UI for ops"): a lead sequence started through the gateway (with its
 * ClientId, CampaignId, LeadState) keeps LeadState, NextStepAt, Channel and StopReason current as
 * its state changes, on the time-skipping server (attributes registered by test/helpers/time-skipping.ts).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS as K } from '../../domain/search-attributes.js';
import { WORKFLOW_TYPES } from '../../domain/processes.js';
import { createWorkflowGateway } from '../../services/workflow-gateway.js';
import { leadProgressQuery, optedOutSignal, pauseSignal, resumeSignal, workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import { testDb, waitFor } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { createTestWorker } from '../helpers/app.js';
import { tracingOff } from '../../lib/tracing.js';
import { workflowBed } from '../helpers/workflow-bed.js';

const db = testDb();
const bed = workflowBed(db);

async function start(tier: 'Cold' | 'Warm') {
  const { lead, client, campaign } = await seedSequenceLead(db, bed.fakes, {
    tier,
    zone: 'Australia/Sydney',
    state: 'NSW',
    washedAt: new Date(await bed.env.currentTimeMs()),
  });
  const taskQueue = `sa-${randomUUID()}`;
  const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
  const gateway = createWorkflowGateway(bed.env.client, taskQueue);
  const input = { version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id };
  return { worker, gateway, input, workflowId: workflowIds.lead(lead.id), client, campaign };
}

const attrs = async (h: WorkflowHandle) => (await h.describe()).typedSearchAttributes;

/** Waits until the workflow's LeadState is `state` (a signal is applied by the next workflow task). */
const stateIs = (h: WorkflowHandle, state: string) =>
  waitFor(async () => (await attrs(h)).get(K.leadState) === state && attrs(h), { timeoutMs: 60_000, what: `LeadState ${state}` });

describe('lead sequence search attributes (SYS-009)', () => {
  it('SYS-009: waiting with its next step’s time and channel, paused and resumed, then completed with the step cleared', async () => {
    const s = await start('Cold');
    const progress = await s.worker.runUntil(async () => {
      expect(await s.gateway.start(WORKFLOW_TYPES.lead, s.workflowId, [s.input])).toBe('started');
      const h = bed.env.client.workflow.getHandle(s.workflowId);
      const waiting = await stateIs(h, 'waiting');
      const next = (await h.query(leadProgressQuery)).next!;
      expect(waiting.get(K.clientId)).toBe(s.client.id);
      expect(waiting.get(K.campaignId)).toBe(s.campaign.id);
      expect(waiting.get(K.leadTier)).toBe('Cold');
      expect(waiting.get(K.nextStepAt)?.toISOString()).toBe(new Date(next.plannedAt).toISOString());
      expect(waiting.get(K.channel)).toBe('email');

      await h.signal(pauseSignal, { reason: 'ops test' });
      const paused = await stateIs(h, 'paused');
      expect(paused.get(K.nextStepAt)?.toISOString()).toBe(new Date(next.plannedAt).toISOString());
      await h.signal(resumeSignal);
      await stateIs(h, 'waiting');
      return (await h.result()) as LeadProgress;
    });
    expect(progress.state).toBe('completed');
    const done = await attrs(bed.env.client.workflow.getHandle(s.workflowId));
    expect(done.get(K.leadState)).toBe('completed');
    expect(done.get(K.nextStepAt)).toBeUndefined();
    expect(done.get(K.channel)).toBeUndefined();
    expect(done.get(K.stopReason)).toBeUndefined();
    expect(done.get(K.leadTier)).toBe('Cold');
    // Its history, upserts and patch marker included, replays with the same code (the patch is deterministic).
    const history = await bed.env.client.workflow.getHandle(s.workflowId).fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: tracingOff.sinks },
      history,
      s.workflowId,
    );
    expect(history.events!.some((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toBe(true);
  });

  it('SYS-009: an opt-out stops the sequence: LeadState stopped with its StopReason, no next step', async () => {
    const s = await start('Warm');
    await s.worker.runUntil(async () => {
      await s.gateway.start(WORKFLOW_TYPES.lead, s.workflowId, [s.input]);
      const h = bed.env.client.workflow.getHandle(s.workflowId);
      await stateIs(h, 'waiting');
      await h.signal(optedOutSignal, {
        eventId: 'sa-stop-1',
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        channel: 'sms',
        reason: 'STOP',
      });
      await h.result();
    });
    const done = await attrs(bed.env.client.workflow.getHandle(s.workflowId));
    expect(done.get(K.leadState)).toBe('stopped');
    expect(done.get(K.stopReason)).toBe('opted_out');
    expect(done.get(K.nextStepAt)).toBeUndefined();
  });
});
