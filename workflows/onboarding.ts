/**
 * onboarding:{campaignId} (SYS-001). Intake stage: imports the campaign's staged lead rows in
 * batches, idempotently (the activity inserts on a unique (campaign, row) key, so a retried or
 * replayed batch adds nothing twice), and reports progress through a query. Later stages
 * (enrichment, DNCR wash, scoring, sequence start) continue from the 'imported' state.
 */
import { ApplicationFailure, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createOnboardingActivities } from '../activities/onboarding.js';
import { onboardingProgressQuery, type OnboardingInput, type OnboardingProgress } from './contracts.js';

const { importLeadBatch, setCampaignStatus } = proxyActivities<ReturnType<typeof createOnboardingActivities>>({
  // A 500-row batch takes well under a second; a worker that dies mid-batch is noticed fast.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

export async function onboardingWorkflow(input: OnboardingInput): Promise<OnboardingProgress> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const now = () => new Date().toISOString(); // workflow time: deterministic under replay
  const progress: OnboardingProgress = input.resume?.progress ?? {
    stage: 'queued',
    total: input.leadTotal,
    imported: 0,
    invalidPhones: 0,
    batchesDone: 0,
    startedAt: now(),
    updatedAt: now(),
  };
  setHandler(onboardingProgressQuery, () => progress);

  const { clientId, campaignId } = input;
  if (!input.resume) await setCampaignStatus({ version: 1, clientId, campaignId, status: 'importing' });
  progress.stage = 'importing';
  progress.updatedAt = now();

  let nextRow = input.resume?.nextRow ?? 1;
  while (nextRow <= input.leadTotal) {
    const toRow = Math.min(nextRow + input.batchSize - 1, input.leadTotal);
    const result = await importLeadBatch({ version: 1, clientId, campaignId, fromRow: nextRow, toRow, defaultCountry: input.defaultCountry });
    progress.imported = result.importedTotal;
    progress.invalidPhones += result.invalidPhones;
    progress.batchesDone += 1;
    progress.updatedAt = now();
    nextRow = toRow + 1;
    if (nextRow <= input.leadTotal && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof onboardingWorkflow>({ ...input, resume: { nextRow, progress } });
    }
  }

  await setCampaignStatus({ version: 1, clientId, campaignId, status: 'imported' });
  progress.stage = 'imported';
  progress.updatedAt = now();
  return progress;
}
