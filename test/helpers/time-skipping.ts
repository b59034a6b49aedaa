/**
 * A time-skipping Temporal test server with the project's custom search attributes registered
 * (SYS-009): every lead sequence, conversation, onboarding and campaign-control workflow starts
 * with ClientId/CampaignId (services/workflow-gateway.ts) and a lead sequence upserts its state,
 * which a server without the attributes refuses. Same options as
 * TestWorkflowEnvironment.createTimeSkipping.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { syncSearchAttributes } from '../../lib/search-attributes.js';

export async function createTimeSkipping(
  opts?: Parameters<typeof TestWorkflowEnvironment.createTimeSkipping>[0],
): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping(opts);
  try {
    await syncSearchAttributes(env.client.connection, env.namespace ?? 'default');
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return env;
}

/**
 * Polls `probe` until `ok` holds, letting simulated time move on `stepMs` between looks (600 looks
 * at most): what a workflow does next may wait on a timer, and a retried activity on its backoff.
 */
export async function untilSimulated<T>(
  env: TestWorkflowEnvironment,
  what: string,
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  stepMs: number,
): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await probe();
    if (ok(v)) return v;
    await env.sleep(stepMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}
