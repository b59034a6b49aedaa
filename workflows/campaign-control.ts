/**
 * campaign-control:{campaignId} (SYS-007): a client paused, resumed or stopped a campaign; this
 * takes the campaign's status to every lead's sequence (lead:{leadId}): pause, resume or stop.
 *
 * The API writes the campaign's status first, then signal-with-starts this workflow with the
 * request. A pass reads the status (the latest request's, whatever order signals arrive in), then
 * pages through the campaign's lead sequences by source row (keyset, ~200 a page) and signals each
 * page from an activity; a sequence that has ended is counted, not an error. A request that
 * arrives during a pass starts a new pass from the first lead once the page in flight is done, so
 * the latest action wins and reaches every lead after the earlier one. The workflow ends when no
 * request is left (the next request starts a new run) and continues as new when its history grows
 * (10,000 leads are 50 pages).
 */
import { ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createCampaignControlActivities } from '../activities/campaign-control.js';
import { activityProfiles } from './activity-profiles.js';
import {
  campaignControlProgressQuery,
  campaignControlSignal,
  type CampaignControlInput,
  type CampaignControlPass,
  type CampaignControlProgress,
} from './contracts.js';

const acts = proxyActivities<ReturnType<typeof createCampaignControlActivities>>(activityProfiles.campaignControl);

/** Lead sequences per page. */
const PAGE_SIZE = 200;

/** How long a run started without its request waits for it (signal-with-start always brings one). */
const FIRST_REQUEST_WAIT = '1 minute';

export async function campaignControlWorkflow(input: CampaignControlInput): Promise<CampaignControlProgress> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const { clientId, campaignId } = input;
  const ref = { version: 1 as const, clientId, campaignId };
  const pageSize = input.pageSize ?? PAGE_SIZE;
  const progress: CampaignControlProgress = {
    campaignId,
    state: 'applying',
    requests: input.resume?.requests ?? 0,
    passes: input.resume?.passes ?? 0,
    ...(input.resume ? { pass: input.resume.pass } : {}),
  };
  /** Requests the pass under way (or the last one) covers: a newer one starts a new pass. */
  let covered = progress.requests;
  setHandler(campaignControlProgressQuery, () => progress);
  setHandler(campaignControlSignal, (request) => {
    progress.requests++;
    progress.last = request;
  });
  if (!input.resume && progress.requests === 0) await condition(() => progress.requests > 0, FIRST_REQUEST_WAIT);

  let pass: CampaignControlPass | undefined = input.resume?.pass;
  for (;;) {
    if (!pass) {
      if (covered === progress.requests) break;
      covered = progress.requests;
      const { action } = await acts.campaignControlAction(ref);
      if (!action) break; // the campaign is gone: nothing to reach
      const last = progress.last;
      const reason = last?.action === action ? last.reason : undefined;
      pass = { action, ...(reason ? { reason } : {}), afterRow: 0, pages: 0, signalled: 0, finished: 0 };
      progress.pass = pass;
      progress.passes++;
    }
    const page = await acts.campaignSequencePage({ ...ref, afterRow: pass.afterRow, limit: pageSize });
    if (page.workflowIds.length) {
      const sent = await acts.signalCampaignSequences({
        version: 1,
        action: pass.action,
        ...(pass.reason ? { reason: pass.reason } : {}),
        workflowIds: page.workflowIds,
      });
      pass.signalled += sent.signalled;
      pass.finished += sent.finished;
      pass.pages++;
      pass.afterRow = page.lastRow;
    }
    // The last page, or a newer request (then a new pass from the first lead: the latest action wins).
    if (page.workflowIds.length < pageSize || covered !== progress.requests) pass = undefined;
    // Mid-pass (no newer request), with a long history: the next run goes on from this cursor.
    if (pass && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof campaignControlWorkflow>({
        ...input,
        resume: { pass, passes: progress.passes, requests: progress.requests },
      });
    }
  }
  progress.state = 'done';
  return progress;
}
