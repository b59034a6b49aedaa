/**
 * Recording retention (VO-003), run daily by the `recording-retention` Schedule
 * (lib/schedules.ts): every call recording older than 90 days is deleted at the provider and its
 * reference cleared, one keyset page per activity (activities/recording-retention.ts) until none
 * is left. Continues as new when its history grows.
 */
import { ApplicationFailure, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createRecordingRetentionActivities } from '../activities/recording-retention.js';
import { activityProfiles } from './activity-profiles.js';

const acts = proxyActivities<ReturnType<typeof createRecordingRetentionActivities>>(activityProfiles.monitor);

export interface RecordingRetentionInputV1 {
  version: 1;
  resume?: { afterId: string; nowMs: number; totals: RecordingRetentionResult };
}

export interface RecordingRetentionResult {
  deleted: number;
  alreadyGone: number;
  cleared: number;
}

export async function recordingRetentionWorkflow(input: RecordingRetentionInputV1 = { version: 1 }): Promise<RecordingRetentionResult> {
  if (input?.version !== 1) throw ApplicationFailure.nonRetryable('unsupported input version', 'BadInput');
  // One cutoff for the whole run (its start).
  const nowMs = input.resume?.nowMs ?? Date.now();
  const totals = input.resume?.totals ?? { deleted: 0, alreadyGone: 0, cleared: 0 };
  let afterId: string | null = input.resume?.afterId ?? null;
  for (;;) {
    const page = await acts.deleteExpiredRecordings({ version: 1, afterId, nowMs });
    totals.deleted += page.deleted;
    totals.alreadyGone += page.alreadyGone;
    totals.cleared += page.cleared;
    afterId = page.nextAfterId;
    if (!afterId) return totals;
    if (workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof recordingRetentionWorkflow>({ version: 1, resume: { afterId, nowMs, totals } });
  }
}
