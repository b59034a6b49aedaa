/**
 * outreach-prep-zones (SDK-002), run hourly by its Schedule (lib/schedules.ts): the
 * daily-outreach-prep schedules follow the clients. The zones in use are read and the per-zone
 * schedules made to match them, so a client in a zone no other client uses is prepared from the
 * next morning on, without waiting for a deploy (the sync at start-up does the same).
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createOutreachPrepActivities } from '../activities/outreach-prep.js';
import { activityProfiles } from './activity-profiles.js';

const acts = proxyActivities<ReturnType<typeof createOutreachPrepActivities>>(activityProfiles.monitor);

export async function outreachPrepZonesWorkflow(input: {
  version: 1;
}): Promise<{ zones: string[]; changes: { id: string; outcome: string }[] }> {
  if (input?.version !== 1) throw ApplicationFailure.nonRetryable('unsupported input', 'BadInput');
  return acts.syncOutreachPrepZones();
}
