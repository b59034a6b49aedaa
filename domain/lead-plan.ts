/**
 * A lead's sequence plan (AD-001, AD-003, AD-004): the generated steps with what is skipped and
 * why, once the global suppression list has spoken, the stop reason the lead already carries, and
 * the LinkedIn branch's timing (LI-002, LI-003). Pure: the one rule both planning paths use (a
 * lead workflow planning itself, and the onboarding batch planning many leads at once).
 */
import type { DomainConfig } from './config.js';
import type { GuardStopReason } from './compliance.js';
import type { LeadPlan, PlannedStep, StepKindName } from './processes.js';
import { generateSequence, type LeadFacts } from './sequence.js';

const DAY_MS = 86_400_000;

export type { LeadPlan, PlannedStep };

/** The lead's own stop: an opt-out, a reply or a booked meeting already on its row. */
export function leadStopReason(lead: {
  optedOutAt: Date | null;
  repliedAt: Date | null;
  meetingBookedAt: Date | null;
}): GuardStopReason | undefined {
  return lead.optedOutAt ? 'opted_out' : lead.repliedAt ? 'replied' : lead.meetingBookedAt ? 'meeting_booked' : undefined;
}

/**
 * The plan from the lead's facts and the suppression list (the claim of the person comes after:
 * the caller sets `stopReason` when it is refused). A suppressed address and number is an opt-out.
 */
export function leadPlan(
  facts: LeadFacts,
  config: DomainConfig,
  suppressed: { email: boolean; phone: boolean },
  zone: string,
  stopReason: GuardStopReason | undefined,
): LeadPlan {
  const seq = generateSequence(suppressed.email && suppressed.phone ? { ...facts, optedOut: true } : facts, config);
  const steps = seq.steps.map((s): PlannedStep => {
    let status = s.status as 'planned' | 'skipped';
    let skipReason: string | undefined = s.skipReason;
    // A wash that is missing now may exist by the step's day: the check before the step
    // washes again and fails closed then (SM-001), so the step stays planned.
    if (skipReason === 'dncr_unwashed' || skipReason === 'dncr_unavailable') [status, skipReason] = ['planned', undefined];
    if (status === 'planned' && suppressed.email && s.channel === 'email') [status, skipReason] = ['skipped', 'suppressed'];
    if (status === 'planned' && suppressed.phone && (s.channel === 'sms' || s.channel === 'voice'))
      [status, skipReason] = ['skipped', 'suppressed'];
    return { step: s.step, day: s.day, kind: s.kind as StepKindName, channel: s.channel, status, ...(skipReason ? { skipReason } : {}) };
  });
  const li = config.linkedin;
  return {
    tier: seq.tier,
    zone,
    steps,
    stopReason,
    linkedin: {
      ignoreAfterMs: li.ignoredAfterDays * DAY_MS,
      withdrawAfterMs: li.withdrawAfterDays * DAY_MS,
      messageAfterMs: li.messageAfterAcceptDays * DAY_MS,
    },
  };
}

/** The first step the plan will run (none when it stops first or skips everything). */
export function firstPlannedStep(plan: LeadPlan): PlannedStep | undefined {
  return plan.stopReason ? undefined : plan.steps.find((s) => s.status === 'planned');
}

/** The seed of a step's send time: the same for the batch that plans it and the workflow that re-plans it. */
export const stepSeed = (leadId: string, step: number, attempts: number) => `${leadId}:${step}:${attempts}`;
