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
import { ApplicationFailure, condition, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { outcome } from './business-failures.js';
import { linkedinFollowUp } from './lead-sequence-linkedin.js';
import { attemptStep, shortHistory } from './lead-sequence-step.js';
import { createSequenceGate } from './lead-sequence-gate.js';
import type { Indexing } from './search-attributes.js';
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
  replyHandledSignal,
  replyReceivedSignal,
  resumeSignal,
  stopSignal,
  type CallEnded,
  type LeadProgress,
  type LeadPlan,
  type LeadSequenceInput,
  type StepProgress,
} from './contracts.js';

type Acts = ReturnType<typeof createLeadSequenceActivities>;

const acts = proxyActivities<Acts>(activityProfiles.step);

/** Short database work of the sequence's own (planning, its end, the LinkedIn state): one marker in the history each. */
const local = proxyLocalActivities<Acts>(activityProfiles.localStep);

/** The provider's own record of a call: asked until it has ended (bounded), then given up as failed. */
const callReports = proxyActivities<Acts>(activityProfiles.callReport);

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long to wait for the end-of-call webhook before asking the provider. */
const CALL_REPORT_WAIT_MS = 30 * 60 * 1000;

/** The sequence itself; `leadSequenceWorkflow` (lead-sequence-workflow.ts) runs it with its search attributes kept current. */
export async function leadSequence(input: LeadSequenceInput, progress: LeadProgress, ix: Indexing): Promise<LeadProgress> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const { leadId, clientId } = input;
  const wfId = workflowInfo().workflowId;
  const seen = new Set<string>();
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
    ix.index.update();
  };

  setHandler(leadProgressQuery, () => progress);
  // A reply's conversation (conversation:{leadId}) decides what becomes of the sequence: stop,
  // hold, hold until a return date, or go on (lead-sequence-gate.ts). replyReceived, which nothing
  // sends any more, stops it as it always did (older histories have it).
  const gate = createSequenceGate(progress);
  ix.gated(gate);
  setHandler(replyReceivedSignal, (e) => void (once(e.eventId) && stop('replied')));
  setHandler(replyHandledSignal, (e) => {
    if (!once(e.eventId)) return;
    if (e.decision === 'stop') return stop('replied');
    gate.decided(e);
    ix.index.update();
  });
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
    gate.pause();
    ix.index.update();
  });
  setHandler(resumeSignal, () => {
    gate.resume();
    ix.index.update();
  });
  // SYS-007: its campaign was stopped: the sequence ends like any other stop (older histories never had it).
  setHandler(stopSignal, (e) => stop(e?.reason ?? 'campaign_stopped'));
  // SYS-007: started while its campaign is paused: nothing is sent before a resume.
  if (input.paused) gate.pause();

  const startMs = input.startAt ? Date.parse(input.startAt) : Date.now();
  progress.startedAt = new Date(startMs).toISOString();
  // Planned by the starter (the onboarding batch, issue 11): no planning round trip. Older inputs
  // carry no plan, so their histories take the same branch as before.
  const prepare = { version: 1 as const, clientId, leadId, workflowId: wfId, nowMs: Date.now() };
  const plan: LeadPlan & { firstStepAtMs?: number } =
    input.plan ?? (shortHistory() ? await local.prepareLeadSequence({ ...prepare, startMs }) : await acts.prepareLeadSequence(prepare));
  progress.tier = plan.tier;
  progress.zone = plan.zone;
  progress.steps = plan.steps.map((s) => ({ ...s, attempts: 0 }));
  if (plan.stopReason) stop(plan.stopReason);
  if (progress.state === 'starting') progress.state = gate.blocked() ? 'paused' : 'running';
  ix.index.update();

  const sleepUntil = gate.sleepUntil;

  const key = (s: StepProgress, extra = '') => `${wfId}:step-${s.step}:attempt-${s.attempts}${extra}`;
  const linkedinBranches: Promise<void>[] = [];
  // A step's time already planned with the plan or by the step before (issue 11: no round trip of its own).
  // The planner's time for the first step is used as given (a moment of the planner's past is due at
  // once); a time planned from `fromMs` only while that is not past (then it is what planning now gives).
  let known: { step: number; atMs: number; fromMs?: number } | undefined;
  const first = plan.stopReason ? undefined : progress.steps.find((s) => s.status === 'planned');
  const firstAtMs = input.plan ? input.firstStepAtMs : plan.firstStepAtMs;
  if (first && firstAtMs !== undefined) known = { step: first.step, atMs: firstAtMs };
  /** The next planned step after `s`, to plan together with its send. */
  const nextOf = (s: StepProgress, nowMs: number) => {
    const n = progress.steps.find((x) => x.step > s.step && x.status === 'planned');
    return (
      n && {
        kind: n.kind,
        earliestMs: Math.max(startMs + n.day * DAY_MS, nowMs),
        seed: `${leadId}:${n.step}:${n.attempts}`,
        step: n.step,
        day: n.day,
      }
    );
  };

  for (const s of progress.steps) {
    if (s.status !== 'planned') continue;
    if (progress.stopReason) break;
    let earliest = startMs + s.day * DAY_MS;
    for (;;) {
      // Planned by the step before from this step's day, which is not yet past: the same time as planning it now.
      const planned = known?.step === s.step && (known.fromMs === undefined || known.fromMs >= Date.now());
      const next = planned
        ? { atMs: known!.atMs }
        : await outcome(
            acts.nextStepTime({
              version: 1,
              clientId,
              leadId,
              kind: s.kind,
              earliestMs: Math.max(earliest, Date.now()),
              seed: `${leadId}:${s.step}:${s.attempts}`,
            }),
          );
      known = undefined;
      if ('businessFailure' in next) {
        s.status = 'skipped';
        s.skipReason = next.businessFailure;
        break;
      }
      const { atMs } = next;
      s.status = 'waiting';
      s.plannedAt = new Date(atMs).toISOString();
      progress.next = { step: s.step, kind: s.kind, plannedAt: s.plannedAt };
      ix.waiting(true);
      const woke = await sleepUntil(atMs);
      ix.waiting(false);
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
      const nowMs = Date.now();
      const after = nextOf(s, nowMs);
      const { campaignId } = input;
      const againSeed = `${leadId}:${s.step}:${s.attempts}`;
      const step = { version: 1 as const, clientId, leadId, campaignId, step: s.step, kind: s.kind, plannedAt: s.plannedAt, nowMs };
      const { attempt, nextAtMs, againAtMs } = await attemptStep(acts, s, { ...step, next: after, againSeed }, key);
      if (after && nextAtMs !== undefined) known = { step: after.step, atMs: nextAtMs, fromMs: startMs + after.day * DAY_MS };
      const again = (notBeforeMs: number) => {
        if (againAtMs !== undefined) known = { step: s.step, atMs: againAtMs, fromMs: notBeforeMs };
        return notBeforeMs;
      };
      if (attempt.action === 'stop') {
        stop(attempt.reason);
        break;
      }
      if (attempt.action === 'skip') {
        s.status = 'skipped';
        s.skipReason = attempt.reason;
        break;
      }
      if (attempt.action === 'reschedule') {
        earliest = again(attempt.notBeforeMs);
        continue;
      }
      const { sent } = attempt;
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
        earliest = again(sent.notBeforeMs);
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
            { acts, local, clientId, leadId, campaignId: input.campaignId, workflowId: wfId, timing: plan.linkedin, progress, sleepUntil },
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
  ix.index.update();
  const finish = { version: 1 as const, clientId, leadId, state: progress.state, stopReason: progress.stopReason };
  await outcome(shortHistory() ? local.finishLeadSequence(finish) : acts.finishLeadSequence(finish));
  return progress;
}
