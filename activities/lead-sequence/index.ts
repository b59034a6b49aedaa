/**
 * Activities of the lead sequence (lead:{leadId}): planning (plan.ts), one step's send
 * (send-step.ts over one sender per channel: email.ts, sms.ts, voice.ts, linkedin.ts, all on the
 * touch ledger of services/touches), a call's end (voice.ts), and an unanswered LinkedIn request
 * withdrawn at Unipile (linkedin-withdraw.ts). Every decision is a domain/
 * rule; every row is read and written through services; providers are reached through the ports.
 */
import { createPlanActivities } from './plan.js';
import { createSendStep } from './send-step.js';
import { createCallActivities } from './voice.js';
import { createLinkedInWithdrawActivities } from './linkedin-withdraw.js';
import type { LeadSequenceDeps } from './types.js';

export function createLeadSequenceActivities(deps: LeadSequenceDeps) {
  return {
    ...createPlanActivities(deps),
    ...createSendStep(deps),
    ...createCallActivities(deps),
    ...createLinkedInWithdrawActivities(deps),
  };
}
export type { LeadSequenceDeps, LeadSequenceSettings, SendStepInput, SendResult, Kind } from './types.js';
