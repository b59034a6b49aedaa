/**
 * Activities of the lead sequence (lead:{leadId}): planning (plan.ts), one step's send
 * (send-step.ts over one sender per channel: email.ts, sms.ts, voice.ts, linkedin.ts, all on the
 * touch ledger of services/touches), the re-check, the send and the next time in one (run-step.ts), a call's end (voice.ts), and an unanswered LinkedIn request
 * withdrawn at Unipile (linkedin-withdraw.ts). Every decision is a domain/
 * rule; every row is read and written through services; providers are reached through the ports.
 */
import { createPlanActivities } from './plan.js';
import { createSendStep } from './send-step.js';
import { createRunStep } from './run-step.js';
import { createCallActivities } from './voice.js';
import { createLinkedInWithdrawActivities } from './linkedin-withdraw.js';
import type { LeadSequenceDeps } from './types.js';

export function createLeadSequenceActivities(deps: LeadSequenceDeps) {
  const plan = createPlanActivities(deps);
  const send = createSendStep(deps);
  return {
    ...plan,
    ...send,
    ...createRunStep(deps, plan, send),
    ...createCallActivities(deps),
    ...createLinkedInWithdrawActivities(deps),
  };
}
export { createRunStep } from './run-step.js';
export type { LeadSequenceDeps, LeadSequenceSettings, SendStepInput, SendResult, Kind, RunStepInput, RunStepResult } from './types.js';
