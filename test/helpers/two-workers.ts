/**
 * SYS-009 (issue 14, "two workers on one task queue complete a campaign with no duplicate touch"):
 * the scenario the integration test (100 leads) and the resilience run (500 leads) share. Two
 * worker processes and one API process (test/helpers/process-stack.ts) on the run's Postgres and
 * Temporal dev server; a client made and a campaign created over the API's HTTP; then, once
 * onboarding is done and every lead's first step is planned (on a real server the first steps may be
 * hours or days away: the plan, a durable timer, is the observable; a step due now is sent):
 * - both workers did the campaign's work (the identity Temporal records on each task it handed out);
 * - exactly one sequence workflow per lead (every run of the task queue listed), none failed a task;
 * - no (lead, step) with two sent touches, and each lead's plan readable over the API;
 * - the campaign stopped over the API, each worker ends the sequences it holds with an activity of
 *   its own (finishLeadSequence, a local activity: every lead cancelled, every person released),
 *   so both workers ran activities, and no sequence is left waiting on the shared dev server.
 * The onboarding's own activities (a dozen) may all run on one worker: the server may hand a
 * workflow's activities straight to the worker that scheduled them (eager execution).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { WORKFLOW_TYPES, workflowIds } from '../../workflows/contracts.js';
import { ADMIN_KEY, temporalClient, testConfig, testDb, waitFor } from './context.js';
import { httpApi, untilTemporalAnswers } from './http-api.js';
import { startProcessStack, type ProcessStack } from './process-stack.js';

type History = temporal.api.history.v1.IHistory;

/** A CSV lead list of n rows no other test of the run shares (the person rules span every client). */
function uniqueLeads(n: number): string {
  const tag = randomUUID().slice(0, 8);
  const prefix = randomInt(100, 1000);
  const lines = ['email,first_name,last_name,title,company,city,state,country,phone'];
  for (let i = 1; i <= n; i++)
    lines.push(
      `w${tag}-${i}@company${i % 50}.example,Lead,${i},Founder,Company ${i},Sydney,NSW,AU,04${prefix}${String(i).padStart(5, '0')}`,
    );
  return `${lines.join('\n')}\n`;
}

/** Runs fn over items, at most `limit` at once. */
async function eachLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const events = (h: History) => h.events ?? [];
/** Who ran each task of a history: the identities of the pollers that took its workflow and activity tasks. */
function taskIdentities(h: History): { workflowTasks: string[]; activities: string[] } {
  return {
    workflowTasks: events(h).flatMap((e) => e.workflowTaskStartedEventAttributes?.identity ?? []),
    activities: events(h).flatMap((e) => e.activityTaskStartedEventAttributes?.identity ?? []),
  };
}
/** The first step is planned (a durable timer until its window), under way (an activity) or the sequence ended. */
const firstStepPlanned = (h: History) =>
  events(h).some(
    (e) =>
      e.timerStartedEventAttributes ||
      e.activityTaskScheduledEventAttributes ||
      e.markerRecordedEventAttributes ||
      e.workflowExecutionCompletedEventAttributes,
  );
/** The marker a local activity's result is recorded with (a patch's marker is core_patch). */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
/** The worker that ran each local activity of a history: the identity on the workflow task that recorded its marker. */
function localActivityIdentities(h: History): string[] {
  const byId = new Map(events(h).map((e) => [String(e.eventId), e]));
  return events(h).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== LOCAL_ACTIVITY_MARKER || marker.workflowTaskCompletedEventId == null) return [];
    const taskId = marker.workflowTaskCompletedEventId;
    return byId.get(String(taskId))?.workflowTaskCompletedEventAttributes?.identity ?? [];
  });
}
const failedTasks = (h: History) =>
  events(h).filter((e) => e.workflowTaskFailedEventAttributes || e.workflowExecutionFailedEventAttributes).length;

export interface TwoWorkersReport {
  onboardingMs: number;
  plannedMs: number;
  /** Per worker identity: workflow tasks of the lead sequences, and activities (onboarding and sequences). */
  perWorker: Record<string, { workflowTasks: number; activities: number }>;
  /** Per worker identity: the sequences it ended after the stop (their finishLeadSequence local activity). */
  finishedBy: Record<string, number>;
  sentTouches: number;
}

export async function runTwoWorkerCampaign(leads: number, timeoutMs: number): Promise<TwoWorkersReport> {
  const config = testConfig();
  const db = testDb(config);
  let stack: ProcessStack | undefined;
  let temporal: Client | undefined;
  try {
    stack = await startProcessStack(config, { workers: 2 });
    temporal = await temporalClient(config.temporal.address, config.temporal.namespace);
    const api = httpApi(() => stack!.url);
    const identities = stack.workers.map((w) => w.identity);

    // The client and its campaign, over the API's HTTP, as an operator and the client would.
    const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, {
      name: 'Two workers',
      slug: `two-workers-${randomUUID().slice(0, 8)}`,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const apiKey = created.body.apiKey.apiKey as string;
    const form = new FormData();
    form.set('campaign', JSON.stringify({ name: `${leads} leads, two workers`, icp: { description: 'We help agencies book meetings.' } }));
    form.set('leads', new Blob([uniqueLeads(leads)], { type: 'text/csv' }), 'leads.csv');
    const t0 = Date.now();
    const posted = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', apiKey, form);
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    const campaignId = posted.body.id as string;

    // Onboarding done: imported, enriched, washed, scored, every sequence started.
    const campaign = await waitFor(
      async () => {
        const res = await api('GET', `/v1/campaigns/${campaignId}`, apiKey);
        return res.body?.status === 'running' && res.body;
      },
      { timeoutMs, intervalMs: 500, what: 'onboarding to finish' },
    );
    const onboardingMs = Date.now() - t0;
    const rows = await db.system.lead.findMany({ where: { campaignId }, select: { id: true, tier: true } });
    expect(rows.length).toBe(leads);
    expect(rows.filter((r) => r.tier === 'Dead')).toEqual([]); // every lead gets a sequence

    // Exactly one sequence workflow per lead: every run on this task queue, open or closed.
    const query = `WorkflowType = '${WORKFLOW_TYPES.lead}' AND TaskQueue = '${config.temporal.taskQueue}'`;
    const listed = await waitFor(
      async () => {
        const ids: string[] = [];
        for await (const wf of temporal!.workflow.list({ query })) ids.push(wf.workflowId);
        return ids.length >= leads && ids;
      },
      { timeoutMs, intervalMs: 500, what: 'every sequence to be visible' },
    );
    const expectedIds = rows.map((r) => workflowIds.lead(r.id)).sort();
    expect([...listed].sort()).toEqual(expectedIds);

    // Every lead's first step planned (or under way, or done), by one of the two workers.
    const histories = new Map<string, History>();
    await waitFor(
      async () => {
        const pending = expectedIds.filter((id) => !histories.has(id));
        await eachLimited(pending, 16, async (id) => {
          const h = await temporal!.workflow.getHandle(id).fetchHistory();
          if (firstStepPlanned(h)) histories.set(id, h);
        });
        return histories.size === leads;
      },
      { timeoutMs, intervalMs: 500, what: "every lead's first step to be planned" },
    );
    const plannedMs = Date.now() - t0;
    const onboarding = await temporal.workflow.getHandle(campaign.workflowId).fetchHistory();
    const all = [onboarding, ...histories.values()];
    expect(all.map(failedTasks).reduce((a, b) => a + b, 0)).toBe(0);

    const perWorker: TwoWorkersReport['perWorker'] = {};
    for (const h of all) {
      const t = taskIdentities(h);
      for (const [kind, ids] of [
        ['workflowTasks', h === onboarding ? [] : t.workflowTasks],
        ['activities', t.activities],
      ] as const)
        for (const id of ids) {
          perWorker[id] ??= { workflowTasks: 0, activities: 0 };
          perWorker[id][kind] += 1;
        }
    }
    // Nothing but the two processes worked on the campaign, and each of them did.
    expect(Object.keys(perWorker).sort()).toEqual([...identities].sort());
    for (const id of identities) expect(perWorker[id]!.workflowTasks + perWorker[id]!.activities).toBeGreaterThan(0);

    // No (lead, step) sent twice (a call's retries are attempts of one step: the touch ledger's own rule).
    const dup = await db.system.touch.groupBy({
      by: ['leadId', 'step'],
      where: { campaignId, status: { in: ['sent', 'delivered'] }, channel: { not: 'voice' } },
      having: { leadId: { _count: { gt: 1 } } },
    });
    expect(dup).toEqual([]);
    const sentTouches = await db.system.touch.count({ where: { campaignId, status: { in: ['sent', 'delivered'] } } });

    // The plan, as the client sees it: a few leads' sequences over the API (answered by whichever worker caches them).
    for (const r of rows.slice(0, 5)) {
      const lead = await waitFor(
        async () => {
          const res = await api('GET', `/v1/leads/${r.id}`, apiKey);
          return res.body?.sequence && res.body;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: `lead ${r.id}'s plan` },
      );
      const steps = lead.sequence.steps as { status: string; plannedAt?: string }[];
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.some((s) => s.plannedAt || ['sent', 'skipped', 'failed'].includes(s.status))).toBe(true);
    }

    // The campaign stopped over the API: each worker ends the sequences it holds, each with its
    // own activity (finishLeadSequence: the lead marked cancelled, its person released).
    const stopped = await untilTemporalAnswers(api, 'POST', `/v1/campaigns/${campaignId}/stop`, apiKey, {
      reason: 'two-workers test done',
    });
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(202);
    await waitFor(async () => (await db.system.lead.count({ where: { campaignId, status: 'cancelled' } })) === leads, {
      timeoutMs,
      intervalMs: 500,
      what: 'every lead cancelled',
    });
    // finishLeadSequence marks the lead cancelled, then releases its person, and the run completes
    // after it: wait for every run to close before reading the histories and the people.
    await waitFor(
      async () => {
        const statuses = await eachLimited(expectedIds, 16, async (id) => (await temporal!.workflow.getHandle(id).describe()).status.name);
        return statuses.every((s) => s !== 'RUNNING');
      },
      { timeoutMs, intervalMs: 500, what: 'every sequence to end' },
    );
    const ended = await eachLimited(expectedIds, 16, (id) => temporal!.workflow.getHandle(id).fetchHistory());
    expect(ended.map(failedTasks).reduce((a, b) => a + b, 0)).toBe(0);
    const finishedBy: Record<string, number> = {};
    for (const h of ended) {
      expect(h.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
      for (const id of localActivityIdentities(h)) finishedBy[id] = (finishedBy[id] ?? 0) + 1;
    }
    // Both workers ran activities of the campaign: the end of the sequences each of them held.
    expect(Object.keys(finishedBy).sort()).toEqual([...identities].sort());
    expect(await db.system.personSequence.count({ where: { leadId: { in: rows.map((r) => r.id) } } })).toBe(0);

    expect(stack.exited()).toEqual([]); // both workers and the API still up
    return { onboardingMs, plannedMs, perWorker, finishedBy, sentTouches };
  } catch (err) {
    // What the processes said last: the reason is usually there.
    for (const p of stack ? [stack.server, ...stack.workers] : [])
      console.error(`[two workers] pid ${p.child.pid} output (tail):\n${p.output().slice(-4000)}`);
    throw err;
  } finally {
    await stack?.stop();
    await temporal?.connection.close();
    await db.close();
  }
}
