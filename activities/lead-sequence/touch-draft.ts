/**
 * The touch row of a send, with the evidence of why it was allowed: the compliance guard's
 * (window, zone, country and region, tier, DNCR wash, consent basis; domain/compliance.ts), the
 * planned time, and what the channel adds (the mailbox, the number, the seat).
 */
import type { TouchEvidence } from '../../domain/compliance.js';
import { startOfNextLocalDay } from '../../domain/windows.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import type { TouchDraft } from '../../services/touches/index.js';
import type { SendStepInput } from './types.js';

export function touchDraft(
  ctx: LeadContext,
  input: SendStepInput,
  channel: TouchDraft['channel'],
  guard: TouchEvidence,
  extra: Record<string, unknown>,
  providerRef?: string,
): TouchDraft {
  const { plannedAt } = input;
  return {
    clientId: ctx.client.id,
    campaignId: ctx.lead.campaignId,
    leadId: ctx.lead.id,
    step: input.step,
    channel,
    idempotencyKey: input.idempotencyKey,
    ...(plannedAt ? { plannedAt } : {}),
    ...(providerRef ? { providerRef } : {}),
    evidence: { ...guard, window: { ...guard.window, plannedAt }, ...extra },
  };
}

/** The person's keys and local day: the once-a-day claim every reservation takes (services/people.ts). */
export const personDay = (ctx: LeadContext, day: string) => ({ keys: ctx.person, day });

/** A reservation refused because the person already had a touch that day. */
export const PERSON_TODAY = 'person_contacted_today';

/** Not today: the step waits for the person's next local day (its time is then chosen in its window). */
export const personNextDay = (ctx: LeadContext, now: number) =>
  ({ status: 'no_capacity', notBeforeMs: startOfNextLocalDay(ctx.zone, now).getTime(), reason: PERSON_TODAY }) as const;

/** The recipient's name as providers take it. */
export const fullName = (lead: { firstName: string | null; lastName: string | null }) =>
  [lead.firstName, lead.lastName].filter(Boolean).join(' ') || undefined;
