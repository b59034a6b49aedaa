/**
 * onboarding:{campaignId} (SYS-001). Intake stage: imports the campaign's staged lead rows in
 * batches, idempotently (the activity inserts on a unique (campaign, row) key, so a retried or
 * replayed batch adds nothing twice), and reports progress through a query. Later stages
 * (enrichment, DNCR wash, scoring, sequence start) continue from the 'imported' state.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createOnboardingActivities } from '../activities/onboarding/intake.js';
import type { createEnrichmentActivities } from '../activities/onboarding/enrichment.js';
import type { createStartSequenceActivities } from '../activities/onboarding/start-sequences.js';
import type { createSignalActivities } from '../activities/onboarding/signals.js';
import { activityProfiles } from './activity-profiles.js';
import { onboardingProgressQuery, type OnboardingInput, type OnboardingProgress } from './contracts.js';

const { sourceLeads } = proxyActivities<ReturnType<typeof createOnboardingActivities>>(activityProfiles.sourcing);

const { importLeadBatch, setCampaignStatus } = proxyActivities<ReturnType<typeof createOnboardingActivities>>(activityProfiles.importBatch);

const enrich = proxyActivities<ReturnType<typeof createEnrichmentActivities> & ReturnType<typeof createStartSequenceActivities>>(
  activityProfiles.leadBatch,
);

const signals = proxyActivities<ReturnType<typeof createSignalActivities>>(activityProfiles.enrichment);

/** Rows per batch of the pipelined stages, and batches in flight at once (issue 11). */
const PIPELINE_BATCH = 250;
const PIPELINE_LANES = 4;

/** Rows 1..total in consecutive [from, to] batches of at most `size`. */
function rowBatches(total: number, size: number): [number, number][] {
  const batches: [number, number][] = [];
  for (let from = 1; from <= total; from += size) batches.push([from, Math.min(from + size - 1, total)]);
  return batches;
}

export async function onboardingWorkflow(initialInput: OnboardingInput): Promise<OnboardingProgress> {
  let input = initialInput;
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
  let leadTotal = input.leadTotal;
  if (input.source && !input.resume) {
    progress.stage = 'sourcing';
    const sourced = await sourceLeads({ version: 1, clientId, campaignId, limit: input.source.limit });
    progress.sourced = sourced.staged;
    progress.sourceSkipped = sourced.skipped;
    progress.total = leadTotal = sourced.staged;
    input = { ...input, leadTotal };
  }
  if (!input.resume) await setCampaignStatus({ version: 1, clientId, campaignId, status: 'importing' });
  progress.stage = 'importing';
  progress.updatedAt = now();

  let nextRow = input.resume?.nextRow ?? 1;
  while (nextRow <= input.leadTotal) {
    const toRow = Math.min(nextRow + input.batchSize - 1, input.leadTotal);
    const result = await importLeadBatch({
      version: 1,
      clientId,
      campaignId,
      fromRow: nextRow,
      toRow,
      defaultCountry: input.defaultCountry,
    });
    progress.imported = result.importedTotal;
    progress.invalidPhones += result.invalidPhones;
    progress.batchesDone += 1;
    progress.updatedAt = now();
    nextRow = toRow + 1;
    if (nextRow <= input.leadTotal && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof onboardingWorkflow>({ ...input, resume: { nextRow, progress } });
    }
  }

  if (!input.resume || input.resume.progress.stage === 'importing') {
    await setCampaignStatus({ version: 1, clientId, campaignId, status: 'imported' });
    progress.stage = 'imported';
    progress.updatedAt = now();
  }
  if (!patched('onboarding-enrich-score-start-v1')) return progress;

  // Enrichment (the score's signals, SYS-002; the zone, ED-002), DNCR wash (SM-002), scoring (SYS-002), then each lead's sequence.
  const batch = (fromRow: number, toRow: number) => ({ version: 1 as const, clientId, campaignId, fromRow, toRow });
  const withSignals = patched('onboarding-signal-enrichment-v1');
  const enrichBatch = async (from: number, to: number) => {
    // SYS-002: the score's signals from the providers first; a provider that stays unavailable is
    // recorded per lead and the batch is scored without its facts (never a failed onboarding).
    if (withSignals) {
      const tally = (progress.signals ??= { person: {}, email: {} });
      try {
        const s = await signals.enrichSignalsBatch(batch(from, to));
        for (const part of ['person', 'email'] as const)
          for (const [outcome, n] of Object.entries(s[part])) tally[part][outcome] = (tally[part][outcome] ?? 0) + n;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const reason = `enrichment unavailable: ${err.cause?.message ?? err.message}`;
        const r = await signals.recordSignalsUnavailable({ ...batch(from, to), reason });
        tally.person.unavailable = (tally.person.unavailable ?? 0) + r.person;
        tally.email.unavailable = (tally.email.unavailable ?? 0) + r.email;
      }
    }
    const r = await enrich.enrichAndScoreBatch(batch(from, to));
    progress.enriched! += r.enriched;
    for (const [tier, n] of Object.entries(r.byTier)) progress.scoredByTier![tier] = (progress.scoredByTier![tier] ?? 0) + n;
  };
  const washBatch = async (from: number, to: number) => {
    const r = await enrich.washBatch(batch(from, to));
    progress.washed! += r.washed;
    progress.washFailed! += r.failed;
  };
  const startBatch = async (from: number, to: number) => {
    const r = await enrich.startSequencesBatch(batch(from, to));
    progress.sequencesStarted! += r.started;
  };
  progress.enriched = 0;
  progress.scoredByTier = {};
  progress.washed = 0;
  progress.washFailed = 0;
  progress.sequencesStarted = 0;

  if (patched('onboarding-pipelined-batches')) {
    // Issue 11: each batch goes through every stage on its own, PIPELINE_LANES batches at a time,
    // so the first sequences start while later batches are still enriched (the providers' wait
    // and Temporal's starts overlap instead of adding up).
    const batches = rowBatches(input.leadTotal, Math.min(input.batchSize, PIPELINE_BATCH));
    const done = { enriched: 0, washed: 0 };
    const setStage = () => {
      progress.stage = done.enriched < batches.length ? 'enriching' : done.washed < batches.length ? 'washing' : 'starting_sequences';
      progress.updatedAt = now();
    };
    setStage();
    let next = 0;
    const lane = async () => {
      while (next < batches.length) {
        const [from, to] = batches[next++]!;
        await enrichBatch(from, to);
        done.enriched += 1;
        setStage();
        await washBatch(from, to);
        done.washed += 1;
        setStage();
        await startBatch(from, to);
        progress.updatedAt = now();
      }
    };
    await Promise.all(Array.from({ length: Math.min(PIPELINE_LANES, batches.length) }, lane));
  } else {
    const batches = rowBatches(input.leadTotal, input.batchSize);
    const stage = async (name: OnboardingProgress['stage'], run: (from: number, to: number) => Promise<void>) => {
      progress.stage = name;
      progress.updatedAt = now();
      for (const [from, to] of batches) {
        await run(from, to);
        progress.updatedAt = now();
      }
    };
    await stage('enriching', enrichBatch);
    await stage('washing', washBatch);
    await stage('starting_sequences', startBatch);
  }
  progress.stage = 'running';
  progress.updatedAt = now();
  await setCampaignStatus({ version: 1, clientId, campaignId, status: 'running' });
  return progress;
}
