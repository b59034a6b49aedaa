/**
 * crm-sync:{leadId} (SYS-004): pushes the lead's deal and meetings to the client's CRM whenever
 * they change (workflows/sync-on-change.ts): started with its first request (signalWithStart from
 * a booking webhook), requests that arrive while a sync runs are folded into one more sync, idle
 * for an hour it ends. CRM outages are retried by Temporal (about a day); the upserts find before
 * they create, so retries never duplicate.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { createCrmSyncActivities, CrmSyncResult } from '../activities/crm-sync.js';
import { activityProfiles } from './activity-profiles.js';
import { onLane } from './provider-lanes.js';
import { syncOnChange } from './sync-on-change.js';
import { crmSyncProgressQuery, crmSyncSignal, type CrmSyncInput, type CrmSyncProgress } from './contracts.js';

type Acts = ReturnType<typeof createCrmSyncActivities>;
const acts = proxyActivities<Acts>(activityProfiles.crmSync);

export async function crmSyncWorkflow(input: CrmSyncInput): Promise<CrmSyncProgress> {
  if (input.version !== 1) throw new Error(`unsupported input version ${String(input.version)}`);
  const progress: CrmSyncProgress = { leadId: input.leadId, runs: 0, requested: 0 };
  return syncOnChange<CrmSyncResult, CrmSyncProgress>(
    progress,
    crmSyncSignal,
    crmSyncProgressQuery,
    () =>
      onLane('crm', activityProfiles.crmSync, acts).syncCrm({
        version: 1,
        clientId: input.clientId,
        leadId: input.leadId,
        nowMs: Date.now(),
      }),
    () => continueAsNew<typeof crmSyncWorkflow>(input),
  );
}
