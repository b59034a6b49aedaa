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
