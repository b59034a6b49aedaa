/**
 * Provider failures through a real worker on the time-skipping server (activities/failures.ts,
 * workflows/activity-profiles.ts): a provider's Retry-After decides when Temporal tries again,
 * a provider's permanent refusal fails the activity at its first attempt, and one that keeps
 * failing is an alert while the retries go on. Driven through a
 * domain's warmup (warmup:{domainId}), whose daily tick reads the Warmforge heat score.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { MockActivityEnvironment, TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping } from '../helpers/time-skipping.js';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { sandboxProviders } from '../../app/providers.js';
import { createMemoryRecorder } from '../../providers/sandbox/index.js';
import { ProviderError, type WarmupService } from '../../providers/ports.js';
import { workflowIds, type WarmupProgress } from '../../workflows/contracts.js';
import { activityProfiles } from '../../workflows/activity-profiles.js';
import { RETRYING_ALERT_ATTEMPT } from '../../activities/failures.js';
import { createActivityInterceptors } from '../../activities/index.js';
import { createAlertService } from '../../services/alerts.js';
import { createAlertNotifier } from '../../providers/alerts/notifier.js';
import { createTestWorker } from '../helpers/app.js';
import { testDb } from '../helpers/context.js';

const db = testDb();
let env: TestWorkflowEnvironment;

beforeEach(async () => {
  env = await createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
});
afterEach(async () => {
  await env?.teardown();
});
afterAll(async () => {
  await db.close();
});

/**
 * A warming domain with one mailbox, bought 30 days ago: past its warmup ramp (ED-001), so the
 * workflow ends at its first ready tick. Warmforge answers with `findMailbox`.
 */
async function warmup(findMailbox: WarmupService['findMailbox']) {
  const tag = randomUUID().slice(0, 8);
  const purchasedAt = new Date((await env.currentTimeMs()) - 30 * 86_400_000);
  const domain = await db.system.domain.create({ data: { name: `warm-${tag}.test`, status: 'warming', purchasedAt } });
  await db.system.mailbox.create({ data: { domainId: domain.id, email: `sam@warm-${tag}.test`, status: 'warming' } });
  const recorder = createMemoryRecorder();
  const pool = sandboxProviders(recorder).pool;
  const providers = sandboxProviders(recorder, { pool: { ...pool, warmup: { ...pool.warmup, findMailbox } } });
  const attempts: { attempt: number; atMs: number }[] = [];
  const taskQueue = `failures-${randomUUID()}`;
  const worker = await createTestWorker({
    env,
    taskQueue,
    db,
    providers,
    activityOverrides: (real) => ({
      async warmupTick(input) {
        const info = Context.current().info;
        attempts.push({ attempt: info.attempt, atMs: await env.currentTimeMs() });
        return real.warmupTick(input);
      },
    }),
  });
  const run = () =>
    worker.runUntil(
      env.client.workflow.execute('warmupWorkflow', {
        taskQueue,
        workflowId: workflowIds.warmup(domain.id),
        args: [{ version: 1, domainId: domain.id }],
      }) as Promise<WarmupProgress>,
    );
  return { domain, attempts, run };
}

const ready = { address: 'x', status: 'active', warmupEnabled: true, heatScore: 90 };

describe('provider failures reach Temporal as what they mean', () => {
  it("SYS-009: a provider's Retry-After (429) is the next retry's delay, not the profile's backoff", async () => {
    let calls = 0;
    const retryAfterSeconds = 900;
    const { attempts, run } = await warmup(async (address) => {
      calls++;
      if (calls === 1) throw new ProviderError('warmforge', 'rate_limited', 'Too Many Requests', true, 429, retryAfterSeconds);
      return { ...ready, address };
    });
    const progress = await run();
    expect(progress.state).toBe('ready');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    // Server time between the attempts: the profile alone waits its initial interval (10 s);
    // the provider asked for 900 s.
    const waited = attempts[1]!.atMs - attempts[0]!.atMs;
    expect(activityProfiles.warmupTick.retry.initialInterval).toBe('10 seconds');
    expect(waited).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
    expect(waited).toBeLessThan((retryAfterSeconds + 60) * 1000);
  });

  it("SYS-009: a provider's permanent refusal (401) fails the activity at its first attempt, with the provider's code as the type", async () => {
    const { attempts, run } = await warmup(async () => {
      throw new ProviderError('warmforge', 'auth_failed', 'invalid API key', false, 401);
    });
    const err = await run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activity = (err as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    const cause = (activity as ActivityFailure).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'provider_auth_failed', nonRetryable: true, message: 'warmforge: invalid API key' });
    expect(attempts.map((a) => a.attempt)).toEqual([1]);
  });

  it('SYS-009: a provider that stops answering is one critical alert while Temporal keeps retrying, not silence until the retries run out; the work resumes when it answers and the alert is resolved', async () => {
    let calls = 0;
    const { domain, attempts, run } = await warmup(async (address) => {
      calls++;
      if (calls <= RETRYING_ALERT_ATTEMPT + 1) throw new TypeError('fetch failed'); // connection refused: a plain, retryable error
      return { ...ready, address };
    });
    const progress = await run();
    expect(progress.state).toBe('ready');
    expect(attempts.map((a) => a.attempt)).toEqual(Array.from({ length: RETRYING_ALERT_ATTEMPT + 2 }, (_, i) => i + 1));
    // Two attempts failed at or past the threshold: one alert, for the operators (no client's).
    const alerts = await db.system.alert.findMany({
      where: { kind: 'activity.retrying', data: { path: ['workflowId'], equals: workflowIds.warmup(domain.id) } },
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', clientId: null });
    expect(alerts[0]!.dedupeKey).toMatch(/^activity-retrying:failures-[0-9a-f-]{36}:warmupTick:TypeError$/);
    // The provider answered again: the next success of that activity resolved it.
    expect(alerts[0]!.resolvedAt).not.toBeNull();
    expect(alerts[0]!.message).toContain(`attempt ${RETRYING_ALERT_ATTEMPT}`);
    expect(alerts[0]!.message).toContain('fetch failed');
  });
});

describe('an activity.retrying alert ends with the outage, whichever worker sees it end', () => {
  // Two worker processes (each its own interceptors, as lib/worker-group.ts builds them per process)
  // share one task queue; the attempts are played in Temporal's mock activity environment.
  const alerts = createAlertService({ db, notifier: createAlertNotifier({ emailFrom: 'alerts@agency-os.test' }) });
  const worker = () => createActivityInterceptors(alerts);
  const taskQueue = `retrying-${randomUUID()}`;
  const attempt = (interceptors: ReturnType<typeof worker>, n: number, fn: () => Promise<string>, workflowId: string) =>
    new MockActivityEnvironment(
      {
        attempt: n,
        taskQueue,
        activityType: 'warmupTick',
        workflowType: 'warmupWorkflow',
        workflowExecution: { workflowId, runId: randomUUID() },
      },
      { interceptors },
    )
      .run(fn)
      .catch((e: unknown) => e);
  const open = () =>
    db.system.alert.findMany({ where: { dedupeKey: { startsWith: `activity-retrying:${taskQueue}:` }, resolvedAt: null } });
  const down = async (): Promise<string> => {
    throw new TypeError('fetch failed');
  };
  const up = async () => 'ok';

  it(`SYS-009: raised by one worker at attempt ${RETRYING_ALERT_ATTEMPT}, it is resolved by the other when the retried activity succeeds there; a first attempt's success elsewhere resolves nothing`, async () => {
    const [a, b] = [worker(), worker()];
    const wf = `warmup:${randomUUID()}`;
    for (let n = 1; n <= RETRYING_ALERT_ATTEMPT; n++) await attempt(a, n, down, wf);
    expect((await open()).map((x) => x.dedupeKey)).toEqual([`activity-retrying:${taskQueue}:warmupTick:TypeError`]);
    // Another workflow's first attempt succeeding on worker B proves nothing about the outage.
    expect(await attempt(b, 1, up, `warmup:${randomUUID()}`)).toBe('ok');
    expect(await open()).toHaveLength(1);
    // The failing activity's next attempt succeeds on worker B: the outage is over.
    expect(await attempt(b, RETRYING_ALERT_ATTEMPT + 1, up, wf)).toBe('ok');
    expect(await open()).toEqual([]);
  });

  it('SYS-009: the worker that raised it resolves it at the next success of that activity on that queue, for any workflow', async () => {
    const a = worker();
    for (let n = 1; n <= RETRYING_ALERT_ATTEMPT; n++) await attempt(a, n, down, `warmup:${randomUUID()}`);
    expect(await open()).toHaveLength(1);
    expect(await attempt(a, 1, up, `warmup:${randomUUID()}`)).toBe('ok');
    expect(await open()).toEqual([]);
  });
});
