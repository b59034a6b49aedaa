/**
 * The provider lanes seen from workflow code (domain/provider-lanes.ts): the activities that call
 * a rate-limited provider are scheduled on the lane's task queue (the workflow's own queue, a dot,
 * the lane), where the lane's workers take them at the lane's rate (lib/worker-group.ts).
 * Histories recorded before the patch 'provider-lanes' scheduled them on the workflow's queue and
 * replay so.
 */
import { patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import { laneTaskQueue, type ProviderLane } from '../domain/provider-lanes.js';

/** The activities `A` as scheduled on `lane`, with `profile`'s options; `onMain` where the history predates the lanes. */
export function onLane<A extends object>(lane: ProviderLane, profile: ActivityOptions, onMain: A): A {
  if (!patched('provider-lanes')) return onMain;
  return proxyActivities<A>({ ...profile, taskQueue: laneTaskQueue(workflowInfo().taskQueue, lane) }) as A;
}
