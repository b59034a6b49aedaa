/**
 * Failures reach an operator and Sentry once, without personal data (SYS-009, issue 14): an
 * activity's failure after its last attempt and a failed workflow each raise one deduplicated
 * alert and one Sentry event (tagged with client, campaign, workflow and activity) at a local fake
 * of Sentry's ingest endpoint (test/fakes/sentry-fake.ts); the lead's email and phone never leave.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { ProviderError, type WarmupService } from '../../providers/ports.js';
import { sandboxProviders } from '../../app/providers.js';
import { createMemoryRecorder } from '../../providers/sandbox/index.js';
import { workflowIds, type LeadProgress, type WarmupProgress } from '../../workflows/contracts.js';
import { closeSentry, flushSentry, initSentry } from '../../lib/sentry.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivityInterceptors } from '../../activities/index.js';
import type { AlertInput, AlertService } from '../../services/alerts.js';
import { startSentryFake, type SentryFake } from '../fakes/sentry-fake.js';

const db = testDb();
const bed = workflowBed(db);
let sentry: SentryFake;

beforeAll(async () => {
  sentry = await startSentryFake();
  expect(initSentry({ dsn: sentry.dsn, environment: 'test' }, { processHandlers: false })).toBe(true);
});
afterAll(async () => {
  await closeSentry();
  await sentry?.stop();
});
beforeEach(() => {
  sentry.events.length = 0;
  sentry.raw.length = 0;
});

/**
 * Polls until `check` holds (a sink runs after the workflow task that failed the run completes);
 * the timeout is a safety net for a hang on a busy machine, never a speed check.
 */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('failures reach an operator and Sentry once (SYS-009)', () => {
  it("SYS-009: a provider's permanent refusal of an SMS is one alert and one Sentry event tagged with the ids, without the lead's email or phone", async () => {
    const s = await seedSequenceLead(db, bed.fakes, { tier: 'Hot', washedAt: new Date(await bed.env.currentTimeMs()) });
    const { lead, client, campaign } = s;
    const taskQueue = `sentry-${randomUUID()}`;
    const worker = await createTestWorker({
      env: bed.env,
      taskQueue,
      db,
      providers: bed.fakes.providers,
      activityOverrides: (real) => ({
        async sendStep(input) {
          if (input.kind !== 'sms') return real.sendStep(input);
          // The provider's words name the person: they must not reach Sentry.
          throw new ProviderError(
            'twilio',
            'invalid_number',
            `The 'To' number ${lead.phoneE164} (${lead.email}) is not a valid phone number`,
            false,
            400,
          );
        },
      }),
    });
    const workflowId = workflowIds.lead(lead.id);
    const progress = (await worker.runUntil(
      bed.env.client.workflow.execute('leadSequenceWorkflow', {
        taskQueue,
        workflowId,
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      }),
    )) as LeadProgress;
    // A business failure: the step is a recorded skip, the lead's workflow completes.
    expect(progress.state).toBe('completed');
    expect(progress.steps.find((x) => x.kind === 'sms')).toMatchObject({
      status: 'skipped',
      skipReason: 'failure:provider_invalid_number',
    });

    const alerts = await db.system.alert.findMany({ where: { clientId: client.id } });
    expect(alerts.map((a) => a.kind)).toEqual(['activity.permanent_failure']);
    await flushSentry();
    const events = await sentry.waitForEvents(1);
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    expect(sentry.events).toHaveLength(1);
    const tags = events[0]!.tags!;
    expect(tags).toMatchObject({ clientId: client.id, campaignId: campaign.id, workflowId, failureType: 'provider_invalid_number' });
    expect(['runStep', 'sendStep']).toContain(tags.activityType);
    expect(Number(tags.attempt)).toBe(1);
    expect(events[0]!.exception?.values?.[0]?.value).toContain('[phone]');
    const body = sentry.raw.join('\n');
    expect(body).not.toContain(lead.email!);
    expect(body).not.toContain(lead.phoneE164!);
    expect(body).not.toContain(lead.phoneE164!.slice(1));
  });

  it('SYS-009 SM-004: a client name no SMS can hold (real content path) never fails the lead: the SMS goes out without it, nothing reaches Sentry', async () => {
    const s = await seedSequenceLead(db, bed.fakes, { tier: 'Hot', washedAt: new Date(await bed.env.currentTimeMs()) });
    const longName = `${'Very Long Agency Name '.repeat(12)}Pty Ltd`;
    await db.system.client.update({ where: { id: s.client.id }, data: { name: longName } });
    const taskQueue = `sentry-sms-${randomUUID()}`;
    const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const progress = (await worker.runUntil(
      bed.env.client.workflow.execute('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(s.lead.id),
        args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
      }),
    )) as LeadProgress;
    expect(progress.state).toBe('completed');
    const sms = progress.steps.find((x) => x.kind === 'sms')!;
    // Sent without the name, or (should no text fit) a recorded skip with its reason: never a failure.
    expect(['sent', 'skipped']).toContain(sms.status);
    if (sms.status === 'skipped') expect(sms.skipReason).toBe('sms_text_does_not_fit');
    expect(
      await db.system.alert.count({ where: { clientId: s.client.id, kind: { in: ['activity.permanent_failure', 'workflow.failed'] } } }),
    ).toBe(0);
    await flushSentry();
    await new Promise((r) => setTimeout(r, 300));
    expect(sentry.events).toHaveLength(0);
  });

  it('SYS-009: a failed workflow is one workflow.failed alert and one Sentry event tagged with its workflow id', async () => {
    const { workflowId, run } = await warmupFailing(() => new ProviderError('warmforge', 'auth_failed', 'invalid API key', false, 401));
    const err = await run();
    expect(err).toBeInstanceOf(WorkflowFailedError);

    const failed = await eventually(
      () => db.system.alert.findMany({ where: { kind: 'workflow.failed', dedupeKey: `workflow-failed:${workflowId}` } }),
      (rows) => rows.length > 0,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toContain(workflowId);
    await flushSentry();
    await sentry.waitForEvents(2);
    await new Promise((r) => setTimeout(r, 300));
    const workflowEvents = sentry.events.filter((e) => e.fingerprint?.[0] === 'workflow-failure');
    expect(workflowEvents).toHaveLength(1);
    expect(workflowEvents[0]!.tags).toMatchObject({ workflowId, workflowType: 'warmupWorkflow', failureType: 'provider_auth_failed' });
    // The activity's own final failure is its own event (and alert), once.
    expect(sentry.events.filter((e) => e.fingerprint?.[0] === 'activity-failure')).toHaveLength(1);
  });

  it("SYS-009: a retryable failure is logged at every attempt and reported once, at its retry policy's last attempt (maximumAttempts)", async () => {
    // The time-skipping server does not hand the retry policy to activities (a real server does),
    // so the attempts are played in Temporal's mock activity environment with the policy given.
    const raised: AlertInput[] = [];
    const alerts = { system: { raise: async (a: AlertInput) => (raised.push(a), { id: 'a', created: true }) } } as unknown as AlertService;
    const logged: { message: string; meta?: Record<string, unknown> }[] = [];
    const record = (message: string, meta?: Record<string, unknown>) => void logged.push({ message, meta });
    const logger = {
      log: (_level: string, message: string, meta?: Record<string, unknown>) => record(message, meta),
      trace: record,
      debug: record,
      info: record,
      warn: record,
      error: record,
    };
    const clientId = randomUUID();
    const campaignId = randomUUID();
    const workflowId = `lead:${randomUUID()}`;
    for (const attempt of [1, 2, 3]) {
      const env = new MockActivityEnvironment(
        {
          attempt,
          activityType: 'runStep',
          workflowType: 'leadSequenceWorkflow',
          workflowExecution: { workflowId, runId: randomUUID() },
          retryPolicy: { maximumAttempts: 3, initialInterval: 1000 },
        },
        { interceptors: createActivityInterceptors(alerts), logger },
      );
      const err = await env
        .run(
          async (_input: { clientId: string; campaignId: string }) => {
            throw new ProviderError('twilio', 'unavailable', 'Service Unavailable for +61412345678', true, 503);
          },
          { clientId, campaignId },
        )
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ type: 'provider_unavailable', nonRetryable: false });
    }
    const failures = logged.filter((l) => l.message.startsWith('activity failed'));
    expect(failures.map((l) => [l.meta?.attempt, l.meta?.final, l.meta?.workflowId, l.meta?.activityType])).toEqual([
      [1, false, workflowId, 'runStep'],
      [2, false, workflowId, 'runStep'],
      [3, true, workflowId, 'runStep'],
    ]);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      kind: 'activity.permanent_failure',
      clientId,
      dedupeKey: `activity-failure:${workflowId}:runStep:provider_unavailable`,
    });
    await flushSentry();
    await sentry.waitForEvents(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentry.events).toHaveLength(1);
    expect(sentry.events[0]!.tags).toMatchObject({ clientId, campaignId, workflowId, activityType: 'runStep', attempt: '3' });
    expect(sentry.raw.join('\n')).not.toContain('61412345678');
  });
});

/** A warming domain past its ramp whose warmup tick fails with `error` at every attempt: the warmup workflow fails. */
async function warmupFailing(error: () => Error) {
  const tag = randomUUID().slice(0, 8);
  const purchasedAt = new Date((await bed.env.currentTimeMs()) - 30 * 86_400_000);
  const domain = await db.system.domain.create({ data: { name: `fail-${tag}.test`, status: 'warming', purchasedAt } });
  await db.system.mailbox.create({ data: { domainId: domain.id, email: `sam@fail-${tag}.test`, status: 'warming' } });
  const recorder = createMemoryRecorder();
  const pool = sandboxProviders(recorder).pool;
  const attempts: number[] = [];
  const findMailbox: WarmupService['findMailbox'] = async () => {
    attempts.push(attempts.length + 1);
    throw error();
  };
  const providers = sandboxProviders(recorder, { pool: { ...pool, warmup: { ...pool.warmup, findMailbox } } });
  const taskQueue = `sentry-wf-${randomUUID()}`;
  const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers });
  const workflowId = workflowIds.warmup(domain.id);
  const run = () =>
    worker
      .runUntil(
        bed.env.client.workflow.execute('warmupWorkflow', {
          taskQueue,
          workflowId,
          args: [{ version: 1, domainId: domain.id }],
        }) as Promise<WarmupProgress>,
      )
      .catch((e: unknown) => e);
  return { workflowId, run, attempts };
}
