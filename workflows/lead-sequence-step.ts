/**
 * One attempt at a due step of lead:{leadId}: the re-check just before it, then the send. Since
 * the patch 'lead-sequence-short-history' (issue 11: a lead's history stays short, so a replay
 * after a cache miss is cheap) both run in one activity (runStep), which also returns the next
 * planned time; histories recorded before run them as two activities.
 */
import { patched } from '@temporalio/workflow';
import type { createLeadSequenceActivities } from '../activities/lead-sequence/index.js';
import type { RunStepInput, SendResult } from '../activities/lead-sequence/types.js';
import type { GuardStopReason } from '../domain/compliance.js';
import { outcome } from './business-failures.js';
import { activityProfiles } from './activity-profiles.js';
import { onLane } from './provider-lanes.js';
import { laneOfStep } from '../domain/provider-lanes.js';
import type { StepProgress } from './contracts.js';

type Acts = ReturnType<typeof createLeadSequenceActivities>;

/** Fewer round trips per lead: the plan with its first time, one activity per step, local activities for short writes. */
export const shortHistory = () => patched('lead-sequence-short-history');

export type StepAttempt =
  | { action: 'skip'; reason: string }
  | { action: 'stop'; reason: GuardStopReason }
  | { action: 'reschedule'; notBeforeMs: number }
  | { action: 'sent'; sent: SendResult };

/**
 * Runs the re-check and the send of step `s` (its status and attempts updated as the send starts);
 * `input` without the idempotency key, which `key` makes from the attempt number.
 */
export async function attemptStep(
  acts: Acts,
  s: StepProgress,
  input: Omit<RunStepInput, 'idempotencyKey'>,
  key: (s: StepProgress) => string,
): Promise<{ attempt: StepAttempt; nextAtMs?: number; againAtMs?: number }> {
  if (shortHistory()) {
    s.status = 'sending';
    s.attempts += 1;
    // The send runs on its channel's provider lane, at that provider's rate (domain/provider-lanes.ts).
    const lane = onLane(laneOfStep(input.kind), activityProfiles.step, acts);
    const r = await outcome(lane.runStep({ ...input, idempotencyKey: key(s) }));
    if ('businessFailure' in r) return { attempt: { action: 'skip', reason: r.businessFailure } };
    if ('check' in r) {
      s.attempts -= 1;
      return { attempt: r.check, nextAtMs: r.nextAtMs, againAtMs: r.againAtMs };
    }
    return { attempt: { action: 'sent', sent: r.sent }, nextAtMs: r.nextAtMs, againAtMs: r.againAtMs };
  }
  const { clientId, leadId, kind, nowMs } = input;
  const check = await outcome(acts.precheckStep({ version: 1, clientId, leadId, kind, nowMs }));
  if ('businessFailure' in check) return { attempt: { action: 'skip', reason: check.businessFailure } };
  if (check.action !== 'send') return { attempt: check };
  s.status = 'sending';
  s.attempts += 1;
  const { next: _next, againSeed: _again, ...send } = input;
  const sent = await outcome(acts.sendStep({ ...send, idempotencyKey: key(s), nowMs: Date.now() }));
  if ('businessFailure' in sent) return { attempt: { action: 'skip', reason: sent.businessFailure } };
  return { attempt: { action: 'sent', sent } };
}
