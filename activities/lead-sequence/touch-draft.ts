/** The touch row of a send, with the evidence of why it was allowed (window, tier, DNCR, consent). */
import { CHANNEL_OF_KIND, type StepKind } from '../../domain/config.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import type { TouchDraft } from '../../services/touches/index.js';
import type { SendStepInput } from './types.js';

export function touchDraft(
  ctx: LeadContext,
  input: SendStepInput,
  channel: TouchDraft['channel'],
  evidence: Record<string, unknown>,
  providerRef?: string,
): TouchDraft {
  const { kind, plannedAt } = input;
  return {
    clientId: ctx.client.id,
    campaignId: ctx.lead.campaignId,
    leadId: ctx.lead.id,
    step: input.step,
    channel,
    idempotencyKey: input.idempotencyKey,
    ...(plannedAt ? { plannedAt } : {}),
    ...(providerRef ? { providerRef } : {}),
    evidence: {
      window: {
        channel: kind.startsWith('linkedin') ? 'linkedin' : (CHANNEL_OF_KIND[kind as StepKind] ?? kind),
        zone: ctx.zone,
        plannedAt,
      },
      tier: ctx.lead.tier,
      score: ctx.lead.score,
      dncrWashedAt: ctx.lead.dncrWashedAt?.toISOString() ?? null,
      dncrResult: ctx.lead.dncrResult,
      consentBasis: ctx.lead.smsConsentBasis ?? ctx.settings.smsConsentBasis ?? null,
      ...evidence,
    },
  };
}

/** The recipient's name as providers take it. */
export const fullName = (lead: { firstName: string | null; lastName: string | null }) =>
  [lead.firstName, lead.lastName].filter(Boolean).join(' ') || undefined;
