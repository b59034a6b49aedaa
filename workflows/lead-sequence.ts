/**
 * lead:{leadId}: one lead's generated 5-step sequence (AD-001), worked until it ends, or until a
 * reply, an opt-out or a booked meeting stops it.
 *
 * The workflow holds the process only: durable waits until each step's day and the next open
 * window in the recipient's zone (computed by an activity: zone data stays out of workflow code),
 * re-checks before every step (AD-004 gating, opt-out, suppression, DNCR freshness), the call
 * retry loop (VO-002, VO-006) and the LinkedIn connection branch (LI-002, LI-003), which runs
 * beside the main steps. Every send goes through an activity that reserves a unique touch row
 * keyed by the idempotency key made here, so a step is never sent twice.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { outcome } from './business-failures.js';
import { linkedinFollowUp } from './lead-sequence-linkedin.js';
import type { createLeadSequenceActivities } from '../activities/lead-sequence/index.js';
import { activityProfiles } from './activity-profiles.js';
import {
  bouncedSignal,
  callEndedSignal,
  leadProgressQuery,
  linkedinAcceptedSignal,
  meetingBookedSignal,
  optedOutSignal,
  pauseSignal,
  replyReceivedSignal,
  resumeSignal,
  type CallEnded,
  type LeadProgress,
  type LeadSequenceInput,
  type StepProgress,
} from './contracts.js';

type Acts = ReturnType<typeof createLeadSequenceActivities>;

const acts = proxyActivities<Acts>(activityProfiles.step);

/** The provider's own record of a call: asked until it has ended (bounded), then given up as failed. */
const callReports = proxyActivities<Acts>(activityProfiles.callReport);

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long to wait for the end-of-call webhook before asking the provider. */
const CALL_REPORT_WAIT_MS = 30 * 60 * 1000;

export async function leadSequenceWorkflow(input: LeadSequenceInput): Promise<LeadProgress> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const { leadId, clientId } = input;
  const wfId = workflowInfo().workflowId;
  const progress: LeadProgress = { leadId, state: 'starting', steps: [] };
  const seen = new Set<string>();
  let paused = false;
  let hardBounced = false;
  let acceptedAt: string | undefined;
  const callReportsSeen = new Map<string, CallEnded>();
  const once = (eventId: string) => {
    if (seen.has(eventId)) return false;
    seen.add(eventId);
    return true;
  };
  const stop = (reason: NonNullable<LeadProgress['stopReason']>) => {
    if (progress.stopReason) return;
    progress.stopReason = reason;
    progress.state = 'stopped';
  };

  setHandler(leadProgressQuery, () => progress);
  setHandler(replyReceivedSignal, (e) => void (once(e.eventId) && stop('replied')));
  setHandler(optedOutSignal, (e) => void (once(e.eventId) && stop('opted_out')));
  setHandler(meetingBookedSignal, (e) => void (once(e.eventId) && stop('meeting_booked')));
  setHandler(bouncedSignal, (e) => {
    if (once(e.eventId) && e.hard) hardBounced = true;
  });
  setHandler(linkedinAcceptedSignal, (e) => {
    if (once(e.eventId)) acceptedAt ??= e.at;
  });
  setHandler(callEndedSignal, (e) => {
    if (once(e.eventId)) callReportsSeen.set(e.callId, e);
  });
  setHandler(pauseSignal, () => {
    paused = true;
    if (!progress.stopReason) progress.state = 'paused';
  });
  setHandler(resumeSignal, () => {
    paused = false;
    if (!progress.stopReason) progress.state = 'running';
  });

  const startMs = input.startAt ? Date.parse(input.startAt) : Date.now();
  progress.startedAt = new Date(startMs).toISOString();
  const plan = await acts.prepareLeadSequence({ version: 1, clientId, leadId, workflowId: wfId, nowMs: Date.now() });
  progress.tier = plan.tier;
  progress.zone = plan.zone;
  progress.steps = plan.steps.map((s) => ({ ...s, attempts: 0 }));
  if (plan.stopReason) stop(plan.stopReason);
  if (progress.state === 'starting') progress.state = paused ? 'paused' : 'running';

  /**
   * Sleeps until `atMs` (workflow time). 'stopped' when the sequence stopped meanwhile; 'late' when
   * a pause outlasted `atMs` (the window may have closed: the caller plans the step again).
   */
  async function sleepUntil(atMs: number): Promise<'due' | 'stopped' | 'late'> {
    for (;;) {
      const waitMs = atMs - Date.now();
      if (waitMs > 0) await condition(() => Boolean(progress.stopReason) || paused, waitMs);
      if (progress.stopReason) return 'stopped';
      if (paused) {
        await condition(() => Boolean(progress.stopReason) || !paused);
        if (progress.stopReason) return 'stopped';
        if (Date.now() >= atMs) return 'late';
        continue;
      }
      if (Date.now() >= atMs) return 'due';
    }
  }

  const key = (s: StepProgress, extra = '') => `${wfId}:step-${s.step}:attempt-${s.attempts}${extra}`;
  const linkedinBranches: Promise<void>[] = [];

  for (const s of progress.steps) {
    if (s.status !== 'planned') continue;
    if (progress.stopReason) break;
    let earliest = startMs + s.day * DAY_MS;
    for (;;) {
      const next = await outcome(
        acts.nextStepTime({
          version: 1,
          clientId,
          leadId,
          kind: s.kind,
          earliestMs: Math.max(earliest, Date.now()),
          seed: `${leadId}:${s.step}:${s.attempts}`,
        }),
      );
      if ('businessFailure' in next) {
        s.status = 'skipped';
        s.skipReason = next.businessFailure;
        break;
      }
      const { atMs } = next;
      s.status = 'waiting';
      s.plannedAt = new Date(atMs).toISOString();
      progress.next = { step: s.step, kind: s.kind, plannedAt: s.plannedAt };
      const woke = await sleepUntil(atMs);
      if (woke === 'stopped') break;
      if (woke === 'late') {
        earliest = Date.now();
        continue;
      }

      if (s.channel === 'email' && hardBounced) {
        s.status = 'skipped';
        s.skipReason = 'hard_bounced';
        break;
      }
      const check = await outcome(acts.precheckStep({ version: 1, clientId, leadId, kind: s.kind, nowMs: Date.now() }));
      if ('businessFailure' in check) {
        s.status = 'skipped';
        s.skipReason = check.businessFailure;
        break;
      }
      if (check.action === 'stop') {
        stop(check.reason);
        break;
      }
      if (check.action === 'skip') {
        s.status = 'skipped';
        s.skipReason = check.reason;
        break;
      }
      if (check.action === 'reschedule') {
        earliest = check.notBeforeMs;
        continue;
      }

      s.status = 'sending';
      s.attempts += 1;
      const sent = await outcome(
        acts.sendStep({
          version: 1,
          clientId,
          leadId,
          campaignId: input.campaignId,
          step: s.step,
          kind: s.kind,
          idempotencyKey: key(s),
          plannedAt: s.plannedAt,
          nowMs: Date.now(),
        }),
      );
      if ('businessFailure' in sent) {
        s.status = 'skipped';
        s.skipReason = sent.businessFailure;
        break;
      }
      if (sent.status === 'skipped') {
        s.status = 'skipped';
        s.skipReason = sent.reason;
        break;
      }
      if (sent.status === 'failed') {
        s.status = 'failed';
        s.outcome = sent.reason;
        s.doneAt = new Date().toISOString();
        break;
      }
      if (sent.status !== 'sent') {
        // No capacity today (mailbox, number or seat cap): the step moves to a later window.
        s.status = 'planned';
        s.attempts -= 1;
        s.outcome = sent.reason;
        earliest = sent.notBeforeMs;
        continue;
      }
      s.outcome = sent.outcome;
      s.doneAt = new Date().toISOString();

      if (s.kind === 'voice' && sent.callId) {
        // VO-002/VO-006: wait for the end-of-call webhook (or ask the provider), then decide.
        const callId = sent.callId;
        await condition(() => callReportsSeen.has(callId) || Boolean(progress.stopReason), CALL_REPORT_WAIT_MS);
        const report: CallEnded =
          callReportsSeen.get(callId) ??
          (await callReports.fetchCallReport({ version: 1, callId }).catch(() => ({
            eventId: `unknown:${callId}`,
            at: new Date().toISOString(),
            callId,
            outcome: 'failed' as const,
            endedReason: 'no_report_from_provider',
          })));
        const decision = await acts.recordCallOutcome({
          version: 1,
          clientId,
          leadId,
          idempotencyKey: key(s),
          report,
        });
        s.outcome = report.outcome;
        if (decision.retry) {
          s.status = 'planned';
          earliest = decision.notBeforeMs;
          continue;
        }
        s.status = report.outcome === 'failed' ? 'failed' : 'sent';
        break;
      }

      s.status = 'sent';
      if (s.kind === 'linkedin_connect' && sent.status === 'sent') {
        linkedinBranches.push(
          linkedinFollowUp(
            { acts, clientId, leadId, campaignId: input.campaignId, workflowId: wfId, timing: plan.linkedin, progress, sleepUntil },
            () => acceptedAt,
            Date.now(),
          ),
        );
      }
      break;
    }
    if (progress.stopReason) break;
  }
  progress.next = undefined;

  await Promise.all(linkedinBranches);
  if (!progress.stopReason) progress.state = 'completed';
  await outcome(acts.finishLeadSequence({ version: 1, clientId, leadId, state: progress.state, stopReason: progress.stopReason }));
  return progress;
}
