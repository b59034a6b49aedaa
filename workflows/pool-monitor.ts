/**
 * The pool monitor (RP-002..008), run by the `pool-monitor` Temporal Schedule: new LinkedIn
 * accounts become seats, the buffer of each resource type is measured (snapshot + alerts under
 * 40% / 20%, not repeated while the condition lasts), and the shortfall is bought: domains with
 * two mailboxes each and their warmup, Twilio numbers, seat requests. Purchase tags derive from
 * this run's workflow id (the Schedule makes it unique per run), so a retried activity never
 * buys twice; overlapping runs are skipped by the Schedule's overlap policy.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createPoolActivities } from '../activities/pool/index.js';
import type { createAlertActivities } from '../activities/alerts.js';
import type { PoolCounts, PoolMonitorInputV1 } from './contracts.js';
import { activityProfiles } from './activity-profiles.js';
import { buyMissing } from './provisioning.js';

const pool = proxyActivities<ReturnType<typeof createPoolActivities>>(activityProfiles.monitor);
const alerts = proxyActivities<ReturnType<typeof createAlertActivities>>(activityProfiles.monitor);

export interface PoolMonitorResult {
  levels: Record<keyof PoolCounts, 'ok' | 'warning' | 'critical'>;
  bought: PoolCounts;
  warmupsStarted: string[];
}

export async function poolMonitorWorkflow(input: PoolMonitorInputV1 = { version: 1 }): Promise<PoolMonitorResult> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const runTag = workflowInfo().workflowId;
  try {
    await pool.reconcileSeats({ version: 1, nowMs: Date.now() });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await alerts.raiseAlert({
      version: 1,
      kind: 'provider_unreachable',
      severity: 'warning',
      dedupeKey: 'pool:unipile:list',
      message: `Could not list LinkedIn accounts at Unipile: ${err.cause?.message ?? err.message}`,
      nowMs: Date.now(),
    });
  }
  const status = await pool.poolStatus({ version: 1, nowMs: Date.now() });
  const plan = await pool.recordPoolCheck({ version: 1, nowMs: Date.now(), pool: status });
  const toBuy = { domains: plan.domains, mailboxes: 0, phoneNumbers: plan.phoneNumbers, linkedinSeats: plan.linkedinSeats };
  const bought = await buyMissing(toBuy, runTag, 'pool-monitor');
  return {
    levels: plan.levels,
    bought: {
      domains: bought.domainIds.length,
      mailboxes: bought.domainIds.length * 2,
      phoneNumbers: bought.numbers,
      linkedinSeats: bought.seatRequests,
    },
    warmupsStarted: bought.domainIds,
  };
}
