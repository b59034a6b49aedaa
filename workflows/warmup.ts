/**
 * warmup:{domainId} (ED-001, RP-006): once a day, the ramp's limit for the domain's age is written
 * to its mailboxes (the limit every send takes, domain/warmup.ts) and the Warmforge heat score is
 * read; at 85 the domain is ready. The workflow ends once the domain is ready and the ramp has
 * reached its last step. continueAsNew every week keeps the history small over a 3-4 week warmup.
 */
import { ApplicationFailure, continueAsNew, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { createPoolActivities } from '../activities/pool/index.js';
import { activityProfiles } from './activity-profiles.js';
import { warmupProgressQuery, type WarmupDay, type WarmupInput, type WarmupProgress } from './contracts.js';

const { warmupTick } = proxyActivities<ReturnType<typeof createPoolActivities>>(activityProfiles.warmupTick);

/** Days per run before continueAsNew. */
const DAYS_PER_RUN = 7;
const KEEP_DAYS = 30;
/** Patch: the ticks go on after ready until the ramp is complete. */
const RAMP_AFTER_READY = 'warmup-ramp-continues-after-ready';

export async function warmupWorkflow(input: WarmupInput): Promise<WarmupProgress> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const progress: WarmupProgress = { domainId: input.domainId, state: 'warming', days: [...(input.log ?? [])] };
  setHandler(warmupProgressQuery, () => progress);

  for (let i = 0; ; i++) {
    const t = await warmupTick({ version: 1, domainId: input.domainId, nowMs: Date.now() });
    const entry: WarmupDay = { day: t.day, limit: t.limit, heatScore: t.heatScore, at: new Date().toISOString() };
    progress.days = [...progress.days, entry].slice(-KEEP_DAYS);
    if (t.state !== 'warming') {
      progress.state = t.state;
      // ED-001: a domain ready before its ramp's last step (day 22) keeps getting the ramp's limit
      // daily until then; histories from before this rule ended at ready.
      if (t.state === 'stopped' || t.rampComplete !== false || !patched(RAMP_AFTER_READY)) return progress;
    }
    if (i + 1 >= DAYS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await sleep('1 day');
      return continueAsNew<typeof warmupWorkflow>({ version: 1, domainId: input.domainId, log: progress.days });
    }
    await sleep('1 day');
  }
}
