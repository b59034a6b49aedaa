/**
 * The facts the compliance guard (domain/compliance.ts) decides from, loaded for one lead and one
 * touch: the lead's own facts (tier, contact points, DNCR, consent), the global suppression list,
 * whether a LinkedIn seat can send for the client, and whether another sequence holds the person.
 */
import type { LeadTier } from '../../domain/config.js';
import type { TouchFacts, TouchKind } from '../../domain/compliance.js';
import { readAttributes } from '../../domain/lead-signals.js';
import type { LeadFacts } from '../../domain/sequence.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import type { LeadSequenceDeps } from './types.js';

/** What the sequence rules decide from (domain/sequence.ts), given whether the client holds a LinkedIn seat. */
export function leadFactsOf(ctx: LeadContext, now: number, linkedinSeatAvailable: boolean): LeadFacts {
  const { lead } = ctx;
  return {
    tier: (lead.tier as LeadTier | null) ?? undefined,
    score: lead.score ?? undefined,
    email: lead.email,
    hardBounced: Boolean(lead.hardBouncedAt),
    emailUndeliverable: readAttributes(lead.attributes).email?.status === 'invalid',
    optedOut: Boolean(lead.optedOutAt),
    phoneE164: lead.phoneE164,
    linkedinUrl: lead.linkedinUrl,
    linkedinSeatAvailable,
    dncr: lead.dncrResult ? { registered: lead.dncrResult === 'registered', washedAt: lead.dncrWashedAt, registerAvailable: true } : null,
    smsConsentBasis: lead.smsConsentBasis ?? ctx.settings.smsConsentBasis ?? null,
    now,
  };
}

export function createFactLoader({ services }: Pick<LeadSequenceDeps, 'services'>) {
  const { allocations, suppression, people } = services;

  /** What the sequence rules decide from (domain/sequence.ts). */
  async function leadFacts(ctx: LeadContext, now: number): Promise<LeadFacts> {
    const seats = await allocations.system.heldBy(ctx.lead.clientId, 'linkedin_seat');
    return leadFactsOf(ctx, now, seats.length > 0);
  }

  /** Everything the guard needs for this touch now. */
  async function touchFacts(
    ctx: LeadContext,
    kind: TouchKind,
    now: number,
    opts: { checkWindow: boolean; seed?: string },
  ): Promise<TouchFacts> {
    const { lead } = ctx;
    const [facts, suppressed, personInOtherSequence] = await Promise.all([
      leadFacts(ctx, now),
      suppression.system.check(lead.email, lead.phoneE164),
      people.system.heldElsewhere(lead.id, ctx.person),
    ]);
    return {
      ...facts,
      kind,
      // A reply holds the sequence until the conversation releases it (an out-of-office's return date).
      replied: Boolean(lead.repliedAt) && !(lead.replyHoldUntil && now >= lead.replyHoldUntil.getTime()),
      meetingBooked: Boolean(lead.meetingBookedAt),
      suppressed,
      personInOtherSequence,
      zone: ctx.zone,
      location: ctx.location,
      dncrResult: lead.dncrResult,
      ...opts,
    };
  }

  return { leadFacts, touchFacts };
}
