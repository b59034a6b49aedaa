/**
 * churn-hold:{clientId} (RP-010): the subscription was deleted. Every sequence of the client is
 * paused at once; its resources are held 30 days (a durable timer) and then released to the
 * pool, cleaned. A reactivation inside the 30 days cancels the hold and resumes the sequences.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createProvisioningActivities } from '../activities/provisioning.js';
import { churnReleaseAt } from '../domain/churn.js';
import { activityProfiles } from './activity-profiles.js';
import { churnHoldProgressQuery, reactivateSignal, type ChurnHoldInput, type ChurnHoldProgress } from './contracts.js';

const acts = proxyActivities<ReturnType<typeof createProvisioningActivities>>(activityProfiles.lifecycle);

export async function churnHoldWorkflow(input: ChurnHoldInput): Promise<ChurnHoldProgress> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  // Never before 30 days after the cancellation, and never before this hold started.
  const cancelledMs = Math.max(Date.parse(input.cancelledAt), 0);
  const releaseAt = churnReleaseAt(Math.max(cancelledMs, Date.now()));
  const progress: ChurnHoldProgress = {
    clientId: input.clientId,
    state: 'pausing',
    cancelledAt: input.cancelledAt,
    releaseAt: releaseAt.toISOString(),
  };
  let reactivated = false;
  setHandler(churnHoldProgressQuery, () => progress);
  setHandler(reactivateSignal, () => {
    reactivated = true;
  });

  const { paused } = await acts.pauseClientSequences({ version: 1, clientId: input.clientId, releaseAt: progress.releaseAt });
  progress.sequencesPaused = paused;
  progress.state = 'holding';

  const holdMs = releaseAt.getTime() - Date.now();
  if (holdMs > 0) await condition(() => reactivated, holdMs);
  if (reactivated) {
    const { resumed } = await acts.resumeClientSequences({ version: 1, clientId: input.clientId });
    progress.sequencesResumed = resumed;
    progress.state = 'reactivated';
    return progress;
  }
  progress.state = 'releasing';
  const r = await acts.releaseClientResources({ version: 1, clientId: input.clientId, nowMs: Date.now() });
  progress.released = r.released;
  progress.state = 'released';
  return progress;
}
