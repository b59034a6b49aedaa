/**
 * The LinkedIn branch of a lead's sequence (LI-002, LI-003), beside the main steps: the connection
 * request is pending until accepted (a webhook signal), ignored after 14 days, withdrawn after 30
 * (at Unipile, then on the invitation row and its touch); two days after an acceptance one
 * message goes out in its window (a later one when the person was already contacted that day or
 * the seat is full), unless the re-check just before it says no (the lead's tier fell, a stop).
 */
import { condition, patched } from '@temporalio/workflow';
import type { createLeadSequenceActivities } from '../activities/lead-sequence/index.js';
import { outcome } from './business-failures.js';
import { activityProfiles } from './activity-profiles.js';
import { onLane } from './provider-lanes.js';
import { attemptStep, shortHistory } from './lead-sequence-step.js';
import type { LeadProgress, StepProgress } from './contracts.js';

type Acts = ReturnType<typeof createLeadSequenceActivities>;

export interface LinkedInBranch {
  acts: Acts;
  /** The same activities run locally (short database work). */
  local: Acts;
  clientId: string;
  leadId: string;
  campaignId: string;
  workflowId: string;
  timing: { ignoreAfterMs: number; withdrawAfterMs: number; messageAfterMs: number };
  progress: LeadProgress;
  sleepUntil(atMs: number): Promise<'due' | 'stopped' | 'late'>;
}

/** LI-002/LI-003: pending -> accepted | ignored (14 d) | withdrawn (30 d); message 2 days after acceptance. */
export async function linkedinFollowUp(b: LinkedInBranch, acceptedAtOf: () => string | undefined, sentMs: number): Promise<void> {
  const { acts, clientId, leadId, progress, sleepUntil } = b;
  const t = b.timing;
  progress.linkedin = { state: 'pending', sentAt: new Date(sentMs).toISOString() };
  const accepted = await condition(() => Boolean(acceptedAtOf()) || Boolean(progress.stopReason), t.ignoreAfterMs);
  if (progress.stopReason) return;
  if (!accepted) {
    progress.linkedin.state = 'ignored';
    const ignored = { version: 1 as const, clientId, leadId, state: 'ignored' as const };
    await (shortHistory() ? b.local.setLinkedInState(ignored) : acts.setLinkedInState(ignored));
    const late = await condition(() => Boolean(acceptedAtOf()) || Boolean(progress.stopReason), t.withdrawAfterMs - t.ignoreAfterMs);
    if (progress.stopReason) return;
    if (!late) {
      if (patched('linkedin-withdraw-at-unipile')) {
        // Withdrawn at Unipile, then on the invitation row and the touch (idempotent: a retry after success does nothing).
        const unipile = onLane('linkedin', activityProfiles.step, acts);
        const w = await outcome(unipile.withdrawLinkedInInvitation({ version: 1, clientId, leadId, nowMs: Date.now() }));
        if ('businessFailure' in w) progress.linkedin.withdrawRefused = w.businessFailure;
        else if (w.refused) progress.linkedin.withdrawRefused = w.refused;
        else [progress.linkedin.state, progress.linkedin.withdrawnAt] = ['withdrawn', w.withdrawnAt];
        return;
      }
      progress.linkedin.state = 'withdrawn';
      await acts.setLinkedInState({ version: 1, clientId, leadId, state: 'withdrawn' });
      return;
    }
  }
  progress.linkedin.state = 'accepted';
  const acceptedAt = acceptedAtOf();
  progress.linkedin.acceptedAt = acceptedAt;
  const messageAfter = { earliestMs: Date.parse(acceptedAt!) + t.messageAfterMs, seed: `${leadId}:li-message` };
  let messageAtMs: number;
  if (shortHistory()) {
    // The state and the message's planned time in one local activity.
    const r = await b.local.setLinkedInState({ version: 1, clientId, leadId, state: 'accepted', at: acceptedAt, messageAfter });
    messageAtMs =
      r?.messageAtMs ?? (await acts.nextStepTime({ version: 1, clientId, leadId, kind: 'linkedin_message', ...messageAfter })).atMs;
    return messageWithRecheck(b, messageAtMs);
  }
  await acts.setLinkedInState({ version: 1, clientId, leadId, state: 'accepted', at: acceptedAt });
  const { atMs } = await acts.nextStepTime({ version: 1, clientId, leadId, kind: 'linkedin_message', ...messageAfter });
  messageAtMs = atMs;
  for (let later = 1; ; later++) {
    progress.linkedin.messageAt = new Date(messageAtMs).toISOString();
    if ((await sleepUntil(messageAtMs)) === 'stopped') return;
    // LI-005: the tier (and every stop condition) is checked again just before the message.
    const check = await outcome(acts.precheckStep({ version: 1, clientId, leadId, kind: 'linkedin_message', nowMs: Date.now() }));
    if ('businessFailure' in check || check.action !== 'send') {
      progress.linkedin.messageSkipReason =
        'businessFailure' in check ? check.businessFailure : 'reason' in check ? check.reason : check.action;
      return;
    }
    const sent = await outcome(
      acts.sendStep({
        version: 1,
        clientId,
        leadId,
        campaignId: b.campaignId,
        step: 0,
        kind: 'linkedin_message',
        idempotencyKey: `${b.workflowId}:linkedin-message`,
        plannedAt: progress.linkedin.messageAt,
        nowMs: Date.now(),
      }),
    );
    if ('businessFailure' in sent) {
      progress.linkedin.messageSkipReason = sent.businessFailure;
      return;
    }
    if (sent.status === 'sent') progress.linkedin.messagedAt = new Date().toISOString();
    if (sent.status === 'skipped' || sent.status === 'failed') progress.linkedin.messageSkipReason = sent.reason;
    // Not today (the person was contacted today, the seat is full): a later window, never lost.
    if ((sent.status === 'no_capacity' || sent.status === 'retry_later') && patched('linkedin-message-waits-for-capacity')) {
      const again = await acts.nextStepTime({
        version: 1,
        clientId,
        leadId,
        kind: 'linkedin_message',
        earliestMs: sent.notBeforeMs,
        seed: `${leadId}:li-message:${later}`,
      });
      messageAtMs = again.atMs;
      continue;
    }
    return;
  }
}

/**
 * LI-003, LI-005: the message after an acceptance, re-checked and sent in one activity; a day with
 * no capacity (the person was contacted that day, the seat is full) moves it to a later window.
 */
async function messageWithRecheck(b: LinkedInBranch, firstAtMs: number): Promise<void> {
  const { acts, clientId, leadId, progress, sleepUntil } = b;
  const li = progress.linkedin!;
  const message: StepProgress = { step: 0, day: 0, kind: 'linkedin_connect', channel: 'linkedin', status: 'planned', attempts: 0 };
  let atMs = firstAtMs;
  for (let later = 1; ; later++) {
    li.messageAt = new Date(atMs).toISOString();
    if ((await sleepUntil(atMs)) === 'stopped') return;
    const input = { version: 1 as const, clientId, leadId, campaignId: b.campaignId, step: 0, kind: 'linkedin_message' as const };
    const againSeed = `${leadId}:li-message:${later}`;
    const { attempt, againAtMs } = await attemptStep(
      acts,
      message,
      { ...input, plannedAt: li.messageAt, nowMs: Date.now(), againSeed },
      () => `${b.workflowId}:linkedin-message`,
    );
    if (attempt.action !== 'sent') {
      li.messageSkipReason = 'reason' in attempt ? attempt.reason : attempt.action;
      return;
    }
    const { sent } = attempt;
    if (sent.status === 'sent') li.messagedAt = new Date().toISOString();
    if (sent.status === 'skipped' || sent.status === 'failed') li.messageSkipReason = sent.reason;
    if (sent.status !== 'no_capacity' && sent.status !== 'retry_later') return;
    atMs =
      againAtMs ??
      (await acts.nextStepTime({ version: 1, clientId, leadId, kind: 'linkedin_message', earliestMs: sent.notBeforeMs, seed: againSeed }))
        .atMs;
  }
}
