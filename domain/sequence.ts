/**
 * The default five-step sequence (AD-001) with per-step skip reasons (AD-003) and tier gating
 * (AD-004, LI-005). Sequences are always generated, never user-written (AD-002).
 */
import { CHANNEL_OF_KIND, defaultDomainConfig, type Channel, type DomainConfig, type LeadTier, type StepKind } from './config.js';
import { isChannelAllowed } from './channels.js';
import { dncrApplies, dncrDecision, type DncrStatus } from './dncr.js';
import type { InstantInput } from './instant.js';
import { normalisePhone } from './phone.js';
import { tierForScore } from './scoring.js';

export type SkipReason =
  | 'tier_not_allowed'
  | 'opted_out'
  | 'no_email'
  | 'hard_bounced'
  | 'email_undeliverable'
  | 'no_phone'
  | 'not_mobile'
  | 'no_linkedin_url'
  | 'no_seat'
  | 'dncr_registered'
  | 'dncr_unwashed'
  | 'dncr_unavailable'
  | 'no_sms_consent';

/** What the generator needs to know about a lead. */
export interface LeadFacts {
  /** The lead's tier; when absent it is derived from `score`. One of the two is required. */
  tier?: LeadTier;
  score?: number;
  email?: string | null;
  /** A hard bounce skips the remaining email steps. */
  hardBounced?: boolean;
  /** An email verifier said the address cannot receive mail: no email is sent to it. */
  emailUndeliverable?: boolean;
  /** Unsubscribed / opted out on any channel: nothing more is sent. */
  optedOut?: boolean;
  /** E.164 phone number. */
  phoneE164?: string | null;
  /** libphonenumber type ('MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', ...); derived from the number when absent. */
  phoneType?: string | null;
  linkedinUrl?: string | null;
  /** Whether the client has a LinkedIn seat that can send for this lead. */
  linkedinSeatAvailable?: boolean;
  /** DNCR status of the phone number (SM-001/002). */
  dncr?: DncrStatus | null;
  /** The basis on which SMS may be sent (e.g. 'inferred_business', 'express'); missing -> no SMS. */
  smsConsentBasis?: string | null;
  /** The instant of the decision (generation time, or the time the step is about to run). */
  now: InstantInput;
}

export interface SequenceStep {
  /** 1-based position. */
  step: number;
  /** Days from the start of the sequence. */
  day: number;
  channel: Channel;
  kind: StepKind;
  status: 'planned' | 'skipped';
  skipReason?: SkipReason;
  /** Email follow-ups are threaded replies to the first email (`Re:` with In-Reply-To). */
  threadedReplyToStep?: number;
}

export interface GeneratedSequence {
  tier: LeadTier;
  steps: SequenceStep[];
}

/** The lead's tier: given, or derived from its score. */
export function leadTier(facts: LeadFacts, config: DomainConfig): LeadTier {
  if (facts.tier) return facts.tier;
  if (typeof facts.score === 'number') return tierForScore(facts.score, config);
  throw new TypeError('LeadFacts needs a tier or a score');
}

const SMS_CAPABLE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

function phoneIsMobile(facts: LeadFacts): boolean {
  let type = facts.phoneType;
  if (type == null && facts.phoneE164) {
    const parsed = normalisePhone(facts.phoneE164);
    type = parsed.ok ? parsed.type : undefined;
  }
  // Unknown type (libphonenumber cannot tell, or the number did not parse): do not block on it.
  return type == null || SMS_CAPABLE_TYPES.has(type.toUpperCase());
}

function dncrSkip(facts: LeadFacts, channel: Channel, config: DomainConfig): SkipReason | null {
  if (!dncrApplies(facts.phoneE164, channel, config)) return null;
  if (facts.now == null) throw new TypeError('LeadFacts.now is required: the DNCR wash (valid 30 days) is judged at a given instant');
  const d = dncrDecision(facts.dncr ?? {}, facts.now, config);
  if (d.allowed) return null;
  switch (d.reason) {
    case 'registered':
      return 'dncr_registered';
    case 'register_unavailable':
      return 'dncr_unavailable';
    default:
      return 'dncr_unwashed';
  }
}

/**
 * Why a step of `kind` cannot run for this lead now, or null when it can. Used at generation and
 * again before each step (the tier, bounce, opt-out and DNCR state may have changed) (AD-003, AD-004, LI-005, SM-001).
 */
export function stepSkipReason(kind: StepKind, facts: LeadFacts, config: DomainConfig = defaultDomainConfig): SkipReason | null {
  const channel = CHANNEL_OF_KIND[kind];
  if (!isChannelAllowed(leadTier(facts, config), channel, config)) return 'tier_not_allowed';
  if (facts.optedOut) return 'opted_out';
  switch (channel) {
    case 'email':
      if (!facts.email) return 'no_email';
      if (facts.hardBounced) return 'hard_bounced';
      if (facts.emailUndeliverable) return 'email_undeliverable';
      return null;
    case 'voice':
      if (!facts.phoneE164) return 'no_phone';
      return dncrSkip(facts, 'voice', config);
    case 'sms':
      if (!facts.phoneE164) return 'no_phone';
      if (!phoneIsMobile(facts)) return 'not_mobile';
      {
        const d = dncrSkip(facts, 'sms', config);
        if (d) return d;
      }
      if (!facts.smsConsentBasis) return 'no_sms_consent';
      return null;
    case 'linkedin':
      if (!facts.linkedinUrl) return 'no_linkedin_url';
      if (!facts.linkedinSeatAvailable) return 'no_seat';
      return null;
  }
}

/**
 * The default 5-step sequence: day 0 email, day 3 voice, day 5 LinkedIn connection request, day 8
 * threaded email follow-up, day 12 SMS; a step the tier does not allow or the lead cannot take is
 * kept as 'skipped' with its reason (AD-001, AD-002, AD-003, AD-004, LI-005).
 */
export function generateSequence(facts: LeadFacts, config: DomainConfig = defaultDomainConfig): GeneratedSequence {
  const tier = leadTier(facts, config);
  const withTier: LeadFacts = facts.tier === tier ? facts : { ...facts, tier };
  let firstEmailStep: number | undefined;
  const steps = config.sequence.steps.map((s, i): SequenceStep => {
    const stepNo = i + 1;
    const reason = stepSkipReason(s.kind, withTier, config);
    const out: SequenceStep = {
      step: stepNo,
      day: s.day,
      channel: CHANNEL_OF_KIND[s.kind],
      kind: s.kind,
      status: reason ? 'skipped' : 'planned',
    };
    if (reason) out.skipReason = reason;
    if (s.kind === 'email' && firstEmailStep === undefined) firstEmailStep = stepNo;
    if (s.kind === 'email_followup' && firstEmailStep !== undefined) out.threadedReplyToStep = firstEmailStep;
    return out;
  });
  return { tier, steps };
}

/**
 * Re-check a planned step just before it runs: the same gating and skip rules with the lead's
 * current facts (AD-003, AD-004).
 */
export function recheckStep(
  step: Pick<SequenceStep, 'kind'>,
  facts: LeadFacts,
  config: DomainConfig = defaultDomainConfig,
): { proceed: true } | { proceed: false; skipReason: SkipReason } {
  const reason = stepSkipReason(step.kind, facts, config);
  return reason ? { proceed: false, skipReason: reason } : { proceed: true };
}

export type StopReason = 'replied' | 'opted_out' | 'meeting_booked';

/** The sequence stops for good on a reply, an unsubscribe/opt-out, or a booked meeting (AD-001, SYS-003, SYS-004). */
export function sequenceStopReason(events: { replied?: boolean; optedOut?: boolean; meetingBooked?: boolean }): StopReason | null {
  if (events.optedOut) return 'opted_out';
  if (events.meetingBooked) return 'meeting_booked';
  if (events.replied) return 'replied';
  return null;
}

/** Subject of a threaded follow-up: the first subject with a single `Re: ` prefix (AD-001). */
export function followUpSubject(firstSubject: string): string {
  const s = firstSubject.trim();
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}
