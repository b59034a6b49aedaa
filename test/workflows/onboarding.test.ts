/**
 * onboarding:{campaignId} on the time-skipping test server, with the real activities against
 * the run's Postgres (SYS-001 intake, SYS-010).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping } from '../helpers/time-skipping.js';
import {
  onboardingProgressQuery,
  workflowIds,
  type LeadProgress,
  type OnboardingInput,
  type OnboardingProgress,
} from '../../workflows/contracts.js';
import { validateCsvLeads } from '../../api/lead-list.js';
import { createTestTenant, csvLeads, testDb, waitFor } from '../helpers/context.js';
import { createTestWorker } from '../helpers/app.js';
import type { Activities } from '../../activities/index.js';
import { recordHistory } from '../helpers/histories.js';
import { createApolloFake, apolloPerson } from '../fakes/apollo-fake.js';
import { createApolloLeadSource } from '../../providers/apollo/people-search.js';
import { createMemoryRecorder, createSandboxDncrRegister } from '../../providers/sandbox/index.js';
import { sandboxProviders } from '../../app/providers.js';

const db = testDb();
const recorder = createMemoryRecorder();
const providers = sandboxProviders(recorder, { dncr: createSandboxDncrRegister({ registered: new Set(['+61410000002']) }) });
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
});
afterAll(async () => {
  await env?.teardown();
  await db.close();
});

/** Stores a campaign with n staged rows, as POST /v1/campaigns does. */
async function stagedCampaign(n: number, csv = csvLeads(n, { dead: true })) {
  const { client } = await createTestTenant(db);
  const parsed = validateCsvLeads(csv, 100_000);
  if (!parsed.ok) throw new Error(parsed.message);
  const campaign = await db.asTenant(client.id, async (tx) => {
    const c = await tx.campaign.create({ data: { clientId: client.id, name: 'wf test', icp: {}, leadTotal: n } });
    await tx.leadImportRow.createMany({
      data: parsed.rows.map((data, i) => ({ campaignId: c.id, clientId: client.id, rowNumber: i + 1, data })),
    });
    return c;
  });
  const input: OnboardingInput = {
    version: 1,
    clientId: client.id,
    campaignId: campaign.id,
    leadTotal: n,
    defaultCountry: 'AU',
    batchSize: 100,
  };
  return { client, campaign, input };
}

function worker(taskQueue: string, activityOverrides?: (real: Activities) => Partial<Activities>) {
  return createTestWorker({ env, taskQueue, db, providers, ...(activityOverrides ? { activityOverrides } : {}) });
}

describe('onboarding workflow (SYS-001 intake)', () => {
  it('SYS-001: imports every staged row as a lead with its phone in E.164 and reports progress', async () => {
    const { campaign, input } = await stagedCampaign(1234);
    const taskQueue = `wf-${randomUUID()}`;
    const w = await worker(taskQueue);
    const result = await w.runUntil(async () => {
      const handle = await env.client.workflow.start('onboardingWorkflow', {
        taskQueue,
        workflowId: workflowIds.onboarding(campaign.id),
        args: [input],
      });
      const done = (await handle.result()) as OnboardingProgress;
      const queried = await handle.query(onboardingProgressQuery);
      return { done, queried };
    });
    expect(result.done).toMatchObject({
      stage: 'running',
      total: 1234,
      imported: 1234,
      batchesDone: 13,
      invalidPhones: 0,
      enriched: 1234,
      scoredByTier: { Dead: 1234 },
      sequencesStarted: 0,
    });
    expect(result.queried.stage).toBe('running');
    const leads = await db.system.lead.findMany({ where: { campaignId: campaign.id }, orderBy: { sourceRow: 'asc' }, take: 2 });
    expect(leads.map((l) => [l.sourceRow, l.phoneE164, l.phoneCountry])).toEqual([
      [1, '+61410000001', 'AU'],
      [2, '+61410000002', 'AU'],
    ]);
    expect(await db.system.lead.count({ where: { campaignId: campaign.id } })).toBe(1234);
    expect((await db.system.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('running');
  });

  it('SYS-001: a batch retried after it already inserted its rows inserts nothing twice', async () => {
    const { campaign, input } = await stagedCampaign(450);
    const calls: { fromRow: number; inserted: number }[] = [];
    let failedOnce = false;
    const activities = (real: Activities) => ({
      // The insert commits, then the activity "crashes" before reporting: Temporal retries it.
      async importLeadBatch(i: Parameters<typeof real.importLeadBatch>[0]) {
        const r = await real.importLeadBatch(i);
        calls.push({ fromRow: i.fromRow, inserted: r.inserted });
        if (i.fromRow === 201 && !failedOnce) {
          failedOnce = true;
          throw new Error('worker lost after commit');
        }
        return r;
      },
    });
    const taskQueue = `wf-${randomUUID()}`;
    const w = await worker(taskQueue, activities);
    const done = (await w.runUntil(
      env.client.workflow.execute('onboardingWorkflow', { taskQueue, workflowId: workflowIds.onboarding(campaign.id), args: [input] }),
    )) as OnboardingProgress;
    expect(calls.filter((c) => c.fromRow === 201)).toEqual([
      { fromRow: 201, inserted: 100 },
      { fromRow: 201, inserted: 0 },
    ]);
    expect(done.imported).toBe(450);
    expect(await db.system.lead.count({ where: { campaignId: campaign.id } })).toBe(450);
  });

  it('SYS-001: sourcing from Apollo stages the people the ICP finds, then imports, scores and starts them like a list', async () => {
    const apollo = createApolloFake({ apiKey: 'apollo-key' });
    apollo.setPeople(
      Array.from({ length: 23 }, (_, i) => apolloPerson({ id: `p${i}`, email: `person${i}@acme-${i}.example`, title: 'Intern' } as never)),
    );
    const { baseUrl } = await apollo.start();
    try {
      const { client } = await createTestTenant(db);
      const campaign = await db.asTenant(client.id, (tx) =>
        tx.campaign.create({ data: { clientId: client.id, name: 'sourced', icp: { titles: ['Intern'], countries: ['AU'] } } }),
      );
      const input: OnboardingInput = {
        version: 1,
        clientId: client.id,
        campaignId: campaign.id,
        leadTotal: 0,
        defaultCountry: 'AU',
        batchSize: 10,
        source: { type: 'apollo', limit: 20 },
      };
      const taskQueue = `wf-${randomUUID()}`;
      const leadSource = createApolloLeadSource({ apiKey: 'apollo-key', baseUrl });
      const w = await createTestWorker({ env, taskQueue, db, providers: { ...providers, leadSource } });
      const done = (await w.runUntil(
        env.client.workflow.execute('onboardingWorkflow', { taskQueue, workflowId: workflowIds.onboarding(campaign.id), args: [input] }),
      )) as OnboardingProgress;
      expect(done).toMatchObject({ stage: 'running', sourced: 20, total: 20, imported: 20, enriched: 20 });
      expect(await db.system.lead.count({ where: { campaignId: campaign.id } })).toBe(20);
      expect(apollo.searchBodies[0]).toMatchObject({ person_titles: ['Intern'], person_locations: ['Australia'] });
    } finally {
      await apollo.stop();
    }
  });

  it("ED-003: onboarding stores the region implied by the HQ city or the phone, and a planned step skips that region's holiday", async () => {
    // Intern leads with no email score Dead: imported and enriched, no sequence started; the step times are asked of the real activity.
    const csv = [
      'email,first_name,last_name,title,company,city,state,country,phone',
      ',Ada,Scot,Intern,Loch Co,Edinburgh,,UK,07400 123456', // a GB mobile: the region comes from the city
      ',Bo,West,Intern,Swan Co,,,Australia,08 9212 3456', // no city or state: the region comes from the Perth area code
      ',Cai,Glen,Intern,Glen Co,,,Scotland,07400 123457', // a UK nation written as the country
    ].join('\n');
    const { client, campaign, input } = await stagedCampaign(3, `${csv}\n`);
    let real: Activities | undefined;
    const taskQueue = `wf-${randomUUID()}`;
    const w = await worker(taskQueue, (r) => ((real = r), {}));
    await w.runUntil(
      env.client.workflow.execute('onboardingWorkflow', { taskQueue, workflowId: workflowIds.onboarding(campaign.id), args: [input] }),
    );
    const leads = await db.system.lead.findMany({ where: { campaignId: campaign.id }, orderBy: { sourceRow: 'asc' } });
    expect(leads.map((l) => [l.city, l.country, l.state, l.timezone])).toEqual([
      ['Edinburgh', 'GB', 'SCT', 'Europe/London'],
      [null, 'AU', 'WA', 'Australia/Perth'],
      [null, 'GB', 'SCT', 'Europe/London'],
    ]);
    const next = (leadId: string, kind: 'sms' | 'voice' | 'email', earliest: string) =>
      real!.nextStepTime({ version: 1, clientId: client.id, leadId, kind, earliestMs: Date.parse(earliest), seed: `${leadId}:${kind}` });
    for (const kind of ['sms', 'voice'] as const) {
      // Mon 4 Aug 2025 is the Summer bank holiday in Scotland (not in England): Tue 5 Aug 09:00 BST.
      expect(new Date((await next(leads[0]!.id, kind, '2025-08-02T12:00:00Z')).atMs).toISOString()).toBe('2025-08-05T08:00:00.000Z');
      // Mon 2 Jun 2025 is Western Australia Day: Tue 3 Jun 09:00 AWST.
      expect(new Date((await next(leads[1]!.id, kind, '2025-05-31T12:00:00Z')).atMs).toISOString()).toBe('2025-06-03T01:00:00.000Z');
      expect(new Date((await next(leads[2]!.id, kind, '2025-08-02T12:00:00Z')).atMs).toISOString()).toBe('2025-08-05T08:00:00.000Z');
    }
    const email = new Date((await next(leads[0]!.id, 'email', '2025-08-02T12:00:00Z')).atMs);
    expect(email.toISOString().slice(0, 10)).toBe('2025-08-05');
  });

  it('SYS-001 AD-001: onboarding plans each sequence in the batch: a new lead history is its start and one timer, a person listed twice is in one sequence, and a retried start starts nothing twice', async () => {
    const tag = randomUUID().slice(0, 8);
    const mobile = () => `04${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const csv = [
      'email,first_name,last_name,title,company,city,state,country,phone',
      `ada.${tag}@plan.example,Ada,One,Founder,Plan Co,Sydney,NSW,AU,${mobile()}`,
      `ADA.${tag}@plan.example,Ada,Again,Founder,Plan Co,Sydney,NSW,AU,${mobile()}`,
      `bo.${tag}@plan.example,Bo,Two,Founder,Plan Co,Sydney,NSW,AU,${mobile()}`,
    ].join('\n');
    const { campaign, input } = await stagedCampaign(3, `${csv}\n`);
    const taskQueue = `wf-${randomUUID()}`;
    let starts = 0;
    // The batch activity is retried after it has started everything (a worker lost before reporting).
    const w = await worker(taskQueue, (real) => ({
      async startSequencesBatch(i: Parameters<typeof real.startSequencesBatch>[0]) {
        starts += 1;
        await real.startSequencesBatch(i);
        return real.startSequencesBatch(i);
      },
    }));
    const leads = await w.runUntil(async () => {
      await env.client.workflow.execute('onboardingWorkflow', {
        taskQueue,
        workflowId: workflowIds.onboarding(campaign.id),
        args: [input],
      });
      const rows = await db.system.lead.findMany({ where: { campaignId: campaign.id }, orderBy: { sourceRow: 'asc' } });
      const histories: string[][] = [];
      for (const l of rows) {
        const handle = env.client.workflow.getHandle(workflowIds.lead(l.id));
        histories.push(
          await waitFor(
            async () => {
              const events = (await handle.fetchHistory().catch(() => undefined))?.events ?? [];
              // Up to the lead's first wait (a timer, 17) or its first activity (10: the step is due
              // already when the batch planned it inside the recipient's window), or all of it
              // when it ended (2) without either.
              const end = events.findIndex((e) => e.eventType === 17 || e.eventType === 10);
              const upTo = end >= 0 ? events.slice(0, end + 1) : events.at(-1)?.eventType === 2 && events;
              return (
                upTo &&
                upTo.map((e) =>
                  e.eventType === 10
                    ? `activity:${e.activityTaskScheduledEventAttributes?.activityType?.name}`
                    : e.eventType === 25
                      ? `marker:${e.markerRecordedEventAttributes?.markerName}`
                      : String(e.eventType),
                )
              );
            },
            { timeoutMs: 100_000, what: `lead ${l.sourceRow} asleep, at work or ended` },
          ),
        );
      }
      // A duplicate's status is written by its own sequence as it ends, after the onboarding has
      // completed: read the leads again now that every sequence is asleep, at work or ended.
      const now = await db.system.lead.findMany({ where: { campaignId: campaign.id }, orderBy: { sourceRow: 'asc' } });
      return now.map((l, i) => ({ ...l, events: histories[i]! }));
    });
    expect(starts).toBe(1);
    expect(leads.map((l) => l.tier)).not.toContain('Dead');
    // Started with the plan in its input, then straight to step 1: the timer to it, or (when it is
    // due already) its one step activity. No planning activity before it. Between them only
    // workflow tasks (5 scheduled, 6 started, 7 completed; 8 a task timed out on a busy machine)
    // and the short-history patch's marker and search attribute (40): no local activity's marker.
    for (const l of [leads[0]!, leads[2]!]) {
      expect(l.events[0]).toBe('1');
      expect(['17', 'activity:runStep']).toContain(l.events.at(-1));
      expect(l.events.slice(1, -1).filter((t) => !['5', '6', '7', '8', 'marker:core_patch', '40'].includes(t))).toEqual([]);
    }
    expect(leads.map((l) => l.status)).toEqual(['in_sequence', 'duplicate', 'in_sequence']);
    const dup = (await env.client.workflow.getHandle(workflowIds.lead(leads[1]!.id)).result()) as LeadProgress;
    expect(dup).toMatchObject({ state: 'stopped', stopReason: 'person_in_another_sequence' });
    expect(await db.system.personSequence.count({ where: { leadId: leads[1]!.id } })).toBe(0);
  });

  it('SYS-001 (issue 11): onboarding takes each batch through enrichment, wash and sequence start on its own, four batches at a time, so the first sequences start while later batches are still enriched', async () => {
    const { campaign, input } = await stagedCampaign(120);
    const calls: { stage: string; fromRow: number; at: 'begin' | 'end' }[] = [];
    const wrap =
      <A extends { fromRow: number }, R>(stage: string, run: (a: A) => Promise<R>) =>
      async (a: A) => {
        calls.push({ stage, fromRow: a.fromRow, at: 'begin' });
        const r = await run(a);
        calls.push({ stage, fromRow: a.fromRow, at: 'end' });
        return r;
      };
    const taskQueue = `wf-${randomUUID()}`;
    const w = await worker(taskQueue, (real) => ({
      enrichAndScoreBatch: wrap('enrich', real.enrichAndScoreBatch),
      washBatch: wrap('wash', real.washBatch),
      startSequencesBatch: wrap('start', real.startSequencesBatch),
    }));
    const done = (await w.runUntil(async () => {
      const h = await env.client.workflow.start('onboardingWorkflow', {
        taskQueue,
        workflowId: workflowIds.onboarding(campaign.id),
        args: [{ ...input, batchSize: 20 }],
      });
      const result = await h.result();
      await recordHistory('onboarding-pipelined-batches', h);
      return result;
    })) as OnboardingProgress;
    expect(done).toMatchObject({ stage: 'running', imported: 120, enriched: 120, scoredByTier: { Dead: 120 }, sequencesStarted: 0 });
    const batches = [1, 21, 41, 61, 81, 101];
    // Each batch once through each stage, in the stages' order.
    for (const fromRow of batches) {
      const mine = calls.filter((c) => c.fromRow === fromRow && c.at === 'begin').map((c) => c.stage);
      expect(mine, `batch from row ${fromRow}`).toEqual(['enrich', 'wash', 'start']);
    }
    // Pipelined: a batch's sequences were started before the last batch was enriched.
    const firstStart = calls.findIndex((c) => c.stage === 'start' && c.at === 'begin');
    const lastEnrich = calls.findIndex((c) => c.stage === 'enrich' && c.fromRow === 101 && c.at === 'begin');
    expect(firstStart).toBeLessThan(lastEnrich);
    // Bounded: never more than four batches between their enrichment's start and their start's end.
    let inFlight = 0;
    let most = 0;
    for (const c of calls) {
      if (c.stage === 'enrich' && c.at === 'begin') most = Math.max(most, ++inFlight);
      if (c.stage === 'start' && c.at === 'end') inFlight -= 1;
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('SYS-001: a second start for the same campaign is refused (workflow id is the business key)', async () => {
    const { campaign, input } = await stagedCampaign(5);
    const taskQueue = `wf-${randomUUID()}`;
    const w = await worker(taskQueue);
    await w.runUntil(async () => {
      const workflowId = workflowIds.onboarding(campaign.id);
      const h = await env.client.workflow.start('onboardingWorkflow', { taskQueue, workflowId, args: [input] });
      await expect(env.client.workflow.start('onboardingWorkflow', { taskQueue, workflowId, args: [input] })).rejects.toThrow(
        /already started/i,
      );
      await h.result();
      await recordHistory('onboarding-5-leads', h);
    });
    expect(await db.system.lead.count({ where: { campaignId: campaign.id } })).toBe(5);
  });
});
