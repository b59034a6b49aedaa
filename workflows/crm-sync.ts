/**
 * crm-sync:{leadId} (SYS-004): pushes the lead's deal and meetings to the client's CRM whenever
 * they change. Started with its first request (signalWithStart from a booking webhook); requests
 * that arrive while a sync runs are folded into one more sync. Idle for an hour it ends, and the
 * next change starts it again. CRM outages are retried by Temporal (about a day); the upserts find
 * before they create, so retries never duplicate.
 */
import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createCrmSyncActivities, CrmSyncResult } from '../activities/crm-sync.js';
import { activityProfiles } from './activity-profiles.js';
import { onLane } from './provider-lanes.js';
import { crmSyncProgressQuery, crmSyncSignal, type CrmSyncInput, type CrmSyncProgress } from './contracts.js';

type Acts = ReturnType<typeof createCrmSyncActivities>;
const acts = proxyActivities<Acts>(activityProfiles.crmSync);

const IDLE_MS = 60 * 60 * 1000;
const MAX_RUNS = 100;

export async function crmSyncWorkflow(input: CrmSyncInput): Promise<CrmSyncProgress> {
  if (input.version !== 1) throw new Error(`unsupported input version ${String(input.version)}`);
  let requested = 0;
  const progress: CrmSyncProgress = { leadId: input.leadId, runs: 0, requested: 0 };
  setHandler(crmSyncSignal, (r) => {
    requested++;
    progress.requested = requested;
    progress.lastReason = r.reason;
  });
  setHandler(crmSyncProgressQuery, () => progress);
  let done = 0;
  while (progress.runs < MAX_RUNS) {
    if (done === requested && !(await condition(() => requested > done, IDLE_MS))) return progress;
    done = requested;
    let result: CrmSyncResult | { status: 'failed'; reason: string };
    try {
      result = await onLane('crm', activityProfiles.crmSync, acts).syncCrm({
        version: 1,
        clientId: input.clientId,
        leadId: input.leadId,
        nowMs: Date.now(),
      });
    } catch (err) {
      // Retries spent (a CRM down for about a day): recorded; the next change tries again.
      result = { status: 'failed', reason: err instanceof Error ? err.message.slice(0, 300) : String(err) };
    }
    progress.runs++;
    progress.last = { at: new Date().toISOString(), ...result };
  }
  await continueAsNew<typeof crmSyncWorkflow>(input);
  return progress;
}
